"""The customer archive: phones, numbering, duplicates, search (CUST-02, CUST-07, CUST-10, CUST-12, CUST-16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftersales.customers.models import Customer, CustomerPhone, MergeCandidate
from aftersales.customers.phones import normalize_phone
from aftersales.customers.selectors import customer_list
from aftersales.customers.services import CustomerInput, customer_create
from aftersales.testing import factories as f


@pytest.mark.parametrize(("raw", "e164"), [
    ("138 0013 8000", "+8613800138000"), ("021-6234 5678", "+862162345678"), ("0571 8888 6666", "+8657188886666"),
    ("400-820-8820", "+864008208820"), ("+1 650 253 0000", "+16502530000"),
])
def test_mobiles_landlines_and_400_numbers_are_stored_as_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "138001380001", "电话", ""])
def test_an_invalid_phone_gets_a_chinese_message(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(raw)
    assert "电话号码" in exc.value.messages[0]


@pytest.mark.req("CUST-10")
def test_each_customer_is_numbered_with_the_system_customer_id(shanghai):
    first = f.customer(name="甲公司", center=shanghai)
    second = f.customer(name="乙公司", center=shanghai)
    assert (first.customer_no, second.customer_no) == ("KH0000001", "KH0000002")


@pytest.mark.req("CUST-02")
def test_a_customer_address_gets_its_zone_from_the_centres_rules(customer_acme, shanghai):
    assert customer_acme.default_address.zone == "urban"
    rural = f.customer(name="松江农场", center=shanghai, address="上海市松江区泖港镇")
    assert rural.default_address.zone == "suburban"


@pytest.mark.req("CUST-12")
@pytest.mark.req("CUST-16")
def test_class_vip_level_lifecycle_and_tags_are_kept(shanghai):
    c = f.customer(name="重点客户", center=shanghai, customer_class="A", vip_level=3, lifecycle="formal", tags=["重点", "数控"])
    c.refresh_from_db()
    assert (c.customer_class, c.vip_level, c.lifecycle) == ("A", 3, "formal")
    assert sorted(c.tags.values_list("name", flat=True)) == ["数控", "重点"]


def test_a_duplicate_phone_is_refused_naming_the_existing_customer(customer_acme, shanghai):
    with pytest.raises(ValidationError) as exc:
        f.customer(name="另一家公司", center=shanghai, phone="13800138000")
    assert "上海艾克美精密机械有限公司" in exc.value.message_dict["phones"][0]
    assert Customer.objects.count() == 1


def test_a_confirmed_duplicate_phone_is_flagged_for_merge_not_silently_duplicated(customer_acme, shanghai):
    other = customer_create(actor=None, data=CustomerInput(name="艾克美分厂", service_center=shanghai, phones=["13800138000"]),
                            allow_duplicate_phone=True)
    flag = MergeCandidate.objects.get()
    assert (flag.customer, flag.other, flag.phone) == (other, customer_acme, "+8613800138000")


def test_a_bad_phone_among_several_writes_nothing(shanghai):
    with pytest.raises(ValidationError):
        customer_create(actor=None, data=CustomerInput(name="坏数据", service_center=shanghai, phones=["13800138000", "999"]))
    assert (Customer.objects.count(), CustomerPhone.objects.count()) == (0, 0)


def test_a_branch_clerk_cannot_file_a_customer_for_another_centre(clerk_li, suzhou):
    with pytest.raises(ValidationError) as exc:
        customer_create(actor=clerk_li, data=CustomerInput(name="越权", service_center=suzhou, phones=["13800138000"]))
    assert "本服务中心" in exc.value.message_dict["service_center"][0]


@pytest.fixture
def archive(customer_acme, customer_wujiang, lathe_model):
    f.equipment(customer=customer_acme, model=lathe_model, serial="VIN123456", plate_no="沪A12345")
    return customer_acme


@pytest.mark.req("CUST-07")
@pytest.mark.parametrize("term", ["13800138", "138 0013 8000", "艾克美", "上海艾克", "KH0000001", "vin123456", "沪a12345"])
def test_the_archive_is_found_by_phone_name_id_serial_or_plate(archive, manager_zhou, term):
    assert list(customer_list(user=manager_zhou, q=term)) == [archive]


@pytest.mark.req("CUST-07")
def test_the_archive_is_searchable_by_filing_date(archive, manager_zhou):
    today = timezone.localdate(archive.created_at)
    assert archive in customer_list(user=manager_zhou, created_from=today, created_to=today)
    assert not customer_list(user=manager_zhou, created_to=today - dt.timedelta(days=366)).exists()


def test_a_branch_sees_only_its_own_customers(archive, clerk_li, clerk_chen, customer_wujiang):
    assert list(customer_list(user=clerk_li)) == [archive]
    assert list(customer_list(user=clerk_chen)) == [customer_wujiang]


def test_a_technician_without_a_centre_sees_nothing(archive):
    loner = f.staff("loner", "technician", None)
    assert not customer_list(user=loner).exists()


def test_searching_uses_a_bounded_number_of_queries(manager_zhou, shanghai, django_assert_max_num_queries):
    for i in range(30):
        f.customer(name=f"客户{i}", center=shanghai)
    with django_assert_max_num_queries(5):
        rows = list(customer_list(user=manager_zhou, q="客户"))
        for row in rows:
            list(row.phones.all()), list(row.addresses.all()), row.service_center.name
    assert len(rows) == 30


def test_how_the_customer_wants_to_be_reached_is_kept(shanghai):
    customer = customer_create(actor=None, data=CustomerInput(
        name="王先生", service_center=shanghai, phones=["13700001111"], email="wang@example.com", preferred_channel="email",
        quiet_hours="12:00-14:00", opt_out_reminders=True))
    customer.refresh_from_db()
    assert (customer.email, customer.preferred_channel, customer.quiet_hours, customer.opt_out_reminders) == (
        "wang@example.com", "email", "12:00-14:00", True)


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"preferred_channel": "email"}, "email", "邮箱"),
    ({"email": "not-an-address"}, "email", "电子邮件"),
    ({"quiet_hours": "noon to two"}, "quiet_hours", "12:00-14:00"),
    ({"quiet_hours": "25:00-26:00"}, "quiet_hours", "12:00-14:00"),
])
def test_bad_contact_preferences_are_refused_and_nothing_is_filed(shanghai, fields, field, words):
    from aftersales.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        customer_create(actor=None, data=CustomerInput(name="王先生", service_center=shanghai, phones=["13700001111"], **fields))
    assert words in " ".join(exc.value.message_dict[field])
    assert not Customer.objects.exists()


def test_another_branchs_customer_is_not_named_by_the_duplicate_phone_message(customer_wujiang, clerk_li, shanghai):
    """Suzhou's customer is Suzhou's: Shanghai's clerk learns the number is in use elsewhere, not by whom."""
    with pytest.raises(ValidationError) as exc:
        customer_create(actor=clerk_li, data=CustomerInput(name="新客户", service_center=shanghai, phones=["13912345678"]))
    message = exc.value.message_dict["phones"][0]
    assert "吴江纺织机械厂" not in message and customer_wujiang.customer_no not in message and "其他服务中心" in message
    assert Customer.objects.count() == 1


def test_a_confirmed_phone_of_another_branch_registers_the_customer_without_a_merge_flag(customer_wujiang, clerk_li, shanghai):
    """A flag names both customers to the desk that works it, so a branch never flags another branch's customer."""
    created = customer_create(actor=clerk_li, data=CustomerInput(name="新客户", service_center=shanghai, phones=["13912345678"]),
                              allow_duplicate_phone=True)
    assert created.service_center == shanghai and not MergeCandidate.objects.exists()


def test_head_office_flags_a_shared_phone_across_branches(customer_wujiang, manager_zhou, shanghai):
    created = customer_create(actor=manager_zhou, data=CustomerInput(name="新客户", service_center=shanghai, phones=["13912345678"]),
                              allow_duplicate_phone=True)
    assert MergeCandidate.objects.filter(customer=created, other=customer_wujiang).exists()


def test_adding_another_branchs_phone_to_a_customer_flags_nothing(customer_acme, customer_wujiang, clerk_li):
    from aftersales.customers.services import customer_add_phone

    customer_add_phone(actor=clerk_li, customer=customer_acme, phone="13912345678")
    assert not MergeCandidate.objects.exists()
