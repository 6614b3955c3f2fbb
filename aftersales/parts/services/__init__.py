"""Writes of the parts module: catalogue, stock ledger, requisitions, job usage, old parts, claims, back-orders, counts."""

from aftersales.parts.services.catalogue import export_parts_xlsx, import_parts, part_create, part_update
from aftersales.parts.services.claims import (
    backorder_arrive,
    backorder_create,
    backorder_delay,
    claim_attach,
    claim_create,
    claim_decide,
    claim_submit,
    old_part_tag,
    old_parts_receive,
    old_parts_ship,
)
from aftersales.parts.services.counts import stock_count_post, stock_count_record, stock_count_start
from aftersales.parts.services.requisitions import requisition_cancel, requisition_create, requisition_decide, requisition_transfer
from aftersales.parts.services.stock import (
    center_warehouse,
    central_warehouse,
    clean_quantity,
    old_parts_warehouse,
    on_hand,
    post_movement,
    stock_correct,
    stock_receive,
    stock_scrap,
    stock_transfer,
    van_warehouse,
)
from aftersales.parts.services.usage import part_issue_to_work_order, part_order_for_job, part_return_from_work_order, parts_cost

__all__ = [
    "backorder_arrive", "backorder_create", "backorder_delay", "center_warehouse", "central_warehouse", "claim_attach", "claim_create",
    "claim_decide", "claim_submit", "clean_quantity", "export_parts_xlsx", "import_parts", "old_part_tag", "old_parts_receive",
    "old_parts_ship", "old_parts_warehouse", "on_hand", "part_create", "part_issue_to_work_order", "part_order_for_job", "part_return_from_work_order",
    "part_update", "parts_cost", "post_movement", "requisition_cancel", "requisition_create", "requisition_decide", "requisition_transfer",
    "stock_correct", "stock_count_post", "stock_count_record", "stock_count_start", "stock_receive", "stock_scrap", "stock_transfer",
    "van_warehouse",
]
