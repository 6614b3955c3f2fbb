"""The public holidays by name: stable codes, their names in notices, in the holiday package, on screen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Festival(models.TextChoices):
    NEW_YEAR = "new_year", _("New Year's Day (元旦)")
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival (春节)")
    QINGMING = "qingming", _("Qingming Festival (清明节)")
    LABOUR_DAY = "labour_day", _("Labour Day (劳动节)")
    DRAGON_BOAT = "dragon_boat", _("Dragon Boat Festival (端午节)")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival (中秋节)")
    NATIONAL_DAY = "national_day", _("National Day (国庆节)")
    OTHER = "other", _("Other day off")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Day off")
    WORKDAY = "workday", _("Make-up working day (调休上班)")


class DayBasis(models.TextChoices):
    """Why a day is off (or on): the statute's own day, the weekday owed for one on a weekend, a weekday
    swapped against a make-up working day, a weekend inside the holiday, or the make-up working day itself."""

    STATUTORY = "statutory", _("Statutory holiday (法定节假日)")
    COMPENSATORY = "compensatory", _("Compensatory day off (补假)")
    IN_LIEU = "in_lieu", _("Day off in lieu (调休)")
    WEEKEND = "weekend", _("Weekend within the holiday")
    MAKE_UP = "make_up", _("Make-up working day (调休上班)")
    OTHER = "other", _("Other")


# How the notices write the names (both 清明 and 清明节 occur; 五一 in colloquial text).
NOTICE_NAMES: dict[str, Festival] = {
    "元旦": Festival.NEW_YEAR,
    "春节": Festival.SPRING_FESTIVAL,
    "清明节": Festival.QINGMING,
    "清明": Festival.QINGMING,
    "劳动节": Festival.LABOUR_DAY,
    "五一": Festival.LABOUR_DAY,
    "端午节": Festival.DRAGON_BOAT,
    "端午": Festival.DRAGON_BOAT,
    "中秋节": Festival.MID_AUTUMN,
    "中秋": Festival.MID_AUTUMN,
    "国庆节": Festival.NATIONAL_DAY,
    "国庆": Festival.NATIONAL_DAY,
}

# The holiday package (chinesecalendar) names, for the import of its years and for tests that use it as the oracle.
PACKAGE_NAMES: dict[str, Festival] = {
    "New Year's Day": Festival.NEW_YEAR,
    "Spring Festival": Festival.SPRING_FESTIVAL,
    "Tomb-sweeping Day": Festival.QINGMING,
    "Labour Day": Festival.LABOUR_DAY,
    "Dragon Boat Festival": Festival.DRAGON_BOAT,
    "Mid-autumn Festival": Festival.MID_AUTUMN,
    "National Day": Festival.NATIONAL_DAY,
}

# Short Chinese names for compact displays (the calendar grid, timeline notes).
SHORT_NAMES: dict[str, str] = {
    Festival.NEW_YEAR: "元旦",
    Festival.SPRING_FESTIVAL: "春节",
    Festival.QINGMING: "清明节",
    Festival.LABOUR_DAY: "劳动节",
    Festival.DRAGON_BOAT: "端午节",
    Festival.MID_AUTUMN: "中秋节",
    Festival.NATIONAL_DAY: "国庆节",
    Festival.OTHER: "休息日",
}
