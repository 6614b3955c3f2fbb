"""Overrides, cancellation, illegal transitions and concurrent changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.core.errors import ConflictError
from aftersales.servicedesk.models import RequestEvent
from aftersales.servicedesk.services import (
    RequestInput,
    service_request_cancel,
    service_request_override_category,
    service_request_register,
    service_request_transition,
)


@pytest.fixture
def call(clerk_li, customer_acme):
    return service_request_register(actor=clerk_li, data=RequestInput(
        customer=customer_acme, contact_phone="13800138000", fault_description="开机无显示"))


@pytest.mark.req("CLS-01")
def test_a_supervisor_overrides_the_category_with_a_reason_and_it_is_audited(supervisor_wang, call):
    updated = service_request_override_category(actor=supervisor_wang, request=call, category="C", reason="销售承诺免费", expected_version=call.version)
    assert (updated.category, updated.category_overridden) == ("C", True)
    assert "销售承诺免费" in updated.category_reason
    event = RequestEvent.objects.get(request=call, kind="category_overridden")
    assert (event.from_state, event.to_state, event.actor) == ("A", "C", supervisor_wang)
    assert updated.history.first().history_user == supervisor_wang


def test_an_override_without_a_reason_is_refused_and_changes_nothing(supervisor_wang, call):
    with pytest.raises(ValidationError) as exc:
        service_request_override_category(actor=supervisor_wang, request=call, category="C", reason=" ")
    assert "改判必须填写原因" in exc.value.message_dict["reason"][0]
    call.refresh_from_db()
    assert (call.category, call.version) == ("A", 1)


def test_a_desk_clerk_may_not_override_the_category(clerk_li, call):
    with pytest.raises(PermissionDenied):
        service_request_override_category(actor=clerk_li, request=call, category="C", reason="想免费")


def test_a_supervisor_of_another_centre_may_not_override(call, suzhou):
    from aftersales.testing import factories as f

    supervisor_liu = f.staff("supervisor_liu", "supervisor", suzhou)
    with pytest.raises(PermissionDenied):
        service_request_override_category(actor=supervisor_liu, request=call, category="C", reason="跨中心")


def test_a_stale_version_is_detected_as_a_concurrent_change(supervisor_wang, call):
    service_request_override_category(actor=supervisor_wang, request=call, category="C", reason="第一次", expected_version=1)
    with pytest.raises(ConflictError):
        service_request_override_category(actor=supervisor_wang, request=call, category="B", reason="第二次", expected_version=1)
    call.refresh_from_db()
    assert call.category == "C"


def test_cancelling_needs_a_reason_and_is_logged(clerk_li, call):
    with pytest.raises(ValidationError):
        service_request_cancel(actor=clerk_li, request=call, reason="")
    cancelled = service_request_cancel(actor=clerk_li, request=call, reason="客户已自行修好")
    assert cancelled.status == "cancelled"
    assert RequestEvent.objects.filter(request=call, kind="cancel", from_state="registered", to_state="cancelled").exists()


def test_an_illegal_transition_is_refused_with_a_conflict_and_changes_nothing(clerk_li, call):
    with pytest.raises(ConflictError) as exc:
        service_request_transition(actor=clerk_li, request=call, transition="close")
    assert "不允许" in exc.value.message
    call.refresh_from_db()
    assert call.status == "registered"
