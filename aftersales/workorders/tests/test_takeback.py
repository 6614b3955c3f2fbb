"""Take-back repair (REP-02..04, DISP-06, DISP-07): receipt, register, repair card, inspection, return."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.core.errors import ConflictError
from aftersales.notifications.models import Notice
from aftersales.servicedesk.models import ServiceRequest
from aftersales.testing import signatures
from aftersales.workorders import services
from aftersales.workorders.models import GoodsReceipt, RepairCard, Signature, Status, WorkOrderEvent
from aftersales.workorders.selectors import goods_register, workshop_list
from conftest import at


@pytest.mark.req("REP-02")
def test_taking_back_issues_a_numbered_receipt_logs_the_register_and_opens_a_repair_card(tech_zhang, taken_back):
    receipt = GoodsReceipt.objects.get(work_order=taken_back)
    assert receipt.number.startswith("SJ") and (receipt.condition, receipt.accessories) == ("外壳有划痕", "电源线1根")
    assert not receipt.is_void
    assert list(goods_register(user=tech_zhang)) == [receipt]  # the register's "in" line
    card = RepairCard.objects.get(work_order=taken_back)
    assert card.number.startswith("XH") and card.fault == "主轴异响"
    assert Signature.objects.filter(work_order=taken_back, purpose="take_back", signer_name="王工").exists()
    assert taken_back.status == Status.TAKEN_BACK


@pytest.mark.req("DISP-06")
def test_the_return_is_promised_within_three_working_days(supervisor_wang, tech_zhang, call):
    wo = services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang)
    services.work_order_check_in(actor=tech_zhang, work_order=wo, now=at(2026, 11, 23, 10, 0))
    services.work_order_take_back(actor=tech_zhang, work_order=wo, condition="完好", signature=signatures.SIGNED, signer_name="王工",
                                  now=at(2026, 11, 23, 11, 0))
    wo.refresh_from_db()
    assert wo.promised_return_at == at(2026, 11, 26, 17, 30)


def test_a_centre_may_promise_a_different_number_of_working_days(supervisor_wang, tech_zhang, call, shanghai):
    shanghai.return_working_days = 5
    shanghai.save()
    wo = services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang)
    services.work_order_check_in(actor=tech_zhang, work_order=wo, now=at(2026, 11, 23, 10, 0))
    services.work_order_take_back(actor=tech_zhang, work_order=wo, condition="完好", signature=signatures.SIGNED, signer_name="王工",
                                  now=at(2026, 11, 23, 11, 0))
    wo.refresh_from_db()
    assert wo.promised_return_at == at(2026, 11, 30, 17, 30)


def test_taking_back_needs_the_items_condition_and_the_customers_signature(tech_zhang, on_site):
    with pytest.raises(ValidationError):
        services.work_order_take_back(actor=tech_zhang, work_order=on_site, condition="", signature=signatures.SIGNED, signer_name="王工")
    with pytest.raises(ValidationError):
        services.work_order_take_back(actor=tech_zhang, work_order=on_site, condition="完好", signature="", signer_name="王工")
    assert not GoodsReceipt.objects.exists() and not RepairCard.objects.exists()


@pytest.mark.req("REP-03")
def test_the_repair_card_records_the_actual_time_and_the_parts_replaced(repaired):
    card = RepairCard.objects.get(work_order=repaired)
    assert (card.repair_minutes, card.work_done) == (150, "更换主轴轴承")
    assert [(p.description, p.quantity) for p in card.parts.all()] == [("主轴轴承 6205", 2)]
    assert card.started_at is not None and card.finished_at is not None
    assert repaired.status == Status.REPAIRED


def test_a_part_without_a_quantity_is_refused(tech_zhang, taken_back):
    services.work_order_start_repair(actor=tech_zhang, work_order=taken_back)
    with pytest.raises(ValidationError):
        services.work_order_finish_repair(actor=tech_zhang, work_order=taken_back, repair_minutes=30, work_done="x", parts=[("轴承", 0)])
    taken_back.refresh_from_db()
    assert taken_back.status == Status.IN_REPAIR


@pytest.mark.req("REP-04")
def test_a_technician_may_not_inspect_his_own_repair(tech_zhang, repaired):
    with pytest.raises(PermissionDenied):
        services.work_order_inspect(actor=tech_zhang, work_order=repaired, passed=True)
    repaired.refresh_from_db()
    assert repaired.status == Status.REPAIRED


def test_a_failed_inspection_says_why_and_sends_the_item_back_to_repair(supervisor_wang, repaired):
    with pytest.raises(ValidationError):
        services.work_order_inspect(actor=supervisor_wang, work_order=repaired, passed=False, note="")
    wo = services.work_order_inspect(actor=supervisor_wang, work_order=repaired, passed=False, note="主轴仍有异响")
    assert wo.status == Status.IN_REPAIR and RepairCard.objects.get(work_order=wo).inspection_note == "主轴仍有异响"


def test_returning_before_inspection_is_a_conflict(tech_zhang, repaired):
    receipt = repaired.receipt
    with pytest.raises(ConflictError):
        services.work_order_give_back(actor=tech_zhang, work_order=repaired, receipt_no=receipt.number, signature=signatures.SIGNED,
                                      signer_name="王工")
    receipt.refresh_from_db()
    assert not receipt.is_void


@pytest.mark.req("REP-04")
def test_returning_the_inspected_item_voids_the_receipt_and_closes_the_call(tech_zhang, inspected):
    number = inspected.receipt.number
    wo = services.work_order_give_back(actor=tech_zhang, work_order=inspected, receipt_no=number.lower(), signature=signatures.SIGNED,
                                       signer_name="王工（盖章）")
    receipt = GoodsReceipt.objects.get(number=number)
    assert receipt.is_void and receipt.returned_at is not None and receipt.returned_by == tech_zhang
    assert wo.status == Status.RETURNED and wo.archived_at is not None
    assert ServiceRequest.objects.get(pk=wo.request_id).status == "closed"
    assert Signature.objects.filter(work_order=wo, purpose="return").exists()
    assert list(workshop_list(user=tech_zhang)) == []


def test_a_receipt_number_that_does_not_exist_is_refused(tech_zhang, inspected):
    with pytest.raises(ValidationError) as exc:
        services.work_order_give_back(actor=tech_zhang, work_order=inspected, receipt_no="SJ0000000000", signature=signatures.SIGNED,
                                      signer_name="王工")
    assert exc.value.code == "unknown_receipt"
    inspected.refresh_from_db()
    assert inspected.status == Status.INSPECTED


def test_a_voided_receipt_can_never_be_returned_again(tech_zhang, inspected):
    number = inspected.receipt.number
    services.work_order_give_back(actor=tech_zhang, work_order=inspected, receipt_no=number, signature=signatures.SIGNED, signer_name="王工")
    with pytest.raises(ValidationError) as exc:
        services.work_order_give_back(actor=tech_zhang, work_order=inspected, receipt_no=number, signature=signatures.SIGNED, signer_name="王工")
    assert exc.value.code == "voided_receipt"
    assert Signature.objects.filter(work_order=inspected, purpose="return").count() == 1


def test_another_vouchers_receipt_is_refused(supervisor_wang, tech_zhang, inspected, clerk_li, lathe):
    from aftersales.servicedesk.services import RequestInput, service_request_register

    other_call = service_request_register(actor=clerk_li, data=RequestInput(customer=lathe.customer, equipment=lathe,
                                                                             contact_phone="13800138000", fault_description="漏油"))
    other = services.work_order_assign(actor=supervisor_wang, request=other_call, technician=tech_zhang)
    services.work_order_check_in(actor=tech_zhang, work_order=other)
    other_receipt = services.work_order_take_back(actor=tech_zhang, work_order=other, condition="完好", signature=signatures.SIGNED,
                                                  signer_name="王工")
    with pytest.raises(ValidationError) as exc:
        services.work_order_give_back(actor=tech_zhang, work_order=inspected, receipt_no=other_receipt.number,
                                      signature=signatures.SIGNED, signer_name="王工")
    assert exc.value.code == "wrong_receipt"


def test_receipt_numbers_are_never_reused(tech_zhang, inspected, supervisor_wang, clerk_li, lathe):
    from aftersales.servicedesk.services import RequestInput, service_request_register

    first = inspected.receipt.number
    services.work_order_give_back(actor=tech_zhang, work_order=inspected, receipt_no=first, signature=signatures.SIGNED, signer_name="王工")
    second_call = service_request_register(actor=clerk_li, data=RequestInput(customer=lathe.customer, equipment=lathe,
                                                                              contact_phone="13800138000", fault_description="再次异响"))
    wo = services.work_order_assign(actor=supervisor_wang, request=second_call, technician=tech_zhang)
    services.work_order_check_in(actor=tech_zhang, work_order=wo)
    second = services.work_order_take_back(actor=tech_zhang, work_order=wo, condition="完好", signature=signatures.SIGNED, signer_name="王工")
    assert second.number != first and GoodsReceipt.objects.filter(number=first).count() == 1


def test_an_item_in_the_workshop_cannot_be_cancelled_away(supervisor_wang, taken_back):
    with pytest.raises(ConflictError) as exc:
        services.work_order_cancel(actor=supervisor_wang, work_order=taken_back, reason="客户不修了")
    assert taken_back.receipt.number in exc.value.message


@pytest.mark.req("DISP-06")
def test_the_sweeper_flags_an_item_past_its_promise_once_and_tells_the_supervisor(supervisor_wang, tech_zhang, taken_back):
    later = taken_back.promised_return_at + dt.timedelta(minutes=1)
    assert services.return_overdue_sweep(now=taken_back.promised_return_at - dt.timedelta(minutes=1)) == 0
    assert services.return_overdue_sweep(now=later) == 1
    assert services.return_overdue_sweep(now=later + dt.timedelta(hours=1)) == 0
    assert WorkOrderEvent.objects.filter(work_order=taken_back, kind="return_overdue").count() == 1
    assert Notice.objects.filter(recipient=supervisor_wang, kind="return_overdue").count() == 1
    assert Notice.objects.filter(recipient=tech_zhang, kind="return_overdue").count() == 1


@pytest.mark.req("DISP-07")
def test_a_late_repair_is_reported_with_a_reason_a_new_date_and_how_the_customer_was_told(supervisor_wang, tech_zhang, taken_back):
    new_date = timezone.now() + dt.timedelta(days=5)
    wo = services.work_order_report_delay(actor=tech_zhang, work_order=taken_back, reason="等待进口轴承到货", new_promised_at=new_date,
                                          customer_told_via="phone")
    assert (wo.promised_return_at, wo.customer_told_via, wo.delay_reason) == (new_date, "phone", "等待进口轴承到货")
    assert Notice.objects.filter(recipient=supervisor_wang, kind="repair_delay").exists()


def test_a_delay_report_without_saying_how_the_customer_was_told_is_refused(tech_zhang, taken_back):
    with pytest.raises(ValidationError) as exc:
        services.work_order_report_delay(actor=tech_zhang, work_order=taken_back, reason="等件", new_promised_at=timezone.now() + dt.timedelta(days=2),
                                         customer_told_via="")
    assert "customer_told_via" in exc.value.message_dict


def test_the_periodic_task_runs_the_workshop_sweeper(taken_back):
    from aftersales.workorders.tasks import sweep_overdue_returns

    with time_machine.travel(taken_back.promised_return_at + dt.timedelta(hours=1), tick=False):
        sweep_overdue_returns.call_local()
    taken_back.refresh_from_db()
    assert taken_back.return_overdue_flagged_at is not None
