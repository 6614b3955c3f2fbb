"""The live dashboard (RPT-01): figures scoped to the reader, each one query, clicking through to its list."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aftersales.reports.dashboard import dashboard
from aftersales.servicedesk.services import RequestInput, service_request_register
from conftest import at

pytestmark = pytest.mark.django_db

THU_9 = at(2026, 11, 26, 9, 0)


def call(clerk, customer, when):
    with time_machine.travel(when, tick=False):
        return service_request_register(actor=clerk, data=RequestInput(customer=customer, contact_phone="13800138000", fault_description="故障"))


@pytest.mark.req("RPT-01")
def test_open_late_and_at_risk_calls_are_counted_for_the_readers_centre_only(clerk_li, clerk_chen, customer_acme, customer_wujiang, supervisor_wang):
    call(clerk_li, customer_acme, THU_9 - dt.timedelta(days=1))  # yesterday 09:00: 6 working hours are long gone
    call(clerk_li, customer_acme, THU_9)  # this morning: fresh
    call(clerk_chen, customer_wujiang, THU_9)  # Suzhou's
    with time_machine.travel(THU_9 + dt.timedelta(hours=4, minutes=30), tick=False):  # 13:30, 3.5 of 6 working hours used
        shanghai = dashboard(user=supervisor_wang)
    assert (shanghai.open_calls, shanghai.breached, shanghai.waiting_dispatch) == (2, 1, 2)
    with time_machine.travel(THU_9 + dt.timedelta(hours=6, minutes=30), tick=False):  # 15:30: 5.5 of 6 hours used
        assert dashboard(user=supervisor_wang).at_risk == 1


def test_the_manager_sees_every_centre_by_centre(manager_zhou, clerk_li, clerk_chen, customer_acme, customer_wujiang):
    call(clerk_li, customer_acme, THU_9)
    call(clerk_chen, customer_wujiang, THU_9)
    with time_machine.travel(THU_9 + dt.timedelta(hours=1), tick=False):
        d = dashboard(user=manager_zhou)
    assert d.open_calls == 2 and {name for name, _n, _late in d.by_center} == {"上海服务中心", "苏州服务组"}


def test_the_dashboard_page_takes_a_fixed_number_of_queries(client, supervisor_wang, clerk_li, customer_acme, django_assert_max_num_queries):
    for hours in range(5):
        call(clerk_li, customer_acme, THU_9 - dt.timedelta(hours=hours))
    client.force_login(supervisor_wang)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("reports:dashboard"))
    for _more in range(5):
        call(clerk_li, customer_acme, THU_9 - dt.timedelta(days=2))
    with django_assert_max_num_queries(25):
        again = client.get(reverse("reports:dashboard"))
    assert page.status_code == again.status_code == 200
    assert 'href="/calls/?overdue=on"' in again.content.decode() and 'id="load-chart"' not in again.content.decode()


def test_a_technician_sees_only_his_own_jobs(tech_zhang, tech_huang, supervisor_wang, clerk_li, customer_acme, lathe):
    from aftersales.workorders import services

    sr = call(clerk_li, customer_acme, THU_9)
    services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    call(clerk_li, customer_acme, THU_9)
    assert dashboard(user=tech_zhang).open_calls == 1
    assert dashboard(user=tech_huang).open_calls == 0
