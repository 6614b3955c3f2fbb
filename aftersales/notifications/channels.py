"""Delivery channels: the one interface every message goes out through, and its adapters.

``send(message) -> provider reference`` raises ``DeliveryError`` (transient: try again later;
permanent: give up; ``fallback``: send the same text by SMS instead). ``lookup(message)`` asks the
provider whether a message with this idempotency key was already accepted — used after a worker died
between sending and recording the send, so that nothing goes out twice. A channel that cannot tell
returns None, and the message is sent again with the same idempotency key (e-mail keeps its
Message-ID, so mail programs show one message).

Adapters: SMTP e-mail (Django's mail backend); SMS over an HTTP API in the style of the common
Chinese SMS gateways (signed JSON, ``OutId`` for idempotency, a query endpoint); WeChat subscription
messages (access token, ``subscribe/send``); a console SMS channel for development and demos that
records the text in the outbox only; and the in-app notice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    def __init__(self, message: str, *, transient: bool, fallback: bool = False) -> None:
        super().__init__(message)
        self.transient, self.fallback = transient, fallback


class DeliveryChannel(Protocol):
    def send(self, message) -> str: ...

    def lookup(self, message) -> str | None: ...


class EmailChannel:
    def send(self, message) -> str:
        if not message.address:
            raise DeliveryError("no e-mail address", transient=False)
        mail = EmailMessage(subject=message.subject or message.body[:40], body=_with_link(message), to=[message.address],
                            from_email=settings.DEFAULT_FROM_EMAIL, headers={"Message-ID": message_id(message)},
                            connection=get_connection(timeout=settings.EMAIL_TIMEOUT))
        try:
            mail.send(fail_silently=False)
        except (OSError, ConnectionError) as exc:  # smtplib errors derive from OSError
            raise DeliveryError(f"SMTP: {exc}", transient=True) from exc
        return message_id(message)

    def lookup(self, message) -> str | None:
        return None  # SMTP cannot be asked; see the module docstring


def message_id(message) -> str:
    """The same Message-ID for every attempt of one message, so a mail sent twice shows once."""
    return f"<{hashlib.sha256(message.key.encode()).hexdigest()[:32]}@aftersales.invalid>"


def _with_link(message) -> str:
    if not message.url:
        return message.body
    return f"{message.body}\n{_absolute(message.url)}"


def _absolute(url: str) -> str:
    return url if url.startswith("http") else settings.PUBLIC_BASE_URL.rstrip("/") + url


class ConsoleSmsChannel:
    """Development and demo: the SMS is only recorded (its text is visible in the outbox)."""

    def send(self, message) -> str:
        logger.info("SMS to %s: %s", message.address, _with_link(message))
        return "console"

    def lookup(self, message) -> str | None:
        return None if message.provider_ref != "console" else "console"


def _post_json(url: str, payload: dict, timeout: float) -> dict:
    if not url.startswith(("http://", "https://")):
        raise DeliveryError("the gateway URL must start with http:// or https://", transient=False)
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST")  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL from settings)
            return json.loads(response.read().decode() or "{}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}", transient=exc.code >= 500 or exc.code == 429) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"network: {exc}", transient=True) from exc
    except ValueError as exc:
        raise DeliveryError("unreadable answer", transient=True) from exc


class HttpSmsChannel:
    """An SMS gateway: ``POST {url}/sms/send`` and ``POST {url}/sms/query``, signed with HMAC-SHA256.

    Codes: ``OK``; transient: ``isv.BUSINESS_LIMIT_CONTROL``, ``SYSTEM_ERROR``, ``SERVICE_UNAVAILABLE``;
    anything else is permanent (a wrong number will not become right).
    """

    TRANSIENT = {"isv.BUSINESS_LIMIT_CONTROL", "SYSTEM_ERROR", "SERVICE_UNAVAILABLE", "Throttling"}

    def _signed(self, fields: dict) -> dict:
        payload = {**fields, "AccessKeyId": settings.SMS_ACCESS_KEY, "Timestamp": str(int(time.time())), "Nonce": secrets.token_hex(8)}
        canonical = "&".join(f"{k}={urllib.parse.quote(str(v), safe='')}" for k, v in sorted(payload.items()))
        digest = hmac.new(settings.SMS_ACCESS_SECRET.encode(), canonical.encode(), hashlib.sha256).digest()
        return {**payload, "Signature": base64.b64encode(digest).decode()}

    def send(self, message) -> str:
        if not message.address:
            raise DeliveryError("no phone number", transient=False)
        answer = _post_json(settings.SMS_API_URL.rstrip("/") + "/sms/send", self._signed({
            "PhoneNumbers": message.address, "SignName": settings.SMS_SIGN_NAME, "Content": _with_link(message), "OutId": message.key,
        }), settings.SMS_TIMEOUT)
        code = answer.get("Code")
        if code == "OK":
            return str(answer.get("BizId", ""))
        raise DeliveryError(f"{code}: {answer.get('Message', '')}", transient=code in self.TRANSIENT)

    def lookup(self, message) -> str | None:
        answer = _post_json(settings.SMS_API_URL.rstrip("/") + "/sms/query", self._signed({"OutId": message.key}), settings.SMS_TIMEOUT)
        return str(answer.get("BizId")) if answer.get("Code") == "OK" else None


class WeChatChannel:
    """WeChat subscription messages (``/cgi-bin/message/subscribe/send``); a refusal falls back to SMS."""

    REFUSED = {43101, 40003}  # the user refused / no longer follows: send by SMS
    _token: tuple[str, float] = ("", 0.0)

    def _access_token(self) -> str:
        token, expires = WeChatChannel._token
        if token and expires > time.time() + 60:
            return token
        query = urllib.parse.urlencode({"grant_type": "client_credential", "appid": settings.WECHAT_APP_ID, "secret": settings.WECHAT_APP_SECRET})
        try:
            with urllib.request.urlopen(f"{settings.WECHAT_API_URL.rstrip('/')}/cgi-bin/token?{query}", timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310
                answer = json.loads(response.read().decode())
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise DeliveryError(f"WeChat token: {exc}", transient=True) from exc
        if "access_token" not in answer:
            raise DeliveryError(f"WeChat token: {answer.get('errcode')}", transient=True)
        WeChatChannel._token = (answer["access_token"], time.time() + int(answer.get("expires_in", 7200)))
        return answer["access_token"]

    def send(self, message) -> str:
        url = f"{settings.WECHAT_API_URL.rstrip('/')}/cgi-bin/message/subscribe/send?access_token={self._access_token()}"
        answer = _post_json(url, {
            "touser": message.address, "template_id": settings.WECHAT_TEMPLATE_ID, "page": message.url,
            "data": {"thing1": {"value": (message.subject or message.body)[:20]}, "thing2": {"value": message.body[:20]}},
        }, settings.SMS_TIMEOUT)
        code = answer.get("errcode", -1)
        if code == 0:
            return str(answer.get("msgid", ""))
        raise DeliveryError(f"WeChat {code}: {answer.get('errmsg', '')}", transient=code in (-1, 45009), fallback=code in self.REFUSED)

    def lookup(self, message) -> str | None:
        return None


class InAppChannel:
    def send(self, message) -> str:
        from aftersales.notifications.models import Notice

        notice, _created = Notice.objects.get_or_create(recipient=message.to_user, dedupe_key=f"msg:{message.key}"[:120], defaults={
            "kind": message.purpose, "title": (message.subject or message.body)[:200], "body": message.body, "url": message.url})
        return str(notice.pk)

    def lookup(self, message) -> str | None:
        from aftersales.notifications.models import Notice

        notice = Notice.objects.filter(recipient=message.to_user, dedupe_key=f"msg:{message.key}"[:120]).first()
        return str(notice.pk) if notice else None


def channel_for(name: str) -> DeliveryChannel:
    if name == "email":
        return EmailChannel()
    if name == "sms":
        return HttpSmsChannel() if settings.SMS_BACKEND == "http" else ConsoleSmsChannel()
    if name == "wechat":
        return WeChatChannel()
    return InAppChannel()
