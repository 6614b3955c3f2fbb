"""Writes of the service loop, split by stage: dispatch, visit, take-back, cancel, sweep."""

from aftersales.workorders.services.cancel import work_order_cancel
from aftersales.workorders.services.dispatch import (
    Suggestion,
    assignment_problems,
    suggest_technicians,
    work_order_assign,
    work_order_reassign,
    work_orders_batch_assign,
)
from aftersales.workorders.services.photos import work_order_add_photo
from aftersales.workorders.services.signatures import decode_signature
from aftersales.workorders.services.sweep import return_overdue_sweep
from aftersales.workorders.services.takeback import (
    find_receipt,
    goods_receipt_set_location,
    work_order_finish_repair,
    work_order_give_back,
    work_order_inspect,
    work_order_report_delay,
    work_order_start_repair,
    work_order_take_back,
)
from aftersales.workorders.services.visit import (
    work_order_check_in,
    work_order_complete,
    work_order_end_visit,
    work_order_escalate,
    work_order_record_contact,
    work_order_record_paid_acceptance,
    work_order_set_out,
    work_order_waive_signature,
)

__all__ = [
    "Suggestion",
    "assignment_problems",
    "decode_signature",
    "find_receipt",
    "goods_receipt_set_location",
    "return_overdue_sweep",
    "suggest_technicians",
    "work_order_add_photo",
    "work_order_assign",
    "work_order_cancel",
    "work_order_check_in",
    "work_order_complete",
    "work_order_end_visit",
    "work_order_escalate",
    "work_order_finish_repair",
    "work_order_give_back",
    "work_order_inspect",
    "work_order_reassign",
    "work_order_record_contact",
    "work_order_record_paid_acceptance",
    "work_order_report_delay",
    "work_order_set_out",
    "work_order_start_repair",
    "work_order_take_back",
    "work_order_waive_signature",
    "work_orders_batch_assign",
]
