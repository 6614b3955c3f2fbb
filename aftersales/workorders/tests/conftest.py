"""The service loop's world: 上海艾克美's in-warranty lathe, a call for it, and its voucher at each stage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services


@pytest.fixture
def lathe(customer_acme, lathe_model):
    return f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-0001", sold=timezone.localdate() - dt.timedelta(days=60))


@pytest.fixture
def call(clerk_li, lathe):
    """A call registered now for the lathe (urban, 浦东新区)."""
    return service_request_register(actor=clerk_li, data=RequestInput(
        customer=lathe.customer, equipment=lathe, contact_phone="13800138000", contact_name="王工", fault_description="主轴异响"))


@pytest.fixture
def assigned(supervisor_wang, tech_zhang, call):
    return services.work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang)


@pytest.fixture
def on_site(tech_zhang, assigned):
    services.work_order_check_in(actor=tech_zhang, work_order=assigned)
    assigned.refresh_from_db()
    return assigned


@pytest.fixture
def taken_back(tech_zhang, on_site):
    services.work_order_take_back(actor=tech_zhang, work_order=on_site, condition="外壳有划痕", accessories="电源线1根",
                                  work_done="现场无法修复", signature=SIGNED, signer_name="王工")
    on_site.refresh_from_db()
    return on_site


@pytest.fixture
def repaired(tech_zhang, taken_back):
    services.work_order_start_repair(actor=tech_zhang, work_order=taken_back)
    services.work_order_finish_repair(actor=tech_zhang, work_order=taken_back, repair_minutes=150, work_done="更换主轴轴承",
                                      parts=[("主轴轴承 6205", 2)])
    taken_back.refresh_from_db()
    return taken_back


@pytest.fixture
def inspected(supervisor_wang, repaired):
    services.work_order_inspect(actor=supervisor_wang, work_order=repaired, passed=True)
    repaired.refresh_from_db()
    return repaired
