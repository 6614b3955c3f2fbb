"""Shared fixtures: named personas (clerk_li, supervisor_wang, tech_zhang, manager_zhou …) and their world."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aftersales.testing import factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytest_plugins = ["aftersales.testing.fixtures", "aftersales.testing.clock"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need a real PostgreSQL server (row locks across connections)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (scripts/test runs the suite on it too)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware Shanghai datetime, for readable test dates."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def shanghai(db):
    return f.center(code="SH", name="上海服务中心", urban=["浦东新区", "徐汇区"], suburban=["松江区"])


@pytest.fixture
def suzhou(db):
    return f.center(code="SZ", name="苏州服务组", urban=["姑苏区"], suburban=["吴江区"])


@pytest.fixture
def clerk_li(shanghai):
    return f.staff("clerk_li", "desk_clerk", shanghai)


@pytest.fixture
def supervisor_wang(shanghai):
    return f.staff("supervisor_wang", "supervisor", shanghai)


@pytest.fixture
def tech_zhang(shanghai):
    """Shanghai technician skilled in machine tools, grade 3."""
    return f.technician("tech_zhang", shanghai, skills=["machine-tool"], grade=3)


@pytest.fixture
def tech_wu(shanghai):
    """Shanghai technician who only services appliances."""
    return f.technician("tech_wu", shanghai, skills=["appliance"], grade=2)


@pytest.fixture
def tech_huang(suzhou):
    """Suzhou technician skilled in machine tools."""
    return f.technician("tech_huang", suzhou, skills=["machine-tool"], grade=4)


@pytest.fixture
def supervisor_liu(suzhou):
    return f.staff("supervisor_liu", "supervisor", suzhou)


@pytest.fixture
def branch_manager_sun(suzhou):
    """Manager of the Suzhou branch, who signs its supervisor reports (DRPT-03)."""
    suzhou.is_branch = True
    suzhou.save(update_fields=["is_branch"])
    return f.staff("branch_manager_sun", "branch_manager", suzhou)


@pytest.fixture
def clerk_chen(suzhou):
    return f.staff("clerk_chen", "desk_clerk", suzhou)


@pytest.fixture
def manager_zhou(db):
    return f.staff("manager_zhou", "service_manager", None)


@pytest.fixture
def lathe_model(db):
    return f.product_model(brand="沈阳机床", model_code="CAK6150", warranty_months=12, main_part_warranty_months=36, basis="install")


@pytest.fixture
def customer_acme(shanghai):
    """上海艾克美精密机械有限公司 in 浦东新区 (urban), phone 138 0013 8000."""
    return f.customer(name="上海艾克美精密机械有限公司", center=shanghai, phone="13800138000", address="上海市浦东新区张江路100号")


@pytest.fixture
def customer_wujiang(suzhou):
    return f.customer(name="吴江纺织机械厂", center=suzhou, phone="13912345678", address="苏州市吴江区松陵镇1号")


@pytest.fixture(autouse=True)
def _fresh_process_snapshots():
    """Each test starts with no process copy of the national calendar or the rules: its database rolls back."""
    from aftersales.core.snapshot import forget_all

    forget_all()
    yield
    forget_all()
