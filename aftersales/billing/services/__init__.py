"""Writes of billing: prices and charges, quotations, discounts, invoices, payments, hand-overs, agreements."""

from aftersales.billing.services.charges import (
    active_price_list,
    bill_preview,
    billable_minutes,
    charge_add,
    charge_adjust,
    charge_override_coverage,
    charges_price_job,
    discount_decide,
    discount_request,
    work_order_return_part,
    work_order_use_part,
)
from aftersales.billing.services.coverage import CoverageDecision, decide_coverage
from aftersales.billing.services.invoices import (
    agreement_create,
    amount_due,
    cash_handover_receive,
    invoice_issue,
    invoice_void,
    payment_record,
    settlement_create,
    settlement_invoice,
    totals,
    unhanded_cash,
)
from aftersales.billing.services.quotations import QuoteItem, quotation_accept, quotation_create, quotation_decline, quotation_send

__all__ = [
    "CoverageDecision", "QuoteItem", "active_price_list", "agreement_create", "amount_due", "bill_preview", "billable_minutes", "cash_handover_receive",
    "charge_add", "charge_adjust", "charge_override_coverage", "charges_price_job", "decide_coverage", "discount_decide", "discount_request", "invoice_issue",
    "invoice_void", "payment_record", "quotation_accept", "quotation_create", "quotation_decline", "quotation_send", "settlement_create",
    "settlement_invoice", "totals", "unhanded_cash", "work_order_return_part", "work_order_use_part",
]
