"""Quotations (PART-03, INTK-09), invoices (BILL-02/03), payments, cash hand-over, receivables, agreements (BILL-06)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.billing.models import Invoice, Payment, QuoteFamily
from aftersales.billing.selectors import cash_waiting, receivables_ageing, to_invoice
from aftersales.billing.services import (
    QuoteItem,
    agreement_create,
    amount_due,
    cash_handover_receive,
    discount_request,
    invoice_issue,
    invoice_void,
    payment_record,
    quotation_accept,
    quotation_create,
    quotation_send,
    settlement_create,
    settlement_invoice,
    work_order_use_part,
)
from aftersales.core.errors import ConflictError
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services as wo

TODAY = timezone.localdate


@pytest.fixture
def lathe_family(lathe_model, bearing, spindle_motor):
    family = QuoteFamily.objects.create(name="数控车床")
    family.product_models.add(lathe_model)
    family.parts.add(bearing, spindle_motor)
    return family


@pytest.fixture
def quoted(tech_zhang, paid_job, bearing, lathe_family):
    """Zhang quotes two bearings and an hour of labour on the paid job."""
    return quotation_create(actor=tech_zhang, customer=paid_job.request.customer, work_order=paid_job, family=lathe_family, items=[
        QuoteItem(part=bearing, quantity=Decimal("2")),
        QuoteItem(kind="labour", description="更换主轴轴承工时", quantity=Decimal("1"), unit_price=Decimal("180")),
    ])


@pytest.mark.req("PART-03")
def test_a_clerk_quotes_from_the_familys_menu_at_catalogue_prices(clerk_li, customer_acme, bearing, lathe_family):
    quotation = quotation_create(actor=clerk_li, customer=customer_acme, family=lathe_family,
                                 items=[QuoteItem(part=p, quantity=Decimal("1")) for p in lathe_family.parts.all()])
    assert quotation.number.startswith("BJ") and quotation.status == "draft"
    assert {(line.description, line.unit_price) for line in quotation.lines.all()} == {("BRG-6205 主轴轴承", Decimal("120.00")),
                                                                                       ("MTR-SP01 主轴电机", Decimal("3200.00"))}
    assert quotation.valid_until == TODAY() + dt.timedelta(days=30)


@pytest.mark.req("INTK-09")
def test_paid_work_waits_for_the_customers_acceptance_of_the_quotation(tech_zhang, paid_job, quoted):
    with pytest.raises(ConflictError) as exc:
        wo.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", signature=SIGNED, signer_name="王工")
    assert exc.value.code == "price_not_accepted"
    quotation_send(actor=tech_zhang, quotation=quoted)
    quotation_accept(actor=tech_zhang, quotation=quoted, signature=SIGNED, signer_name="王工")
    paid_job.refresh_from_db()
    assert paid_job.paid_work_accepted_at is not None and quoted.number in paid_job.paid_work_acceptance
    # The quoted labour is a charge now; the quoted bearings are a price agreement, billed when they are used.
    assert {(c.kind, c.coverage) for c in paid_job.charges.all()} == {("labour", "paid")}
    wo.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", signature=SIGNED, signer_name="王工")


def test_a_quotation_is_accepted_by_signature_or_a_clerks_note_never_silently(clerk_li, quoted):
    with pytest.raises(ValidationError):
        quotation_accept(actor=clerk_li, quotation=quoted)
    accepted = quotation_accept(actor=clerk_li, quotation=quoted, note="客户王工 10:20 电话确认报价")
    assert accepted.status == "accepted" and accepted.acceptance_note.startswith("客户王工")


def test_an_expired_quotation_cannot_be_accepted(clerk_li, quoted):
    type(quoted).objects.filter(pk=quoted.pk).update(valid_until=TODAY() - dt.timedelta(days=1))
    with pytest.raises(ConflictError):
        quotation_accept(actor=clerk_li, quotation=quoted, note="电话确认")


def test_a_part_used_after_it_was_quoted_takes_the_quoted_line(tech_zhang, paid_job, quoted, van_zhang, bearing):
    quotation_accept(actor=tech_zhang, quotation=quoted, signature=SIGNED, signer_name="王工")
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("2"))
    part_lines = paid_job.charges.filter(kind="part")
    assert part_lines.count() == 1 and part_lines.get().quotation_line is not None and part_lines.get().quantity == Decimal("2")


@pytest.fixture
def finished_paid_job(tech_zhang, paid_job, quoted, van_zhang, bearing):
    quotation_accept(actor=tech_zhang, quotation=quoted, signature=SIGNED, signer_name="王工")
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("2"))
    wo.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", signature=SIGNED, signer_name="王工")
    paid_job.refresh_from_db()
    return paid_job  # 240 + 180 net, 54.60 tax, 474.60 due


@pytest.mark.req("BILL-02")
def test_the_accountant_records_the_invoice_of_a_finished_paid_job_once(accountant_qian, finished_paid_job):
    assert [job.pk for job in to_invoice(user=accountant_qian)] == [finished_paid_job.pk]
    invoice = invoice_issue(actor=accountant_qian, work_order=finished_paid_job, kind="vat_normal", number="04400123", issued_on=TODAY(),
                            title="上海艾克美精密机械有限公司")
    assert (invoice.net, invoice.tax, invoice.total) == (Decimal("420.00"), Decimal("54.60"), Decimal("474.60"))
    assert invoice.due_on == TODAY() + dt.timedelta(days=30)
    assert to_invoice(user=accountant_qian) == []
    with pytest.raises(ConflictError) as exc:
        invoice_issue(actor=accountant_qian, work_order=finished_paid_job, kind="vat_normal", number="04400124", issued_on=TODAY(), title="艾克美")
    assert exc.value.code == "already_invoiced"
    assert Invoice.objects.count() == 1


def test_a_voided_invoice_frees_the_job_for_a_new_one(accountant_qian, finished_paid_job):
    first = invoice_issue(actor=accountant_qian, work_order=finished_paid_job, kind="vat_normal", number="1", issued_on=TODAY(), title="艾克美")
    invoice_void(actor=accountant_qian, invoice=first, reason="抬头写错")
    second = invoice_issue(actor=accountant_qian, work_order=finished_paid_job, kind="vat_normal", number="2", issued_on=TODAY(), title="上海艾克美")
    assert second.total == Decimal("474.60")


def test_only_the_accountant_invoices_and_a_special_invoice_needs_the_tax_number(clerk_li, accountant_qian, finished_paid_job):
    with pytest.raises(PermissionDenied):
        invoice_issue(actor=clerk_li, work_order=finished_paid_job, kind="vat_normal", number="1", issued_on=TODAY(), title="艾克美")
    with pytest.raises(ValidationError) as exc:
        invoice_issue(actor=accountant_qian, work_order=finished_paid_job, kind="vat_special", number="1", issued_on=TODAY(), title="艾克美")
    assert "tax_no" in exc.value.message_dict


def test_an_unfinished_job_or_a_pending_discount_cannot_be_invoiced(accountant_qian, clerk_li, tech_zhang, paid_job, quoted):
    quotation_accept(actor=tech_zhang, quotation=quoted, signature=SIGNED, signer_name="王工")
    with pytest.raises(ConflictError):
        invoice_issue(actor=accountant_qian, work_order=paid_job, kind="receipt", number="R1", issued_on=TODAY(), title="艾克美")
    discount_request(actor=clerk_li, line=paid_job.charges.get(kind="labour"), amount=Decimal("90"), reason="返修")
    wo.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", signature=SIGNED, signer_name="王工")
    with pytest.raises(ConflictError) as exc:
        invoice_issue(actor=accountant_qian, work_order=paid_job, kind="receipt", number="R1", issued_on=TODAY(), title="艾克美")
    assert exc.value.code == "discount_pending"


@pytest.mark.req("BILL-02")
def test_the_technician_collects_on_site_and_hands_the_cash_to_the_accountant(tech_zhang, accountant_qian, finished_paid_job):
    payment = payment_record(actor=tech_zhang, work_order=finished_paid_job, amount=Decimal("474.60"), method="cash")
    assert payment.on_site and payment.collected_by == tech_zhang
    assert amount_due(finished_paid_job) == 0
    [waiting] = cash_waiting(user=accountant_qian)
    assert (waiting["technician"], waiting["total"]) == (tech_zhang, Decimal("474.60"))
    with pytest.raises(ValidationError) as exc:
        cash_handover_receive(actor=accountant_qian, technician=tech_zhang, day=TODAY(), counted_total=Decimal("470"))
    assert exc.value.code == "count_mismatch"
    handover = cash_handover_receive(actor=accountant_qian, technician=tech_zhang, day=TODAY(), counted_total=Decimal("474.60"))
    assert handover.total == Decimal("474.60") and cash_waiting(user=accountant_qian) == []
    with pytest.raises(ValidationError):
        cash_handover_receive(actor=accountant_qian, technician=tech_zhang, day=TODAY(), counted_total=Decimal("0"))


def test_a_payment_larger_than_what_is_due_is_refused(tech_zhang, finished_paid_job):
    payment_record(actor=tech_zhang, work_order=finished_paid_job, amount=Decimal("400"), method="cash")
    with pytest.raises(ValidationError) as exc:
        payment_record(actor=tech_zhang, work_order=finished_paid_job, amount=Decimal("74.61"), method="cash")
    assert exc.value.code == "overpayment"
    assert Payment.objects.count() == 1


def test_a_mobile_payment_needs_its_transaction_number(tech_zhang, finished_paid_job):
    with pytest.raises(ValidationError):
        payment_record(actor=tech_zhang, work_order=finished_paid_job, amount=Decimal("100"), method="wechat")
    assert payment_record(actor=tech_zhang, work_order=finished_paid_job, amount=Decimal("100"), method="wechat",
                          reference="4200001234202611260001").reference.startswith("4200")


def test_another_technician_cannot_collect_for_the_job(finished_paid_job, shanghai):
    from aftersales.testing import factories as f

    with pytest.raises(PermissionDenied):
        payment_record(actor=f.technician("tech_qian", shanghai), work_order=finished_paid_job, amount=Decimal("1"), method="cash")


def test_receivables_are_aged_by_days_since_the_invoice(accountant_qian, tech_zhang, finished_paid_job):
    invoice = invoice_issue(actor=accountant_qian, work_order=finished_paid_job, kind="vat_normal", number="9", issued_on=TODAY() - dt.timedelta(days=40),
                            title="艾克美")
    payment_record(actor=accountant_qian, work_order=finished_paid_job, amount=Decimal("74.60"), method="bank", reference="B-1")
    [row] = receivables_ageing(user=accountant_qian)
    assert row.customer == invoice.customer and row.buckets["31-60"] == Decimal("400.00") and row.total == Decimal("400.00")


@pytest.mark.req("BILL-06")
def test_agreement_parts_are_settled_for_the_period_and_invoiced_together(accountant_qian, clerk_li, tech_zhang, paid_job, old_lathe, van_zhang,
                                                                         bearing):
    agreement = agreement_create(actor=clerk_li, customer=old_lathe.customer, start_date=TODAY() - dt.timedelta(days=30),
                                 end_date=TODAY() + dt.timedelta(days=335))
    assert agreement.settlement_months == 6
    wo.work_order_record_paid_acceptance(actor=clerk_li, work_order=paid_job, how="按配件协议执行")
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("3"))
    wo.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", signature=SIGNED, signer_name="王工")
    settlement = settlement_create(actor=accountant_qian, agreement=agreement, period_end=TODAY())
    assert settlement.lines.count() == 1
    invoice = settlement_invoice(actor=accountant_qian, settlement=settlement, kind="vat_special", number="S-1", issued_on=TODAY(),
                                 title="上海艾克美精密机械有限公司", tax_no="91310000MA1FL00000")
    assert invoice.total == Decimal("406.80")  # 3 × 120 + 13 %
    with pytest.raises(ValidationError):
        settlement_create(actor=accountant_qian, agreement=agreement, period_end=TODAY())  # nothing left, and the period has begun again


def test_a_technician_reads_the_quotations_and_invoices_of_his_own_jobs_only(tech_zhang, tech_wu, accountant_qian, finished_paid_job,
                                                                           quoted, client):
    """A colleague of the same centre sees neither the quotation nor the invoice, in lists, pages, PDF or API."""
    from aftersales.billing.selectors import invoices_visible_to, quotations_visible_to

    invoice = invoice_issue(actor=accountant_qian, work_order=finished_paid_job, kind="vat_normal", number="04400125", issued_on=TODAY(),
                            title="艾克美")
    assert list(quotations_visible_to(tech_zhang)) == [quoted] and list(invoices_visible_to(tech_zhang)) == [invoice]
    assert not quotations_visible_to(tech_wu).exists() and not invoices_visible_to(tech_wu).exists()
    assert list(invoices_visible_to(accountant_qian)) == [invoice]  # the centre's office sees them all
    client.force_login(tech_wu)
    assert client.get(f"/billing/quotations/{quoted.pk}/").status_code == 404
    assert client.get(f"/billing/quotations/{quoted.pk}/quotation.pdf").status_code == 404
    assert client.get(f"/billing/jobs/{finished_paid_job.pk}/").status_code == 404
    assert client.get("/api/v1/invoices/").json()["count"] == 0
    assert client.get(f"/api/v1/invoices/{invoice.pk}/").status_code == 404
    client.force_login(tech_zhang)
    assert client.get(f"/billing/quotations/{quoted.pk}/").status_code == 200
    assert client.get("/api/v1/invoices/").json()["count"] == 1


def test_the_offices_sheets_of_the_whole_centres_money_are_refused_to_a_technician(tech_zhang, accountant_qian, client):
    client.force_login(tech_zhang)
    for url in ("/billing/discounts/", "/billing/agreements/", "/billing/reports/parts-cost/", "/billing/receivables/"):
        assert client.get(url).status_code == 403, url
    client.force_login(accountant_qian)
    for url in ("/billing/discounts/", "/billing/agreements/", "/billing/reports/parts-cost/", "/billing/receivables/"):
        assert client.get(url).status_code == 200, url
