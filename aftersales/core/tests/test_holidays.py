"""The national calendar as data: the statutory prediction, the State Council notice, and an administrator's edits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from chinese_calendar import constants
from django.core.exceptions import PermissionDenied

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.holidays.festivals import DayBasis, DayKind, Festival
from aftersales.core.holidays.notice import parse_notice
from aftersales.core.holidays.package import package_days
from aftersales.core.holidays.services import (
    holiday_day_remove,
    holiday_day_set,
    holiday_notice_confirm,
    holiday_notice_preview,
    holiday_year_confirm,
    holiday_year_reopen,
)
from aftersales.core.holidays.statutory import compensatory_days, predicted_days, statutory_days
from aftersales.core.models import HolidayDay, HolidayYear, HolidayYearChange
from aftersales.core.national import national_calendar
from aftersales.testing import factories as f
from aftersales.testing.calendar import NOTICE_2027

DATA = Path(__file__).parent / "data"
NOTICE_2025 = (DATA / "notice_2025.txt").read_text(encoding="utf-8")
NOTICE_2026 = (DATA / "notice_2026.txt").read_text(encoding="utf-8")
NOTICE_2015 = (DATA / "notice_2015.txt").read_text(encoding="utf-8")  # the form "4月5日放假，4月6日（星期一）补休" (2014–2017)


def as_rows(days) -> list[tuple]:
    return [(d.date, d.kind, d.festival, d.basis) for d in days]


@pytest.fixture
def admin_an(db):
    return f.staff("admin_an", "administrator", None)


# --- the notice ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("year", "text"), [(2025, NOTICE_2025), (2026, NOTICE_2026)])
def test_the_published_notice_parses_to_exactly_the_holiday_packages_days(year, text):
    parsed = parse_notice(text)
    assert parsed.year == year and not parsed.errors and not parsed.unread
    assert as_rows(parsed.days) == as_rows(package_days(year))


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_parsed_day_has_the_working_status_the_package_gives_it_day_by_day(year):
    parsed = {d.date: d.kind == DayKind.WORKDAY for d in parse_notice(NOTICE_2025 if year == 2025 else NOTICE_2026).days}
    day = dt.date(year, 1, 1)
    while day.year == year:
        import chinese_calendar

        assert parsed.get(day, day.weekday() < 5) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_the_days_swapped_against_make_up_days_are_the_packages_in_lieu_days():
    for year, text in ((2025, NOTICE_2025), (2026, NOTICE_2026)):
        in_lieu = {d.date for d in parse_notice(text).days if d.basis == DayBasis.IN_LIEU}
        assert in_lieu == {d for d in constants.in_lieu_days if d.year == year}


def test_an_older_notice_with_days_off_in_exchange_补休_gives_every_working_day_the_package_gives():
    parsed = parse_notice(NOTICE_2015)
    assert not parsed.errors and not parsed.unread
    assert {dt.date(2015, 4, 6), dt.date(2015, 6, 22)} <= {d.date for d in parsed.holidays}
    working = {d.date: d.kind == DayKind.WORKDAY for d in parsed.days}
    # The 70th anniversary of the victory (3–4 September off, 6 September worked) came in a notice of its own.
    own_notice = {dt.date(2015, 9, 3), dt.date(2015, 9, 4), dt.date(2015, 9, 6)}
    import chinese_calendar

    day = dt.date(2015, 1, 1)
    while day.year == 2015:
        if day not in own_notice:
            assert working.get(day, day.weekday() < 5) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_a_date_of_another_year_is_refused_naming_the_line():
    parsed = parse_notice("关于2027年部分节假日安排的通知\n一、元旦：2017年1月1日放假1天。")
    assert [e.line for e in parsed.errors] == [2] and "2017年1月1日" in parsed.errors[0].message


def test_a_lunar_date_written_as_the_eleventh_month_is_understood():
    # 2026-12-20 is the 12th of the 11th lunar month, which the library calls 冬月.
    assert parse_notice("关于2026年部分节假日安排的通知\n一、元旦：12月20日（农历十一月十二、周日）放假1天。", year=2026).errors == []


def test_the_notice_number_is_the_source():
    assert parse_notice(NOTICE_2026).source.endswith("国办发明电〔2025〕7号")


def test_a_combined_line_names_each_day_after_its_own_festival():
    mid_autumn = [d.date for d in parse_notice(NOTICE_2025).days if d.festival == Festival.MID_AUTUMN]
    assert mid_autumn == [dt.date(2025, 10, 6)]  # the 15th of the 8th lunar month, inside 国庆节、中秋节


def test_an_older_notice_with_星期_and_a_sentence_it_cannot_use_lists_that_sentence():
    parsed = parse_notice("关于2024年部分节假日安排的通知\n二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。"
                          "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。")
    assert not parsed.errors
    assert [d.date for d in parsed.workdays] == [dt.date(2024, 2, 4), dt.date(2024, 2, 18)]
    assert len(parsed.holidays) == 8 and dt.date(2024, 2, 9) not in {d.date for d in parsed.days}
    assert len(parsed.unread) == 1 and "除夕" in parsed.unread[0].message


def test_a_new_year_holiday_that_starts_in_december_belongs_to_the_notice_of_the_new_year():
    # As in the 2019 notice: the days off start on 30 December of the year before.
    parsed = parse_notice("关于2019年部分节假日安排的通知\n一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。")
    assert not parsed.errors
    assert [d.date for d in parsed.holidays] == [dt.date(2018, 12, 30), dt.date(2018, 12, 31), dt.date(2019, 1, 1)]
    assert [d.date for d in parsed.workdays] == [dt.date(2018, 12, 29)]
    without_years = parse_notice("关于2019年部分节假日安排的通知\n一、元旦：2018年12月30日至1月1日放假调休，共3天。")
    assert [d.date for d in without_years.holidays][-1] == dt.date(2019, 1, 1)


# --- bad notices: a clear message naming the line, nothing saved ----------------------------------------------
@pytest.mark.parametrize(("line", "expected"), [
    ("二、春节：2月30日（周一）至3月2日放假，共2天。", "2月30日"),
    ("二、春节：2月15日（周一）至23日放假调休，共9天。", "周日"),
    ("二、春节：2月15日（农历腊月二十七、周日）至23日放假调休，共9天。", "腊月二十八"),
    ("二、春节：2月15日（周日）至23日（周一）放假调休，共8天。", "9"),
    ("二、春节：2月23日至15日放假。", "2026年2月15日"),
    ("二、春节：2月15日至23日放假调休，共9天。2月16日（周一）上班。", "2026年2月16日"),
    ("二、植树节：3月12日放假1天。", "植树节"),
    ("二、春节：放假调休，共9天。", "放假"),
])
def test_a_bad_line_is_an_error_naming_the_line(line, expected):
    parsed = parse_notice(f"关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n{line}")
    assert not parsed.ok
    assert [e.line for e in parsed.errors] == [3]
    assert expected in parsed.errors[0].message


def test_a_day_given_on_two_lines_is_a_contradiction_naming_the_first_line():
    parsed = parse_notice("关于2026年部分节假日安排的通知\n六、中秋节：9月25日（周五）至27日（周日）放假，共3天。\n"
                          "七、国庆节：9月27日（周日）至10月7日（周三）放假调休，共11天。")
    assert [e.line for e in parsed.errors] == [3]
    assert "2026年9月27日" in parsed.errors[0].message and "2" in parsed.errors[0].message.replace("2026年9月27日", "")


def test_a_text_with_nothing_recognisable_is_refused_as_a_whole():
    parsed = parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n各省、自治区、直辖市人民政府：\n特此通知。")
    assert not parsed.ok and parsed.errors[0].line == 0


def test_a_notice_without_a_year_asks_for_one():
    assert not parse_notice("一、元旦：1月1日放假1天。").ok
    assert parse_notice("一、元旦：1月1日（周五）放假1天。", year=2027).ok


def test_a_title_for_another_year_than_the_one_chosen_is_refused():
    assert not parse_notice(NOTICE_2026, year=2027).ok


def test_a_bad_notice_is_not_saved(admin_an):
    with pytest.raises(DomainError) as refused:
        holiday_notice_confirm(actor=admin_an, text=NOTICE_2027.replace("2月5日（农历除夕、周五）", "2月30日（农历除夕、周五）"))
    assert "2" in str(refused.value.message_dict["text"][0])
    assert not HolidayYear.objects.filter(year=2027).exists() and not HolidayDay.objects.filter(date__year=2027).exists()


# --- the statute -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_of_a_known_year_is_a_holiday_in_the_package(year):
    for day, festival in statutory_days(year):
        assert constants.holidays.get(day) is not None, (day, festival)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_predicted_days_off_of_a_known_year_are_all_days_off_in_the_package(year):
    for day in predicted_days(year):
        assert day.date in constants.holidays and day.kind == DayKind.HOLIDAY


@pytest.mark.parametrize("year", range(2025, 2061))
def test_every_predicted_year_has_the_statutes_thirteen_weekdays_off(year):
    # 1 + 4 + 1 + 2 + 1 + 1 + 3 days, each on a weekend owed back on a weekday, and a day two festivals share too.
    assert sum(1 for d in predicted_days(year) if d.date.weekday() < 5) == 13


def test_when_mid_autumn_falls_on_national_day_the_lost_day_is_owed_back():
    days = {d.date: d.basis for d in predicted_days(2028)}  # Mid-Autumn is 3 October 2028
    assert [d for d in days if dt.date(2028, 10, 1) <= d <= dt.date(2028, 10, 10)] == [dt.date(2028, 10, d) for d in (1, 2, 3, 4, 5)]


@pytest.mark.parametrize("year", range(2008, 2027))
def test_the_qingming_solar_term_is_a_day_of_the_packages_qingming_holiday(year):
    from aftersales.core.holidays.statutory import qingming

    assert constants.holidays.get(qingming(year)) == "Tomb-sweeping Day"


def test_2027_is_predicted_with_new_years_day_the_spring_festival_and_national_day():
    days = {d.date: d for d in predicted_days(2027)}
    assert days[dt.date(2027, 1, 1)].festival == Festival.NEW_YEAR
    # Lunar New Year's Eve is Friday 5 February 2027; Saturday and Sunday are owed back on 9 and 10 February.
    assert [d for d in days if days[d].festival == Festival.SPRING_FESTIVAL] == [dt.date(2027, 2, d) for d in (5, 6, 7, 8, 9, 10)]
    assert compensatory_days(2027)[dt.date(2027, 10, 4)] == Festival.NATIONAL_DAY
    assert days[dt.date(2027, 10, 1)].basis == DayBasis.STATUTORY


def test_a_year_nobody_confirmed_is_predicted_and_unconfirmed(db):
    calendar = national_calendar()
    assert calendar.day_status(dt.date(2027, 10, 1)) == (False, False)
    assert calendar.day_status(dt.date(2027, 10, 8)) == (True, False)
    assert calendar.day_status(dt.date(2026, 10, 8)) == (True, True)


# --- an administrator confirms, reopens, edits --------------------------------------------------------------------
def test_the_preview_lists_every_day_and_what_changes_against_the_prediction(db):
    preview = holiday_notice_preview(text=NOTICE_2027)
    assert preview.can_confirm and preview.parsed.year == 2027
    assert dt.date(2027, 9, 26) in [d.date for d in preview.added]  # a make-up Sunday the prediction could not know
    assert dt.date(2027, 2, 10) not in [d.date for d in preview.removed]  # kept: still a day off


def test_confirming_the_2027_notice_confirms_the_year_and_logs_who_did_it(admin_an):
    record, _change = holiday_notice_confirm(actor=admin_an, text=NOTICE_2027, year=2027)
    assert record.status == HolidayYear.Status.CONFIRMED and record.confirmed_by == admin_an
    assert national_calendar().day_status(dt.date(2027, 9, 26)) == (True, True)  # make-up Sunday
    assert national_calendar().day_status(dt.date(2027, 2, 11)) == (False, True)
    log = HolidayYearChange.objects.get(holiday_year=record)
    assert log.action == "confirmed" and log.actor == admin_an and log.added


def test_a_confirmed_year_is_refused_unless_reopened_with_a_reason(admin_an):
    holiday_notice_confirm(actor=admin_an, text=NOTICE_2027)
    with pytest.raises(ConflictError):
        holiday_notice_confirm(actor=admin_an, text=NOTICE_2027)
    with pytest.raises(DomainError):
        holiday_year_reopen(actor=admin_an, year=2027, reason="  ")
    assert HolidayYear.objects.get(year=2027).status == "confirmed"
    holiday_year_reopen(actor=admin_an, year=2027, reason="通知更正：国庆节调休日期")
    assert national_calendar().is_confirmed_year(2027)  # the confirmed days stay in force while reopened
    record, _change = holiday_notice_confirm(actor=admin_an, text=NOTICE_2027.replace("、10月9日（周六）上班", "上班"))
    assert record.status == "confirmed" and not HolidayDay.objects.filter(date=dt.date(2027, 10, 9)).exists()


def test_a_stale_page_cannot_confirm(admin_an):
    holiday_day_set(actor=admin_an, day=dt.date(2027, 12, 31), kind=DayKind.HOLIDAY, note="公司年终休息")
    with pytest.raises(ConflictError):
        holiday_notice_confirm(actor=admin_an, text=NOTICE_2027, expected_version=1)


def test_only_the_service_department_or_an_administrator_may_change_the_calendar(admin_an, clerk_li, manager_zhou):
    with pytest.raises(PermissionDenied):
        holiday_notice_confirm(actor=clerk_li, text=NOTICE_2027)
    holiday_notice_confirm(actor=manager_zhou, text=NOTICE_2027)


def test_editing_a_predicted_year_keeps_its_prediction_and_adds_the_day(admin_an):
    holiday_day_set(actor=admin_an, day=dt.date(2027, 12, 31), kind=DayKind.HOLIDAY, note="公司年终休息")
    assert national_calendar().day_status(dt.date(2027, 12, 31)) == (False, False)
    assert national_calendar().day_status(dt.date(2027, 10, 1)) == (False, False)  # the prediction was stored with it
    holiday_day_remove(actor=admin_an, day=dt.date(2027, 12, 31))
    assert national_calendar().day_status(dt.date(2027, 12, 31)) == (True, False)


def test_a_make_up_working_day_on_a_weekday_is_refused(admin_an):
    with pytest.raises(DomainError):
        holiday_day_set(actor=admin_an, day=dt.date(2027, 10, 8), kind=DayKind.WORKDAY)


def test_a_day_of_a_confirmed_year_cannot_be_edited_without_reopening(admin_an):
    with pytest.raises(ConflictError):
        holiday_day_set(actor=admin_an, day=dt.date(2026, 12, 31), kind=DayKind.HOLIDAY)


def test_confirming_a_year_as_predicted_needs_its_source(admin_an):
    with pytest.raises(DomainError):
        holiday_year_confirm(actor=admin_an, year=2028, source="")
    record, _change = holiday_year_confirm(actor=admin_an, year=2028, source="公司决定按法定节假日安排")
    assert record.status == "confirmed" and national_calendar().day_status(dt.date(2028, 10, 3)) == (False, True)


def test_the_package_years_were_imported_as_confirmed_with_their_source(db):
    record = HolidayYear.objects.get(year=2026)
    assert record.status == "confirmed" and record.source_kind == "package" and record.source.startswith("chinesecalendar")
    assert as_rows(record.days.all()) == as_rows(package_days(2026))
