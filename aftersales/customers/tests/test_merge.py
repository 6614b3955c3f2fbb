"""Duplicate customers sharing a phone: merged by a clerk, or dismissed; never merged silently."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from aftersales.customers.models import Customer, CustomerPhone, MergeCandidate
from aftersales.customers.services import CustomerInput, customer_create, customer_merge, merge_candidate_dismiss
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f


@pytest.fixture
def branch_factory_duplicate(shanghai, customer_acme):
    """艾克美分厂 filed again under the phone of 上海艾克美, confirmed by the clerk and so flagged."""
    return customer_create(
        actor=None, allow_duplicate_phone=True,
        data=CustomerInput(name="艾克美分厂", service_center=shanghai, phones=["13800138000", "021-62345678"], contact_person="赵工"),
    )


@pytest.mark.req("CUST-02")
def test_merging_moves_phones_machines_and_calls_to_the_customer_kept(clerk_li, customer_acme, branch_factory_duplicate, lathe_model):
    unit = f.equipment(customer=branch_factory_duplicate, model=lathe_model, sold=dt.date(2026, 6, 1))
    call = service_request_register(actor=clerk_li, data=RequestInput(
        customer=branch_factory_duplicate, equipment=unit, contact_phone="13800138000", fault_description="异响"))

    kept = customer_merge(actor=clerk_li, keep=customer_acme, drop=branch_factory_duplicate)

    assert not Customer.objects.filter(pk=branch_factory_duplicate.pk).exists()
    assert sorted(kept.phones.values_list("number", flat=True)) == ["+8613800138000", "+862162345678"]
    unit.refresh_from_db()
    call.refresh_from_db()
    assert (unit.customer, call.customer) == (kept, kept)
    assert kept.contact_person == "赵工"  # filled from the duplicate because it was blank
    assert branch_factory_duplicate.customer_no in kept.notes
    assert not MergeCandidate.objects.exists()


def test_a_merge_is_in_the_audit_history_with_who_did_it(clerk_li, customer_acme, branch_factory_duplicate):
    customer_merge(actor=clerk_li, keep=customer_acme, drop=branch_factory_duplicate)
    deleted = Customer.history.filter(id=branch_factory_duplicate.pk, history_type="-").get()
    assert deleted.history_user == clerk_li
    moved = CustomerPhone.history.filter(number="+862162345678").latest("history_date")
    assert (moved.customer_id, moved.history_user) == (customer_acme.pk, clerk_li)


def test_a_customer_cannot_be_merged_with_itself(clerk_li, customer_acme):
    with pytest.raises(ValidationError):
        customer_merge(actor=clerk_li, keep=customer_acme, drop=customer_acme)
    assert Customer.objects.filter(pk=customer_acme.pk).exists()


def test_a_branch_cannot_absorb_another_branchs_customer(clerk_li, customer_acme, customer_wujiang):
    with pytest.raises(PermissionDenied):
        customer_merge(actor=clerk_li, keep=customer_acme, drop=customer_wujiang)
    assert Customer.objects.filter(pk=customer_wujiang.pk).exists()


def test_a_technician_may_not_merge(tech_zhang, customer_acme, branch_factory_duplicate):
    with pytest.raises(PermissionDenied):
        customer_merge(actor=tech_zhang, keep=customer_acme, drop=branch_factory_duplicate)
    assert Customer.objects.count() == 2


def test_dismissing_a_flag_keeps_both_customers_and_closes_the_flag(clerk_li, customer_acme, branch_factory_duplicate):
    flag = MergeCandidate.objects.get()
    merge_candidate_dismiss(actor=clerk_li, candidate=flag)
    assert MergeCandidate.objects.get().state == MergeCandidate.State.DISMISSED
    assert Customer.objects.count() == 2


def test_the_duplicates_page_lists_flags_and_merges_from_a_button(clerk_li, customer_acme, branch_factory_duplicate):
    client = Client()
    client.force_login(clerk_li)
    page = client.get("/customers/duplicates/").content.decode()
    assert "艾克美分厂" in page and "上海艾克美精密机械有限公司" in page
    flag = MergeCandidate.objects.get()
    response = client.post(f"/customers/duplicates/{flag.pk}/merge/", {"keep": "other"})
    assert response.status_code == 302
    assert list(Customer.objects.values_list("name", flat=True)) == ["上海艾克美精密机械有限公司"]


def test_it_validates_ownership_of_the_duplicate_actions(clerk_chen, customer_acme, branch_factory_duplicate):
    client = Client()
    client.force_login(clerk_chen)
    flag = MergeCandidate.objects.get()
    assert "艾克美分厂" not in client.get("/customers/duplicates/").content.decode()
    assert client.post(f"/customers/duplicates/{flag.pk}/merge/", {"keep": "customer"}).status_code == 404
    assert client.post(f"/customers/duplicates/{flag.pk}/dismiss/").status_code == 404
    assert Customer.objects.count() == 2 and MergeCandidate.objects.get().state == MergeCandidate.State.OPEN
