"""Spare parts: catalogue, warehouses and the stock ledger, requisitions, parts used on jobs, old parts,
warranty claims, back-orders and stock counts (PART-01..06)."""

from aftersales.parts.models.catalogue import Part, Supplier
from aftersales.parts.models.claims import DECIDED as DECIDED_CLAIMS
from aftersales.parts.models.claims import BackOrder, BackOrderStatus, ClaimAttachment, ClaimStatus, OldPart, OldPartStatus, WarrantyClaim
from aftersales.parts.models.stock import (
    MovementKind,
    Requisition,
    RequisitionLine,
    RequisitionStatus,
    StockBalance,
    StockCount,
    StockCountLine,
    StockMovement,
    Warehouse,
    WarehouseLevel,
    WorkOrderPart,
)

__all__ = [
    "DECIDED_CLAIMS",
    "BackOrder",
    "BackOrderStatus",
    "ClaimAttachment",
    "ClaimStatus",
    "MovementKind",
    "OldPart",
    "OldPartStatus",
    "Part",
    "Requisition",
    "RequisitionLine",
    "RequisitionStatus",
    "StockBalance",
    "StockCount",
    "StockCountLine",
    "StockMovement",
    "Supplier",
    "Warehouse",
    "WarehouseLevel",
    "WarrantyClaim",
    "WorkOrderPart",
]
