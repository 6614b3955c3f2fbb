"""Real servers on loopback that stand in for the outside world in tests and demos.

``FakeSmsGateway`` speaks the HTTP API ``HttpSmsChannel`` talks to. Like a handset network it
delivers **every** accepted send (it does not deduplicate by ``OutId``), so a message sent twice
shows up twice in ``inbox``; ``/sms/query`` tells whether an ``OutId`` was accepted. It can be told
to answer errors, answer slowly (time-outs), or pause after accepting (to kill a worker between the
provider's acceptance and the outbox's record of it). It checks the request signature.

``FakeWeChat`` answers the access-token and subscription-message endpoints. ``smtp_server`` runs
aiosmtpd and collects the mails.

Run ``python -m aftersales.testing.fakes sms --port 18025`` to start the SMS gateway on its own
(the end-to-end tests do this; its ``/inbox`` lists what it received, newest last).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Sms:
    phone: str
    text: str
    out_id: str
    biz_id: str


@dataclass
class _Behaviour:
    errors: list[str] = field(default_factory=list)  # codes answered to the next sends, one each
    http_errors: list[int] = field(default_factory=list)
    delay: float = 0.0  # seconds before answering (after accepting)


class FakeSmsGateway:
    def __init__(self, *, secret: str = "test-secret", port: int = 0) -> None:
        self.secret = secret
        self.inbox: list[Sms] = []
        self.attempts = 0
        self.behaviour = _Behaviour()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeSmsGateway:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSmsGateway:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def texts_to(self, phone: str) -> list[str]:
        return [sms.text for sms in self.inbox if sms.phone == phone]

    def _verify(self, payload: dict) -> bool:
        signature = payload.pop("Signature", "")
        canonical = "&".join(f"{k}={urllib.parse.quote(str(v), safe='')}" for k, v in sorted(payload.items()))
        expected = base64.b64encode(hmac.new(self.secret.encode(), canonical.encode(), hashlib.sha256).digest()).decode()
        return hmac.compare_digest(signature, expected)

    def _send(self, payload: dict) -> tuple[int, dict]:
        with self._lock:
            self.attempts += 1
            if self.behaviour.http_errors:
                return self.behaviour.http_errors.pop(0), {}
            if self.behaviour.errors:
                code = self.behaviour.errors.pop(0)
                return 200, {"Code": code, "Message": "simulated"}
            sms = Sms(phone=payload["PhoneNumbers"], text=payload["Content"], out_id=payload.get("OutId", ""), biz_id=f"biz{len(self.inbox) + 1}")
            self.inbox.append(sms)
        return 200, {"Code": "OK", "BizId": sms.biz_id}

    def _query(self, payload: dict) -> tuple[int, dict]:
        with self._lock:
            found = next((s for s in self.inbox if s.out_id == payload.get("OutId")), None)
        return 200, ({"Code": "OK", "BizId": found.biz_id} if found else {"Code": "NOT_FOUND"})

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                if self.path.rstrip("/") != "/inbox":
                    self._answer(404, {})
                    return
                with gateway._lock:
                    inbox = [sms.__dict__ for sms in gateway.inbox]
                self._answer(200, {"inbox": inbox})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self._answer(400, {"Code": "BAD_REQUEST"})
                    return
                if not gateway._verify(payload):
                    self._answer(200, {"Code": "InvalidSignature"})
                    return
                route = {"/sms/send": gateway._send, "/sms/query": gateway._query}.get(self.path)
                status, answer = route(payload) if route else (404, {})
                if gateway.behaviour.delay:
                    time.sleep(gateway.behaviour.delay)
                self._answer(status, answer)

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                with contextlib.suppress(OSError):  # the client may have given up (time-out test)
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

        return Handler


class FakeWeChat:
    """``/cgi-bin/token`` and ``/cgi-bin/message/subscribe/send``; ``refuse`` holds openids that answer 43101."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.refuse: set[str] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeWeChat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                self._answer({"access_token": "tok", "expires_in": 7200})

            def do_POST(self) -> None:
                payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if payload.get("touser") in fake.refuse:
                    self._answer({"errcode": 43101, "errmsg": "user refuse to accept the msg"})
                    return
                fake.sent.append(payload)
                self._answer({"errcode": 0, "errmsg": "ok", "msgid": len(fake.sent)})

            def _answer(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


@contextlib.contextmanager
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port; yields (port, list of received messages)."""
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    received: list = []

    class Collect:
        async def handle_DATA(self, server, session, envelope):
            received.append(email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def main() -> None:  # pragma: no cover - a helper for end-to-end tests and demos
    import argparse

    parser = argparse.ArgumentParser(description="Run a fake SMS gateway on loopback.")
    parser.add_argument("what", choices=["sms"])
    parser.add_argument("--port", type=int, default=18025)
    parser.add_argument("--secret", default="test-secret")
    args = parser.parse_args()
    gateway = FakeSmsGateway(secret=args.secret, port=args.port).start()
    print(f"fake SMS gateway on {gateway.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        gateway.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
