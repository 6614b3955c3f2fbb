"""Administrators edit centres, zone rules, calendars and staff here; every change is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.accounts.models import CalendarOverride, ServiceCenter, User, ZoneRule


class ZoneRuleInline(admin.TabularInline):
    model = ZoneRule
    extra = 1


@admin.register(ServiceCenter)
class ServiceCenterAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "region", "working_hours", "is_active"]
    inlines = [ZoneRuleInline]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "service_center", "is_working", "hours", "note"]
    list_filter = ["service_center", "is_working"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Aftersales", {"fields": ("full_name", "phone", "service_center", "grade", "skills")}))
    list_display = ["username", "full_name", "service_center", "is_active"]
    list_filter = ["service_center", "groups"]
