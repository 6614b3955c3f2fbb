"""Shared fixtures of the service loop (a pytest plugin, see conftest.py).

The world: 上海艾克美's in-warranty lathe, a call for it and its voucher at each stage; parts in
Zhang's van; an out-of-warranty lathe with a paid job; the price list.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


# --- Parts and billing ------------------------------------------------------------------------------
@pytest.fixture
def warehouse_zhao(shanghai):
    """The Shanghai centre's warehouse keeper."""
    return f.staff("warehouse_zhao", "warehouse", shanghai)


@pytest.fixture
def accountant_qian(shanghai):
    return f.staff("accountant_qian", "accountant", shanghai)


@pytest.fixture
def bearing(lathe_model):
    """主轴轴承 6205: fits the CAK6150, cost 80, sold at 120."""
    from aftersales.parts.services import part_create

    return part_create(actor=None, code="BRG-6205", name="主轴轴承", specification="6205-2RS", sale_price=Decimal("120.00"), cost=Decimal("80.00"),
                       reorder_point=5, compatible_models=[lathe_model])


@pytest.fixture
def spindle_motor(lathe_model):
    """主轴电机: a main part (longer warranty), cost 2,000, sold at 3,200."""
    from aftersales.parts.services import part_create

    return part_create(actor=None, code="MTR-SP01", name="主轴电机", sale_price=Decimal("3200.00"), cost=Decimal("2000.00"), is_main_part=True,
                       compatible_models=[lathe_model])


@pytest.fixture
def van_zhang(tech_zhang, warehouse_zhao, bearing, spindle_motor):
    """Zhang's van holding 10 bearings and 1 spindle motor, received into the centre and transferred."""
    from aftersales.parts.services import center_warehouse, stock_receive, stock_transfer, van_warehouse

    store, van = center_warehouse(tech_zhang.service_center), van_warehouse(tech_zhang)
    stock_receive(actor=warehouse_zhao, warehouse=store, lines=[(bearing, Decimal("20"), None), (spindle_motor, Decimal("2"), None)],
                  reference="DN-001")
    stock_transfer(actor=warehouse_zhao, source=store, target=van, lines=[(bearing, Decimal("10")), (spindle_motor, Decimal("1"))])
    return van


@pytest.fixture
def old_lathe(customer_acme, lathe_model):
    """A lathe installed four years ago: out of every warranty."""
    return f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-OLD1", sold=timezone.localdate() - dt.timedelta(days=4 * 365))


@pytest.fixture
def paid_job(clerk_li, supervisor_wang, tech_zhang, old_lathe):
    """A paid (A) call for the old lathe, dispatched to Zhang and checked in."""
    from aftersales.workorders import services as wo

    sr = service_request_register(actor=clerk_li, data=RequestInput(customer=old_lathe.customer, equipment=old_lathe, contact_phone="13800138000",
                                                                     contact_name="王工", fault_description="主轴异响"))
    job = wo.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    wo.work_order_check_in(actor=tech_zhang, work_order=job)
    job.refresh_from_db()
    return job


@pytest.fixture
def price_list(db):
    """Labour 150/h on site (grade 3: 180/h), workshop 120/h; 1 h minimum in 30-minute steps; travel 50 urban, 80 suburban; call-out 30."""
    from aftersales.billing.models import LabourRate, PriceList, ZoneTravelFee

    pl = PriceList.objects.create(name="2026 服务收费标准", effective_from=dt.date(2026, 1, 1), minimum_minutes=60, increment_minutes=30,
                                  call_out_fee=Decimal("30"))
    LabourRate.objects.bulk_create([LabourRate(price_list=pl, grade=None, job_type="on_site", hourly_rate=Decimal("150")),
                                    LabourRate(price_list=pl, grade=3, job_type="on_site", hourly_rate=Decimal("180")),
                                    LabourRate(price_list=pl, grade=None, job_type="workshop", hourly_rate=Decimal("120"))])
    ZoneTravelFee.objects.bulk_create([ZoneTravelFee(price_list=pl, zone="urban", fee=Decimal("50")),
                                       ZoneTravelFee(price_list=pl, zone="suburban", fee=Decimal("80"))])
    return pl


# --- Messages: real servers on loopback -------------------------------------------------------------
@pytest.fixture
def sms_gateway(settings):
    """A fake SMS gateway on loopback, with the outbox pointed at it."""
    from aftersales.testing.fakes import FakeSmsGateway

    with FakeSmsGateway(secret="test-secret") as gateway:
        settings.SMS_BACKEND, settings.SMS_API_URL, settings.SMS_ACCESS_SECRET, settings.SMS_TIMEOUT = "http", gateway.url, "test-secret", 2
        yield gateway


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on loopback; yields the list of mails it received."""
    from aftersales.testing.fakes import smtp_server

    with smtp_server() as (port, received):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        yield received


@pytest.fixture
def wechat(settings):
    from aftersales.notifications.channels import WeChatChannel
    from aftersales.testing.fakes import FakeWeChat

    with FakeWeChat() as fake:
        settings.WECHAT_API_URL, settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = fake.url, "wxapp", "wxsecret"
        WeChatChannel._token = ("", 0.0)
        yield fake
