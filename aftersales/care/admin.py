from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.care.models import Holiday, ReminderRule, VisitRule, VisitType


@admin.register(VisitType)
class VisitTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "form_name")


@admin.register(VisitRule)
class VisitRuleAdmin(SimpleHistoryAdmin):
    list_display = ("name", "visit_type", "event", "offset_days", "window_days", "audience", "sample_percent", "active")
    list_filter = ("active", "event", "visit_type")
    list_editable = ("active",)


@admin.register(ReminderRule)
class ReminderRuleAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "days_before", "active")


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("name", "date")
