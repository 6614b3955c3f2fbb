"""Dispatch (DISP-01, DISP-03, DISP-05): assign, reassign, batch, suggestions and conflicts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from aftersales.core.errors import ConflictError
from aftersales.notifications.models import Notice
from aftersales.servicedesk.models import RequestEvent, ServiceRequest
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.workorders import services
from aftersales.workorders.models import Status, WorkOrder, WorkOrderEvent
from aftersales.workorders.selectors import technicians_for


@pytest.mark.req("DISP-01")
def test_assigning_a_call_makes_a_numbered_voucher_and_moves_the_call_to_dispatched(supervisor_wang, tech_zhang, call):
    wo = services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang)

    call.refresh_from_db()
    assert wo.number.startswith("PG" + timezone.localdate().strftime("%y%m%d")) and len(wo.number) == 12
    assert (wo.status, wo.technician, wo.assigned_by, wo.category) == (Status.ASSIGNED, tech_zhang, supervisor_wang, "C")
    assert call.status == "dispatched"
    assert WorkOrderEvent.objects.filter(work_order=wo, kind="assigned", actor=supervisor_wang).exists()
    assert RequestEvent.objects.filter(request=call, kind="dispatch", note__contains=wo.number).exists()


def test_the_technician_is_told_of_the_new_job_in_the_app(supervisor_wang, tech_zhang, call):
    wo = services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang)
    notice = Notice.objects.get(recipient=tech_zhang)
    assert wo.number in notice.title and notice.url == f"/m/jobs/{wo.pk}/"


@pytest.mark.req("DISP-05")
def test_without_an_agreed_time_the_contact_clock_runs_24_hours_from_the_notification(supervisor_wang, tech_zhang, call):
    later = timezone.now() + dt.timedelta(hours=5)
    services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang, now=later)
    call.refresh_from_db()
    assert call.contact_due_at == later + dt.timedelta(hours=24)


def test_a_technician_of_another_centre_is_refused_without_a_reason(supervisor_wang, tech_huang, call):
    with pytest.raises(ValidationError) as exc:
        services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_huang)
    assert exc.value.code == "needs_override" and "tech_huang" in exc.value.message_dict["override_reason"][0]
    call.refresh_from_db()
    assert call.status == "registered" and not WorkOrder.objects.exists()


def test_a_technician_without_the_skill_is_refused_without_a_reason(supervisor_wang, tech_wu, call):
    with pytest.raises(ValidationError) as exc:
        services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_wu)
    assert exc.value.code == "needs_override"
    assert not WorkOrder.objects.exists()


def test_the_supervisor_may_override_with_a_reason_which_is_kept_on_the_voucher(supervisor_wang, tech_wu, call):
    wo = services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_wu, override_reason="机床组全员外出，先去看看")
    assert wo.assignment_override == "机床组全员外出，先去看看"
    assert "机床组全员外出" in WorkOrderEvent.objects.get(work_order=wo, kind="assigned").note


def test_a_desk_clerk_may_not_dispatch(clerk_li, tech_zhang, call):
    with pytest.raises(PermissionDenied):
        services.work_order_assign(actor=clerk_li, request=call, technician=tech_zhang)


def test_a_supervisor_of_another_centre_may_not_dispatch(supervisor_liu, tech_zhang, call):
    with pytest.raises(PermissionDenied):
        services.work_order_assign(actor=supervisor_liu, request=call, technician=tech_zhang)


def test_a_call_already_dispatched_gets_a_conflict_naming_who_has_it(supervisor_wang, tech_zhang, call, shanghai):
    services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang)
    other = f.staff("supervisor_zhao", "supervisor", shanghai)
    with pytest.raises(ConflictError) as exc:
        services.work_order_assign(actor=other, request=call, technician=tech_zhang)
    assert "tech_zhang" in exc.value.message
    assert WorkOrder.objects.count() == 1


def test_a_user_who_is_not_a_technician_cannot_be_sent(supervisor_wang, clerk_li, call):
    with pytest.raises(ValidationError) as exc:
        services.work_order_assign(actor=supervisor_wang, request=call, technician=clerk_li, override_reason="试试")
    assert exc.value.code == "not_technician"


@pytest.mark.req("DISP-01")
def test_reassigning_needs_a_reason_and_tells_both_technicians(supervisor_wang, assigned, shanghai):
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    with pytest.raises(ValidationError):
        services.work_order_reassign(actor=supervisor_wang, work_order=assigned, technician=tech_qian, reason="")
    wo = services.work_order_reassign(actor=supervisor_wang, work_order=assigned, technician=tech_qian, reason="张伟请病假")
    assert wo.technician == tech_qian
    assert "张伟请病假" in WorkOrderEvent.objects.get(work_order=wo, kind="reassigned").note
    assert Notice.objects.filter(recipient=tech_qian, kind="new_job").exists()
    assert Notice.objects.filter(recipient=assigned.technician, kind="job_removed").exists()


def test_a_completed_voucher_cannot_be_reassigned(supervisor_wang, tech_zhang, on_site, shanghai):
    from aftersales.testing.signatures import SIGNED

    services.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="调整", signature=SIGNED, signer_name="王工")
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    with pytest.raises(ConflictError):
        services.work_order_reassign(actor=supervisor_wang, work_order=on_site, technician=tech_qian, reason="换人")
    on_site.refresh_from_db()
    assert on_site.technician == tech_zhang


def _another_call(clerk, lathe, fault="液压站漏油"):
    return service_request_register(actor=clerk, data=RequestInput(customer=lathe.customer, equipment=lathe, contact_phone="13800138000",
                                                                   fault_description=fault))


def test_a_batch_assigns_every_ticked_call(supervisor_wang, tech_zhang, clerk_li, call, lathe):
    second = _another_call(clerk_li, lathe)
    done = services.work_orders_batch_assign(actor=supervisor_wang, assignments=[(call, tech_zhang, ""), (second, tech_zhang, "")])
    assert len(done) == 2 and set(ServiceRequest.objects.values_list("status", flat=True)) == {"dispatched"}


def test_a_batch_with_one_refused_call_assigns_nothing_and_names_it(supervisor_wang, tech_zhang, tech_wu, clerk_li, call, lathe):
    second = _another_call(clerk_li, lathe)
    with pytest.raises(ValidationError) as exc:
        services.work_orders_batch_assign(actor=supervisor_wang, assignments=[(call, tech_zhang, ""), (second, tech_wu, "")])
    assert second.number in exc.value.messages[0]
    assert not WorkOrder.objects.exists()
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {"registered"}


def test_the_suggestion_prefers_the_skill_then_the_lighter_load(supervisor_wang, tech_zhang, tech_wu, call, shanghai):
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    technicians = technicians_for(supervisor_wang)
    loads = {tech_zhang.pk: 3, tech_qian.pk: 1, tech_wu.pk: 0}
    suggestion = services.suggest_technicians([call], technicians, loads, {})[call.pk]
    assert suggestion.technician == tech_qian  # tech_wu has no load but lacks the skill
    assert "tech_qian" in suggestion.reason and "1" in suggestion.reason


def test_suggestions_spread_a_batch_over_equally_skilled_technicians(supervisor_wang, tech_zhang, clerk_li, call, lathe, shanghai):
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    second = _another_call(clerk_li, lathe)
    picks = services.suggest_technicians([call, second], technicians_for(supervisor_wang), {}, {})
    assert {picks[call.pk].technician, picks[second.pk].technician} == {tech_zhang, tech_qian}


def test_the_most_urgent_call_chooses_first(supervisor_wang, tech_zhang, clerk_li, call, lathe, shanghai):
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    urgent = _another_call(clerk_li, lathe)
    ServiceRequest.objects.filter(pk=urgent.pk).update(carried_over=True)
    urgent.refresh_from_db()
    picks = services.suggest_technicians([call, urgent], technicians_for(supervisor_wang), {tech_zhang.pk: 0, tech_qian.pk: 1}, {})
    assert picks[urgent.pk].technician == tech_zhang


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_assigning_the_same_call_at_once_exactly_one_wins(shanghai, clerk_li, lathe_model, customer_acme):
    """Two real connections race on PostgreSQL: one voucher, one clear conflict."""
    supervisor_wang = f.staff("supervisor_wang", "supervisor", shanghai)
    supervisor_zhao = f.staff("supervisor_zhao", "supervisor", shanghai)
    tech_zhang = f.technician("tech_zhang", shanghai, skills=["machine-tool"])
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="RACE-1", sold=timezone.localdate())
    call = _another_call(clerk_li, lathe)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def assign(supervisor, technician):
        try:
            barrier.wait(timeout=10)
            services.work_order_assign(actor=supervisor, request=call, technician=technician)
            outcomes.append("won")
        except ConflictError as exc:
            outcomes.append("conflict: " + exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(supervisor_wang, tech_zhang)),
               threading.Thread(target=assign, args=(supervisor_zhao, tech_qian))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "won"]
    conflict = next(o for o in outcomes if o.startswith("conflict"))
    assert call.number in conflict and ("tech_zhang" in conflict or "tech_qian" in conflict)
    assert WorkOrder.objects.filter(request=call).count() == 1
