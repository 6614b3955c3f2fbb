"""Archive pages: filing and editing customers, phones, addresses and machines."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.customers.models import Customer, MergeCandidate
from aftersales.equipment.models import Equipment
from aftersales.testing import factories as f


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


NEW = {"name": "浦东新客户", "kind": "company", "phones": "13611112222; 021-62345678", "address": "上海市浦东新区世纪大道1号",
       "vip_level": 0, "customer_class": "B", "lifecycle": "new", "tags": "数控; 重点"}


@pytest.mark.req("CUST-10")
def test_a_clerk_files_a_customer_with_two_phones_and_a_zoned_address(clerk_li):
    response = logged_in(clerk_li).post("/customers/new/", NEW, follow=True)
    customer = Customer.objects.get()
    assert customer.customer_no in response.content.decode()
    assert sorted(customer.phones.values_list("number", flat=True)) == ["+8613611112222", "+862162345678"]
    assert customer.default_address.zone == "urban" and customer.service_center.code == "SH"


def test_a_duplicate_phone_is_shown_on_the_form_and_can_be_confirmed(clerk_li, customer_acme):
    client = logged_in(clerk_li)
    refused = client.post("/customers/new/", {**NEW, "phones": "13800138000"})
    assert "已属于 上海艾克美" in refused.content.decode() and Customer.objects.count() == 1
    client.post("/customers/new/", {**NEW, "phones": "13800138000", "allow_duplicate_phone": "on"})
    assert MergeCandidate.objects.filter(other=customer_acme).exists()


def test_head_office_chooses_the_centre_for_a_new_customer(manager_zhou, suzhou):
    logged_in(manager_zhou).post("/customers/new/", {**NEW, "service_center": suzhou.pk})
    assert Customer.objects.get().service_center == suzhou


def test_a_technician_may_not_file_customers(tech_zhang):
    assert logged_in(tech_zhang).get("/customers/new/").status_code == 403


@pytest.mark.req("CUST-02")
def test_a_clerk_updates_a_customer_and_the_change_is_audited(clerk_li, customer_acme):
    client = logged_in(clerk_li)
    form = client.get(f"/customers/{customer_acme.pk}/edit/").context["form"]
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "lifecycle": "formal", "customer_class": "A", "tags": "重点"}
    client.post(f"/customers/{customer_acme.pk}/edit/", data)
    customer_acme.refresh_from_db()
    assert (customer_acme.lifecycle, customer_acme.customer_class) == ("formal", "A")
    assert customer_acme.history.first().history_user == clerk_li


def test_an_edit_based_on_a_stale_page_is_refused(clerk_li, customer_acme):
    client = logged_in(clerk_li)
    form = client.get(f"/customers/{customer_acme.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    client.post(f"/customers/{customer_acme.pk}/edit/", {**data, "notes": "first"})
    second = client.post(f"/customers/{customer_acme.pk}/edit/", {**data, "notes": "second"})
    assert "已被他人修改" in second.content.decode()
    customer_acme.refresh_from_db()
    assert customer_acme.notes == "first"


def test_an_invalid_extra_phone_is_refused_with_a_message(clerk_li, customer_acme):
    response = logged_in(clerk_li).post(f"/customers/{customer_acme.pk}/phones/", {"phone": "123"}, follow=True)
    assert "不是有效的电话号码" in response.content.decode() and customer_acme.phones.count() == 1


def test_an_extra_address_gets_its_zone(clerk_li, customer_acme):
    logged_in(clerk_li).post(f"/customers/{customer_acme.pk}/addresses/", {"address": "上海市松江区九亭镇5号"})
    assert customer_acme.addresses.get(address__contains="九亭").zone == "suburban"


@pytest.mark.req("CUST-03")
def test_a_clerk_registers_a_machine_and_a_duplicate_serial_is_shown_on_the_form(clerk_li, customer_acme, lathe_model):
    client = logged_in(clerk_li)
    data = {"product_model": lathe_model.pk, "serial_no": "cak-777", "install_date": "2026-05-01"}
    client.post(f"/customers/{customer_acme.pk}/equipment/new/", data)
    assert Equipment.objects.get().serial_no == "CAK-777"
    again = client.post(f"/customers/{customer_acme.pk}/equipment/new/", data)
    assert "已登记" in again.content.decode() and Equipment.objects.count() == 1


@pytest.mark.parametrize("path", ["edit/", "equipment/new/"])
def test_it_validates_ownership_of_the_archive_edit_pages(clerk_chen, customer_acme, path):
    assert logged_in(clerk_chen).get(f"/customers/{customer_acme.pk}/{path}").status_code == 404


@pytest.mark.parametrize(("path", "data"), [("phones/", {"phone": "13911112222"}), ("addresses/", {"address": "苏州"})])
def test_it_validates_ownership_of_the_archive_actions(clerk_chen, customer_acme, path, data):
    assert logged_in(clerk_chen).post(f"/customers/{customer_acme.pk}/{path}", data).status_code == 404
    assert customer_acme.phones.count() == 1 and customer_acme.addresses.count() == 1


def test_the_register_form_opens_with_the_customers_machines_and_their_warranty(clerk_li, customer_acme, lathe_model):
    f.equipment(customer=customer_acme, model=lathe_model, serial="PRE-1", sold=timezone.localdate())
    page = logged_in(clerk_li).get(f"/calls/new/?customer={customer_acme.pk}").content.decode()
    assert "PRE-1" in page and "整机保修至" in page and "checked" in page


def test_the_archive_is_exported_by_the_desk_and_never_by_a_technician(tech_zhang, clerk_li, customer_acme):
    """The branch's customers with phones and addresses leave the system only in the hands of those who keep them."""
    technician = Client()
    technician.force_login(tech_zhang)
    assert technician.get("/customers/export.xlsx").status_code == 403
    assert "/customers/export.xlsx" not in technician.get("/customers/").content.decode()
    desk = Client()
    desk.force_login(clerk_li)
    response = desk.get("/customers/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
