"""Test data builders. They go through the services, so tests exercise the same rules users do."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth.models import Group

from aftersales.accounts.models import ServiceCenter, User, Zone, ZoneRule
from aftersales.contracts.services import contract_create
from aftersales.core.models import ProductCategory
from aftersales.customers.services import AddressInput, CustomerInput, customer_create
from aftersales.equipment.services import equipment_create, product_model_create

_serials = itertools.count(1)
_phones = itertools.count(10000000)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("code",)

    code = "machine-tool"
    name = "机床"


def center(*, code: str, name: str, urban: list[str] = (), suburban: list[str] = (), **fields) -> ServiceCenter:
    obj = ServiceCenter.objects.create(code=code, name=name, region=fields.pop("region", name[:2]), default_zone=Zone.SUBURBAN, **fields)
    for pattern in urban:
        ZoneRule.objects.create(service_center=obj, pattern=pattern, zone=Zone.URBAN)
    for pattern in suburban:
        ZoneRule.objects.create(service_center=obj, pattern=pattern, zone=Zone.SUBURBAN)
    return obj


def ensure_roles() -> None:
    """Put back the role groups the migrations create (a flushed transactional test database lacks them)."""
    from aftersales.accounts.roles import ALL_ROLES

    for code in ALL_ROLES:
        Group.objects.get_or_create(name=code)


def ensure_national_calendar() -> None:
    """Put back the years the holiday package knows (migration core/0003): browser tests flush the database."""
    from aftersales.core.holidays.package import import_package_years
    from aftersales.core.models import HolidayDay, HolidayYear

    import_package_years(HolidayYear, HolidayDay)


def staff(username: str, role: str, service_center: ServiceCenter | None, **fields) -> User:
    fields.setdefault("full_name", username)
    user = User.objects.create_user(username=username, password="pw-" + username, service_center=service_center, **fields)
    user.groups.add(Group.objects.get_or_create(name=role)[0])  # a flushed transactional database lacks the migrated groups
    return user


def technician(username: str, service_center: ServiceCenter, *, skills: list[str] = (), grade: int | None = None) -> User:
    user = staff(username, "technician", service_center, grade=grade)
    user.skills.set([CategoryFactory(code=code, name=code) for code in skills])
    return user


def product_model(*, brand: str = "沈阳机床", model_code: str = "CAK6150", warranty_months: int = 12,
                  main_part_warranty_months: int = 0, basis: str = "invoice", category: str = "machine-tool"):
    return product_model_create(
        actor=None, brand=brand, model_code=model_code, name=model_code, category=CategoryFactory(code=category),
        warranty_months=warranty_months, main_part_warranty_months=main_part_warranty_months, warranty_basis=basis,
        main_parts=["主轴", "数控系统"],
    )


def customer(*, name: str, center: ServiceCenter, phone: str | None = None, address: str = "", **fields):
    phone = phone or f"139{next(_phones):08d}"
    return customer_create(actor=None, data=CustomerInput(
        name=name, service_center=center, phones=[phone], addresses=[AddressInput(address)] if address else [], **fields
    ))


def equipment(*, customer, model, serial: str | None = None, sold: dt.date | None = None, **fields):
    sold = sold or dt.date(2026, 6, 1)
    return equipment_create(
        actor=None, customer=customer, product_model=model, serial_no=serial or f"SN{next(_serials):06d}",
        invoice_date=sold, delivery_date=sold, install_date=sold, **fields,
    )


def contract(*, customer, units, start: dt.date, end: dt.date, **fields):
    return contract_create(actor=None, customer=customer, equipment=units, start_date=start, end_date=end, **fields)
