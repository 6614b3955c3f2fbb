"""The settings pages: the working calendar a year at a time, the notice import with its preview, and the rules."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aftersales.complaints.policies import DEADLINE_MOVES
from aftersales.configuration.models import RuleValue
from aftersales.configuration.values import rule
from aftersales.core.models import HolidayDay, HolidayYear
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.calendar import NOTICE_2027
from conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_an(db):
    return f.staff("admin_an", "administrator", None)


def fingerprint(client, text: str) -> str:
    return client.post(reverse("configuration:notice"), {"text": text, "action": "preview"}).context["fingerprint"]


def confirm(client, text: str):
    return client.post(reverse("configuration:notice"), {"text": text, "action": "confirm", "previewed": fingerprint(client, text)})


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_a_confirmed_year_shows_its_source_and_a_predicted_one_says_it_is_not_confirmed(client, clerk_li):
    html = page(client, clerk_li, reverse("configuration:calendar"), year=2026).content.decode()
    assert 'data-status="confirmed"' in html and "chinesecalendar" in html and 'data-date="2026-10-01" title="国庆节"' in html
    html = page(client, clerk_li, reverse("configuration:calendar"), year=2027).content.decode()
    assert 'data-status="predicted"' in html and 'class="cal-holiday" data-date="2027-10-01"' in html


def test_a_clerk_may_look_but_not_change(client, clerk_li):
    html = page(client, clerk_li, reverse("configuration:calendar"), year=2027).content.decode()
    assert 'id="import-notice"' not in html and 'id="day-form"' not in html
    assert client.get(reverse("configuration:notice")).status_code == 403
    assert client.post(reverse("configuration:day", args=[2027]), {"date": "2027-12-31", "kind": "holiday", "festival": "other"}).status_code == 403
    assert not HolidayYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize("year", ["abc", "1999", "99999999999999999999"])
def test_a_year_that_is_not_a_year_is_a_400_with_a_message(client, clerk_li, year):
    response = page(client, clerk_li, reverse("configuration:calendar"), year=year)
    assert response.status_code == 400 and 'class="alert alert-danger"' in response.content.decode()


def test_the_preview_lists_the_days_and_keeps_the_text_then_confirming_moves_a_deadline(client, admin_an, clerk_li, lathe):
    with time_machine.travel(at(2027, 2, 4, 16, 0), tick=False):
        call = service_request_register(actor=clerk_li, data=RequestInput(customer=lathe.customer, equipment=lathe, contact_phone="13800138000",
                                                                           fault_description="主轴异响"))
    with time_machine.travel(at(2027, 2, 4, 17, 0), tick=False):
        client.force_login(admin_an)
        preview = client.post(reverse("configuration:notice"), {"text": NOTICE_2027, "action": "preview"})
        html = preview.content.decode()
        assert preview.status_code == 200 and 'id="confirm-notice"' in html and 'data-date="2027-09-26"' in html
        assert "国办发明电〔2026〕99号" in html and not HolidayYear.objects.filter(year=2027).exists()  # nothing saved by a preview
        fingerprint = preview.context["fingerprint"]
        done = client.post(reverse("configuration:notice"), {"text": NOTICE_2027, "action": "confirm", "version": "0", "previewed": fingerprint})
        assert done.status_code == 302 and "change=" in done["Location"]
        result = client.get(done["Location"]).content.decode()
    assert 'id="change-result"' in result and call.number in result and "2027-02-15 14:30" in result
    assert HolidayYear.objects.get(year=2027).status == "confirmed"


def test_a_notice_with_a_bad_line_names_the_line_keeps_the_text_and_saves_nothing(client, admin_an):
    bad = NOTICE_2027.replace("1月1日（周五）至3日（周日）", "1月1日（周四）至3日（周日）")
    client.force_login(admin_an)
    response = client.post(reverse("configuration:notice"), {"text": bad, "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-line="3"' in html and "周五" in html
    assert "1月1日（周四）至3日（周日）" in html  # the pasted text is still in the form
    assert not HolidayDay.objects.filter(date__year=2027).exists()


def test_confirming_a_confirmed_year_is_refused_with_the_text_kept(client, admin_an):
    client.force_login(admin_an)
    confirm(client, NOTICE_2027)
    again = client.post(reverse("configuration:notice"), {"text": NOTICE_2027, "action": "confirm", "previewed": fingerprint(client, NOTICE_2027)})
    assert again.status_code == 409 and 'id="notice-blocked"' in again.content.decode() and "国办发明电" in again.content.decode()


def test_an_empty_paste_is_refused_on_the_form(client, admin_an):
    client.force_login(admin_an)
    response = client.post(reverse("configuration:notice"), {"text": "  ", "action": "preview"})
    assert response.status_code == 400 and 'invalid-feedback' in response.content.decode()


def test_a_make_up_day_on_a_weekday_is_refused_and_the_form_keeps_what_was_typed(client, admin_an):
    client.force_login(admin_an)
    response = client.post(reverse("configuration:day", args=[2027]), {"date": "2027-10-08", "kind": "workday", "festival": "national_day",
                                                                       "note": "公司安排"})
    html = response.content.decode()
    assert response.status_code == 400 and 'value="2027-10-08"' in html and 'value="公司安排"' in html
    assert not HolidayDay.objects.filter(date=dt.date(2027, 10, 8)).exists()


def test_a_day_set_on_the_page_takes_effect_at_once(client, admin_an):
    client.force_login(admin_an)
    response = client.post(reverse("configuration:day", args=[2027]), {"date": "2027-12-31", "kind": "holiday", "festival": "other", "note": "年终盘点"})
    assert response.status_code == 302
    assert HolidayDay.objects.get(date=dt.date(2027, 12, 31)).note == "年终盘点"
    html = client.get(reverse("configuration:calendar"), {"year": 2027}).content.decode()
    assert 'class="cal-holiday" data-date="2027-12-31"' in html


def test_reopening_without_a_reason_is_refused(client, admin_an):
    client.force_login(admin_an)
    response = client.post(reverse("configuration:reopen", args=[2026]), {"reason": ""})
    assert response.status_code == 400 and HolidayYear.objects.get(year=2026).status == "confirmed"
    assert client.post(reverse("configuration:reopen", args=[2026]), {"reason": "地方政府增加一天"}).status_code == 302
    assert HolidayYear.objects.get(year=2026).status == "reopened"


def test_the_calendar_page_takes_a_fixed_number_of_queries(client, clerk_li, django_assert_max_num_queries):
    client.force_login(clerk_li)
    client.get(reverse("configuration:calendar"), {"year": 2026})
    with django_assert_max_num_queries(14):
        assert client.get(reverse("configuration:calendar"), {"year": 2026}).status_code == 200


# --- the rules page -----------------------------------------------------------------------------------------------
@pytest.mark.req("CMP-11")
def test_the_rules_page_shows_the_complaint_deadline_rule_with_its_default(client, manager_zhou):
    html = page(client, manager_zhou, reverse("configuration:rules")).content.decode()
    assert f'data-rule="{DEADLINE_MOVES}"' in html and "CMP-11" in html


def test_a_rule_changed_without_a_reason_is_refused_and_unchanged(client, manager_zhou):
    client.force_login(manager_zhou)
    response = client.post(reverse("configuration:rules"), {"key": DEADLINE_MOVES, "value": "false", "reason": ""})
    assert response.status_code == 400 and rule(DEADLINE_MOVES) is True and not RuleValue.objects.exists()


def test_a_rule_changed_with_a_reason_takes_effect_and_shows_in_its_history(client, manager_zhou):
    client.force_login(manager_zhou)
    response = client.post(reverse("configuration:rules"), {"key": DEADLINE_MOVES, "value": "false", "reason": "按日历日，不顺延"})
    assert response.status_code == 302 and rule(DEADLINE_MOVES) is False
    history = client.get(reverse("configuration:rule_history", args=[DEADLINE_MOVES])).content.decode()
    assert "按日历日，不顺延" in history and "manager_zhou" in history


def test_an_unknown_rule_is_refused(client, manager_zhou):
    client.force_login(manager_zhou)
    assert client.post(reverse("configuration:rules"), {"key": "no.such.rule", "value": "1", "reason": "x"}).status_code == 400
    assert client.get(reverse("configuration:rule_history", args=["no.such.rule"])).status_code == 404


def test_a_technician_does_not_see_the_rules(client, tech_zhang):
    client.force_login(tech_zhang)
    assert client.get(reverse("configuration:rules")).status_code == 403
    assert client.post(reverse("configuration:rules"), {"key": DEADLINE_MOVES, "value": "false", "reason": "x"}).status_code == 403


def test_text_edited_after_the_preview_is_not_confirmed_unseen(client, admin_an):
    client.force_login(admin_an)
    seen = fingerprint(client, NOTICE_2027)
    edited = NOTICE_2027.replace("、10月9日（周六）上班", "上班")
    response = client.post(reverse("configuration:notice"), {"text": edited, "action": "confirm", "previewed": seen})
    assert response.status_code == 200 and 'id="notice-preview"' in response.content.decode()
    assert not HolidayYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize("year", [0, 1999, 10000])
def test_a_year_outside_the_calendar_in_the_address_is_not_found(client, admin_an, year):
    client.force_login(admin_an)
    for name, data in (("confirm", {"source": "x"}), ("reopen", {"reason": "x"}), ("day", {"date": "2027-01-01", "kind": "holiday", "festival": "other"})):
        assert client.post(reverse(f"configuration:{name}", args=[year]), data).status_code == 404
