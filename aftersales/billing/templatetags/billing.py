"""Billing in other apps' templates (the voucher PDF, the job page) without those apps importing billing."""

from __future__ import annotations

from django import template

from aftersales.billing.selectors import job_bill

register = template.Library()


@register.simple_tag
def bill_of(work_order):
    """The job's bill (lines, total, paid, due) as the customer reads it on the signed voucher."""
    return job_bill(work_order)
