"""The outbox delivers over real servers on loopback: SMTP (aiosmtpd), an SMS gateway, WeChat."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aftersales.customers.services import customer_update
from aftersales.notifications.channels import message_id
from aftersales.notifications.models import Channel, Message, MessageStatus, Purpose, WeChatAuthorization
from aftersales.notifications.outbox import deliver_due, deliver_one, digest_sweep, enqueue, message_retry, send_to_customer
from aftersales.notifications.services import notice_send
from aftersales.testing import factories as f
from conftest import at

pytestmark = pytest.mark.django_db

NOON = at(2026, 11, 26, 12, 0)


def sms(customer, key="k1", purpose=Purpose.SERVICE, body="您的报修已受理"):
    return enqueue(key=key, channel=Channel.SMS, purpose=purpose, body=body, to_customer=customer, address="+8613800138000")


@time_machine.travel(NOON, tick=False)
def test_a_message_is_queued_once_per_key(customer_acme):
    first = sms(customer_acme)
    again = sms(customer_acme, body="different text")
    assert again.pk == first.pk
    assert Message.objects.count() == 1


@time_machine.travel(NOON, tick=False)
def test_an_sms_goes_through_the_gateway_signed_with_the_key_as_out_id(customer_acme, sms_gateway):
    message = sms(customer_acme, key="request:1:registered")
    assert deliver_due() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [(s.phone, s.text, s.out_id) for s in sms_gateway.inbox] == [("+8613800138000", "您的报修已受理", "request:1:registered")]
    assert message.provider_ref == "biz1"


def test_a_gateway_that_refuses_the_signature_gets_nothing_delivered(customer_acme, sms_gateway, settings):
    settings.SMS_ACCESS_SECRET = "wrong"
    with time_machine.travel(NOON, tick=False):
        message = sms(customer_acme)
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    assert "InvalidSignature" in message.last_error
    assert sms_gateway.inbox == []


def test_a_busy_gateway_is_retried_with_growing_pauses_then_dead_lettered(customer_acme, sms_gateway, settings):
    settings.MESSAGE_MAX_ATTEMPTS, settings.MESSAGE_RETRY_BASE_SECONDS = 3, 60
    sms_gateway.behaviour.errors = ["SYSTEM_ERROR"] * 3
    with time_machine.travel(NOON, tick=False):
        message = sms(customer_acme)
        deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (MessageStatus.RETRY, 1, NOON + dt.timedelta(seconds=60))
    with time_machine.travel(NOON + dt.timedelta(seconds=30), tick=False):
        assert deliver_due() == 0  # not due yet
    with time_machine.travel(NOON + dt.timedelta(seconds=61), tick=False):
        deliver_due()
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (2, NOON + dt.timedelta(seconds=61 + 120))
    with time_machine.travel(NOON + dt.timedelta(seconds=200), tick=False):
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    assert "SYSTEM_ERROR" in message.last_error
    assert sms_gateway.inbox == []


def test_a_wrong_number_is_not_retried(customer_acme, sms_gateway):
    sms_gateway.behaviour.errors = ["isv.MOBILE_NUMBER_ILLEGAL"]
    with time_machine.travel(NOON, tick=False):
        message = sms(customer_acme)
        deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DEAD, 1)


def test_a_server_error_is_retried_and_then_delivered(customer_acme, sms_gateway):
    sms_gateway.behaviour.http_errors = [503]
    with time_machine.travel(NOON, tick=False):
        message = sms(customer_acme)
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRY and "HTTP 503" in message.last_error
    with time_machine.travel(NOON + dt.timedelta(minutes=2), tick=False):
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(sms_gateway.inbox) == 1


def test_a_gateway_that_times_out_after_accepting_is_asked_before_sending_again(customer_acme, sms_gateway, settings):
    """The time-out does not say whether the SMS went: the retry asks the gateway and sends nothing twice."""
    settings.SMS_TIMEOUT = 0.3
    sms_gateway.behaviour.delay = 0.6
    with time_machine.travel(NOON, tick=False):
        message = sms(customer_acme)
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRY and "network" in message.last_error
    sms_gateway.behaviour.delay = 0
    with time_machine.travel(NOON + dt.timedelta(minutes=2), tick=False):
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(sms_gateway.inbox) == 1


def test_a_message_left_sending_by_a_dead_worker_is_not_sent_twice(customer_acme, sms_gateway, settings):
    settings.MESSAGE_LEASE_SECONDS = 60
    with time_machine.travel(NOON, tick=False):
        delivered = sms(customer_acme, key="was-sent")
        lost = sms(customer_acme, key="never-sent")
        deliver_due()
    # Both as a killed worker leaves them: claimed, leased, the send unrecorded.
    Message.objects.filter(pk__in=[delivered.pk, lost.pk]).update(status=MessageStatus.SENDING, lease_until=NOON + dt.timedelta(seconds=60),
                                                                  sent_at=None)
    sms_gateway.inbox = [s for s in sms_gateway.inbox if s.out_id == "was-sent"]
    with time_machine.travel(NOON + dt.timedelta(seconds=30), tick=False):
        assert deliver_due() == 0  # the lease still runs
    with time_machine.travel(NOON + dt.timedelta(seconds=61), tick=False):
        deliver_due()
    assert sorted(s.out_id for s in sms_gateway.inbox) == ["never-sent", "was-sent"]
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_two_workers_cannot_claim_the_same_message(customer_acme, sms_gateway):
    from aftersales.notifications.outbox import _claim

    with time_machine.travel(NOON, tick=False):
        message = sms(customer_acme)
        assert _claim(message.pk, NOON) is not None
        assert _claim(message.pk, NOON) is None
        assert deliver_one(message.pk) is False
    assert sms_gateway.inbox == []


@pytest.mark.req("VIS-11")
def test_service_sms_at_night_waits_for_the_morning(customer_acme, sms_gateway):
    with time_machine.travel(at(2026, 11, 26, 22, 30), tick=False):
        message = sms(customer_acme)
        assert deliver_due() == 0
    assert (message.held_reason, message.next_attempt_at) == ("quiet_hours", at(2026, 11, 27, 8, 0))
    with time_machine.travel(at(2026, 11, 27, 7, 59), tick=False):
        assert deliver_due() == 0
    with time_machine.travel(at(2026, 11, 27, 8, 0), tick=False):
        assert deliver_due() == 1
    assert len(sms_gateway.inbox) == 1


@pytest.mark.req("VIS-11")
def test_the_customers_own_rest_hours_are_respected_too(customer_acme, clerk_li):
    customer_update(actor=clerk_li, customer=customer_acme, quiet_hours="12:00-14:00")
    customer_acme.refresh_from_db()
    with time_machine.travel(at(2026, 11, 26, 12, 30), tick=False):
        message = sms(customer_acme)
    assert message.next_attempt_at == at(2026, 11, 26, 14, 0)


def test_a_one_time_code_is_sent_even_at_night(customer_acme):
    with time_machine.travel(at(2026, 11, 26, 23, 0), tick=False):
        message = sms(customer_acme, purpose=Purpose.CODE, body="验证码 123456")
    assert (message.held_reason, message.next_attempt_at) == ("", at(2026, 11, 26, 23, 0))


def test_a_customer_who_opted_out_gets_no_reminder_but_still_hears_about_his_repair(customer_acme, clerk_li, sms_gateway):
    customer_update(actor=clerk_li, customer=customer_acme, opt_out_reminders=True)
    customer_acme.refresh_from_db()
    with time_machine.travel(NOON, tick=False):
        reminder = sms(customer_acme, key="birthday", purpose=Purpose.CARE, body="生日快乐")
        progress = sms(customer_acme, key="progress", purpose=Purpose.SERVICE)
        deliver_due()
    reminder.refresh_from_db()
    progress.refresh_from_db()
    assert reminder.status == MessageStatus.SUPPRESSED
    assert progress.status == MessageStatus.SENT
    assert [s.out_id for s in sms_gateway.inbox] == ["progress"]


def test_an_email_goes_over_real_smtp_with_a_stable_message_id(customer_acme, smtp):
    with time_machine.travel(NOON, tick=False):
        message = enqueue(key="card:7", channel=Channel.EMAIL, purpose=Purpose.SURVEY, subject="客户意见调查卡", body="请评价本次服务",
                          url="/s/abc/", to_customer=customer_acme, address="wang@acme.example")
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    (mail,) = smtp
    assert mail["To"] == "wang@acme.example"
    assert mail["Subject"] == "客户意见调查卡"
    assert mail["Message-ID"] == message_id(message)
    assert "http://127.0.0.1:8000/s/abc/" in mail.get_content()


def test_an_unreachable_mail_server_means_retry_not_loss(customer_acme, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with time_machine.travel(NOON, tick=False):
        message = enqueue(key="m", channel=Channel.EMAIL, purpose=Purpose.SERVICE, body="x", to_customer=customer_acme, address="a@b.example")
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRY
    assert message.last_error.startswith("SMTP")


def test_staff_get_one_digest_instead_of_fifty_mails(supervisor_wang, smtp, settings):
    supervisor_wang.email = "wang@service.example"
    supervisor_wang.save()
    settings.STAFF_DIGEST_MINUTES = 60
    with time_machine.travel(NOON, tick=False):
        for n in range(5):
            notice_send(recipients=[supervisor_wang], kind="sla", title=f"服务单 {n} 即将超时", url=f"/work-orders/{n}/")
        assert deliver_due() == 0
        assert digest_sweep() == 0  # nobody has waited an hour yet
    with time_machine.travel(NOON + dt.timedelta(minutes=61), tick=False):
        assert digest_sweep() == 1
        assert digest_sweep() == 0
        deliver_due()
    (mail,) = smtp
    assert mail["Subject"] == "5 条新通知"
    assert all(f"服务单 {n} 即将超时" in mail.get_content() for n in range(5))
    assert Message.objects.filter(status=MessageStatus.DIGESTED).count() == 5


def test_one_wechat_authorisation_carries_one_message_then_sms_takes_over(customer_acme, clerk_li, wechat, sms_gateway):
    customer_update(actor=clerk_li, customer=customer_acme, preferred_channel="wechat")
    customer_acme.refresh_from_db()
    WeChatAuthorization.objects.create(customer=customer_acme, openid="o-acme")
    with time_machine.travel(NOON, tick=False):
        first = send_to_customer(customer_acme, key="a", purpose=Purpose.SERVICE, body="已派工")
        second = send_to_customer(customer_acme, key="b", purpose=Purpose.SERVICE, body="工程师已出发")
        deliver_due()
    assert (first.channel, second.channel) == (Channel.WECHAT, Channel.SMS)
    assert [m["touser"] for m in wechat.sent] == ["o-acme"]
    assert [s.out_id for s in sms_gateway.inbox] == ["b"]


def test_a_refused_wechat_message_falls_back_to_sms(customer_acme, clerk_li, wechat, sms_gateway):
    customer_update(actor=clerk_li, customer=customer_acme, preferred_channel="wechat")
    customer_acme.refresh_from_db()
    WeChatAuthorization.objects.create(customer=customer_acme, openid="o-gone")
    wechat.refuse.add("o-gone")
    with time_machine.travel(NOON, tick=False):
        message = send_to_customer(customer_acme, key="a", purpose=Purpose.SERVICE, body="已派工")
        deliver_due()
        deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    fallback = message.fallbacks.get()
    assert (fallback.channel, fallback.status) == (Channel.SMS, MessageStatus.SENT)
    assert [s.text for s in sms_gateway.inbox] == ["已派工"]


def test_an_administrator_sees_dead_letters_and_sends_one_again(client, customer_acme, sms_gateway):
    admin = f.staff("admin_ma", "administrator", None)
    sms_gateway.behaviour.errors = ["isv.MOBILE_NUMBER_ILLEGAL"]
    with time_machine.travel(NOON, tick=False):
        message = sms(customer_acme)
        deliver_due()
    client.force_login(admin)
    page = client.get(reverse("notifications:outbox") + "?status=dead")
    assert "isv.MOBILE_NUMBER_ILLEGAL" in page.content.decode()
    client.post(reverse("notifications:outbox_retry", args=[message.pk]))
    deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(sms_gateway.inbox) == 1


def test_only_a_dead_message_can_be_sent_again(customer_acme):
    from aftersales.core.errors import ConflictError

    admin = f.staff("admin_ma", "administrator", None)
    message = sms(customer_acme)
    with pytest.raises(ConflictError):
        message_retry(actor=admin, message=message)


def test_the_outbox_is_closed_to_desk_clerks(client, clerk_li, customer_acme):
    message = sms(customer_acme)
    client.force_login(clerk_li)
    assert client.get(reverse("notifications:outbox")).status_code == 403
    assert client.post(reverse("notifications:outbox_retry", args=[message.pk])).status_code == 403
