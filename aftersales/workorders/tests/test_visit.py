"""On site (REP-01, REP-05, DISP-04, DISP-05): contact, check-in, completion, signatures, escalation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.core.errors import ConflictError
from aftersales.notifications.models import Notice
from aftersales.servicedesk.models import ServiceRequest
from aftersales.testing import factories as f
from aftersales.testing import signatures
from aftersales.workorders import services
from aftersales.workorders.models import Signature, Status, Visit, VisitResult, WorkOrderEvent
from conftest import at


@pytest.mark.req("DISP-05")
def test_reaching_the_customer_stops_the_contact_clock_and_keeps_the_agreed_time(tech_zhang, assigned):
    when = timezone.now() + dt.timedelta(days=1)
    services.work_order_record_contact(actor=tech_zhang, work_order=assigned, appointment_at=when)
    assigned.refresh_from_db()
    assert assigned.appointment_at == when and assigned.contacted_at is not None
    assert ServiceRequest.objects.get(pk=assigned.request_id).contacted_at is not None


def test_an_agreed_time_in_the_past_is_refused(tech_zhang, assigned):
    with pytest.raises(ValidationError):
        services.work_order_record_contact(actor=tech_zhang, work_order=assigned, appointment_at=timezone.now() - dt.timedelta(days=1))
    assigned.refresh_from_db()
    assert assigned.contacted_at is None


@pytest.mark.req("REP-01")
def test_checking_in_starts_a_visit_with_the_phones_position_and_stops_the_arrival_clock(tech_zhang, assigned):
    visit = services.work_order_check_in(actor=tech_zhang, work_order=assigned, latitude=Decimal("31.203400"),
                                         longitude=Decimal("121.587200"), accuracy=35)
    assigned.refresh_from_db()
    sr = assigned.request
    assert assigned.status == Status.ON_SITE
    assert (visit.latitude, visit.longitude, visit.location_accuracy_m) == (Decimal("31.203400"), Decimal("121.587200"), 35)
    assert sr.status == "in_service" and sr.arrived_at == visit.arrived_at


def test_a_check_in_without_a_position_still_counts(tech_zhang, assigned):
    visit = services.work_order_check_in(actor=tech_zhang, work_order=assigned)
    assert visit.latitude is None and Visit.objects.count() == 1


def test_a_position_off_the_earth_is_refused(tech_zhang, assigned):
    with pytest.raises(ValidationError):
        services.work_order_check_in(actor=tech_zhang, work_order=assigned, latitude=Decimal("95"), longitude=Decimal("10"))
    assert not Visit.objects.exists()


def test_checking_in_twice_is_a_conflict_and_adds_no_visit(tech_zhang, on_site):
    with pytest.raises(ConflictError):
        services.work_order_check_in(actor=tech_zhang, work_order=on_site)
    assert Visit.objects.count() == 1


def test_completing_before_check_in_is_a_conflict(tech_zhang, assigned):
    with pytest.raises(ConflictError):
        services.work_order_complete(actor=tech_zhang, work_order=assigned, work_done="更换皮带", signature=signatures.SIGNED, signer_name="王工")
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED and not Signature.objects.exists()


@pytest.mark.req("REP-01")
def test_completing_with_the_customers_signature_closes_the_call_and_archives_the_voucher(tech_zhang, on_site):
    wo = services.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="更换主轴皮带", fault_cause="皮带老化",
                                      labour_minutes=90, signature=signatures.SIGNED, signer_name="王工")
    sr = ServiceRequest.objects.get(pk=wo.request_id)
    assert (wo.status, sr.status) == (Status.COMPLETED, "closed")
    assert wo.archived_at is not None and sr.closed_at is not None
    signature = Signature.objects.get(work_order=wo, purpose="completion")
    assert signature.signer_name == "王工" and bytes(signature.image).startswith(b"\x89PNG")
    visit = Visit.objects.get(work_order=wo)
    assert (visit.result, visit.labour_minutes, visit.fault_cause) == (VisitResult.COMPLETED, 90, "皮带老化")


@pytest.mark.req("REP-01")
@pytest.mark.req("DISP-02")
def test_the_calls_sla_result_is_stored_in_working_time_when_it_is_closed(clerk_li, supervisor_wang, tech_zhang, customer_acme, lathe_model):
    from aftersales.servicedesk.services import RequestInput, service_request_register

    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-0001", sold=dt.date(2026, 9, 1))  # in warranty that week

    # Called Friday 2026-11-20 at 16:00 (urban, 6 working hours): 1.5 h on Friday, 3.5 h on Monday morning and
    # 1 h after lunch, so due Monday 23rd at 14:30. The technician arrives at 16:30: two working hours late,
    # 1.5 + 3.5 + 3 = 8 working hours after the call.
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=True):  # the week the story happens in
        sr = service_request_register(actor=clerk_li, data=RequestInput(
            customer=lathe.customer, equipment=lathe, contact_phone="13800138000", fault_description="异响", received_at=at(2026, 11, 20, 16, 0)))
        wo = services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang, now=at(2026, 11, 20, 16, 30))
        services.work_order_check_in(actor=tech_zhang, work_order=wo, now=at(2026, 11, 23, 16, 30))
        services.work_order_complete(actor=tech_zhang, work_order=wo, work_done="调整", signature=signatures.SIGNED, signer_name="王工",
                                     now=at(2026, 11, 23, 17, 0))
        sr.refresh_from_db()
        assert sr.arrival_due_at == at(2026, 11, 23, 14, 30)
        assert (sr.arrival_sla_met, sr.arrival_late_minutes, sr.arrival_used_minutes) == (False, 120, 8 * 60)


@pytest.mark.parametrize("bad", [signatures.EMPTY, signatures.NOT_AN_IMAGE, signatures.JPEG_DATA_URL, "", "%%%not base64%%%"])
def test_a_signature_that_is_empty_or_not_a_png_image_is_refused_and_changes_nothing(tech_zhang, on_site, bad):
    with pytest.raises(ValidationError) as exc:
        services.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="调整", signature=bad, signer_name="王工")
    assert "signature" in exc.value.message_dict
    on_site.refresh_from_db()
    assert on_site.status == Status.ON_SITE and not Signature.objects.exists()
    assert ServiceRequest.objects.get(pk=on_site.request_id).status == "in_service"


def test_a_signature_needs_the_signers_name(tech_zhang, on_site):
    with pytest.raises(ValidationError) as exc:
        services.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="调整", signature=signatures.SIGNED, signer_name=" ")
    assert "signer_name" in exc.value.message_dict


@pytest.mark.req("REP-01")
def test_without_a_signature_completion_waits_for_the_supervisors_reason(supervisor_wang, tech_zhang, on_site):
    with pytest.raises(ValidationError):
        services.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="调整")
    with pytest.raises(PermissionDenied):
        services.work_order_waive_signature(actor=tech_zhang, work_order=on_site, reason="客户不在")
    services.work_order_waive_signature(actor=supervisor_wang, work_order=on_site, reason="客户出差，由门卫确认")
    wo = services.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="调整")
    assert wo.status == Status.COMPLETED and wo.signature_waived_by == supervisor_wang
    assert "客户出差" in WorkOrderEvent.objects.get(work_order=wo, kind="complete").note


@pytest.mark.req("REP-05")
def test_a_visit_needing_another_visit_gives_the_reason_and_waits_for_the_next(tech_zhang, on_site):
    wo = services.work_order_end_visit(actor=tech_zhang, work_order=on_site, result=VisitResult.REVISIT, reason="需订购伺服驱动器",
                                       work_done="诊断", labour_minutes=40)
    assert wo.status == Status.ASSIGNED
    visit = Visit.objects.get(work_order=wo)
    assert (visit.result, visit.result_note) == (VisitResult.REVISIT, "需订购伺服驱动器")
    services.work_order_check_in(actor=tech_zhang, work_order=wo)
    assert Visit.objects.filter(work_order=wo).count() == 2


def test_ending_a_visit_needs_a_reason(tech_zhang, on_site):
    with pytest.raises(ValidationError):
        services.work_order_end_visit(actor=tech_zhang, work_order=on_site, result=VisitResult.REVISIT, reason="")
    on_site.refresh_from_db()
    assert on_site.status == Status.ON_SITE


@pytest.mark.req("DISP-04")
def test_a_job_that_cannot_be_finished_in_time_goes_to_the_supervisor_at_once(supervisor_wang, tech_zhang, on_site):
    wo = services.work_order_end_visit(actor=tech_zhang, work_order=on_site, result=VisitResult.ESCALATED, reason="需厂家技术支持")
    assert wo.escalated_at is not None and wo.escalation_reason == "需厂家技术支持"
    notice = Notice.objects.get(recipient=supervisor_wang, kind="escalation")
    assert wo.number in notice.title


def test_another_technician_cannot_act_on_the_job(assigned, shanghai):
    from aftersales.testing import factories as f

    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    with pytest.raises(PermissionDenied):
        services.work_order_check_in(actor=tech_qian, work_order=assigned)
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED


def test_a_stale_page_gets_a_conflict(tech_zhang, assigned):
    with pytest.raises(ConflictError):
        services.work_order_check_in(actor=tech_zhang, work_order=assigned, expected_version=assigned.version + 1)
    assert not Visit.objects.exists()


def test_cancelling_a_voucher_returns_the_call_to_the_queue(supervisor_wang, tech_zhang, assigned):
    services.work_order_cancel(actor=supervisor_wang, work_order=assigned, reason="客户改约下周")
    sr = ServiceRequest.objects.get(pk=assigned.request_id)
    assert sr.status == "registered"
    assert Notice.objects.filter(recipient=tech_zhang, kind="job_cancelled").exists()


def test_cancelling_a_voucher_and_its_call_together(supervisor_wang, assigned):
    services.work_order_cancel(actor=supervisor_wang, work_order=assigned, reason="客户自行修好", cancel_call=True)
    assert ServiceRequest.objects.get(pk=assigned.request_id).status == "cancelled"


def test_a_call_with_an_open_voucher_cannot_be_cancelled_alone(clerk_li, assigned):
    from aftersales.servicedesk.services import service_request_cancel

    with pytest.raises(ConflictError) as exc:
        service_request_cancel(actor=clerk_li, request=assigned.request, reason="客户取消")
    assert assigned.number in exc.value.message


def test_a_revisit_for_parts_pauses_the_call_until_the_next_check_in(tech_zhang, on_site):
    services.work_order_end_visit(actor=tech_zhang, work_order=on_site, result=VisitResult.REVISIT, reason="等伺服驱动器",
                                  waiting_for="parts")
    assert ServiceRequest.objects.get(pk=on_site.request_id).status == "waiting_parts"
    services.work_order_check_in(actor=tech_zhang, work_order=on_site)
    assert ServiceRequest.objects.get(pk=on_site.request_id).status == "in_service"


# ---- check-in measured against the machine's site (KB-03) ----

SITE = (Decimal("31.221500"), Decimal("121.544300"))  # the lathe's workshop in Pudong


def _revisit(tech, wo):
    services.work_order_end_visit(actor=tech, work_order=wo, result=VisitResult.REVISIT, reason="缺件")
    wo.refresh_from_db()


@pytest.mark.req("KB-03")
def test_the_first_precise_check_in_teaches_the_machines_site(tech_zhang, assigned, lathe):
    services.work_order_check_in(actor=tech_zhang, work_order=assigned, latitude=SITE[0], longitude=SITE[1], accuracy=20)
    lathe.refresh_from_db()
    assert (lathe.site_latitude, lathe.site_longitude) == SITE and lathe.site_position_at is not None


def test_an_imprecise_check_in_does_not_set_the_site(tech_zhang, assigned, lathe):
    services.work_order_check_in(actor=tech_zhang, work_order=assigned, latitude=SITE[0], longitude=SITE[1], accuracy=900)
    lathe.refresh_from_db()
    assert lathe.site_latitude is None


@pytest.mark.req("KB-03")
def test_a_check_in_far_from_the_site_is_flagged_for_the_supervisor(tech_zhang, supervisor_wang, assigned, lathe):
    type(lathe).objects.filter(pk=lathe.pk).update(site_latitude=SITE[0], site_longitude=SITE[1])
    visit = services.work_order_check_in(actor=tech_zhang, work_order=assigned, latitude=Decimal("31.250000"), longitude=SITE[1], accuracy=30)
    assert visit.far_from_site and 3100 < visit.distance_from_site_m < 3200
    assert WorkOrderEvent.objects.filter(work_order=assigned, kind="checkin_far").exists()
    assert Notice.objects.filter(recipient=supervisor_wang, kind="checkin_far").exists()


@pytest.mark.req("KB-03")
def test_a_check_in_at_the_gate_is_measured_and_not_flagged(tech_zhang, supervisor_wang, assigned, lathe):
    type(lathe).objects.filter(pk=lathe.pk).update(site_latitude=SITE[0], site_longitude=SITE[1])
    visit = services.work_order_check_in(actor=tech_zhang, work_order=assigned, latitude=Decimal("31.222000"), longitude=SITE[1], accuracy=30)
    assert not visit.far_from_site and 50 < visit.distance_from_site_m < 60
    assert not Notice.objects.filter(kind="checkin_far").exists()


def test_the_far_distance_is_a_rule_the_administrator_changes(tech_zhang, assigned, lathe):
    from aftersales.configuration.services import rule_set

    admin_an = f.staff("admin_an", "administrator", None)
    type(lathe).objects.filter(pk=lathe.pk).update(site_latitude=SITE[0], site_longitude=SITE[1])
    rule_set(actor=admin_an, key="workorders.checkin_far_metres", value=5000, reason="农场现场范围大")
    visit = services.work_order_check_in(actor=tech_zhang, work_order=assigned, latitude=Decimal("31.250000"), longitude=SITE[1], accuracy=30)
    assert not visit.far_from_site


def test_the_technician_picks_a_fault_code_of_the_machines_family(tech_zhang, on_site, lathe_model):
    from aftersales.core.models import FaultCode

    spindle = FaultCode.objects.create(category=lathe_model.category, code="MT01", name="主轴异响")
    other = FaultCode.objects.create(category=f.CategoryFactory(code="farm"), code="FM01", name="发动机难启动")
    with pytest.raises(ValidationError) as exc:
        services.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="更换轴承", fault_code=other,
                                     signature=signatures.SIGNED, signer_name="王工")
    assert "fault_code" in exc.value.message_dict
    services.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="更换轴承", fault_code=spindle, fault_cause="轴承磨损",
                                 signature=signatures.SIGNED, signer_name="王工")
    assert Visit.objects.get(work_order=on_site).fault_code == spindle
