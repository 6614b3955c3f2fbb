"""Administrators edit centres, zone rules, calendars and staff here; every change is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.accounts.models import CalendarOverride, ServiceCenter, User, ZoneRule
from aftersales.accounts.services import calendar_override_delete, calendar_override_save


class ZoneRuleInline(admin.TabularInline):
    model = ZoneRule
    extra = 1


@admin.register(ServiceCenter)
class ServiceCenterAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "region", "working_hours", "is_active"]
    inlines = [ZoneRuleInline]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    """A centre's own day changes deadlines: saving or deleting goes through the service that recomputes them."""

    list_display = ["date", "service_center", "is_working", "hours", "note"]
    list_filter = ["service_center", "is_working"]

    def save_model(self, request, obj, form, change) -> None:
        previous = CalendarOverride.objects.select_related("service_center").filter(pk=obj.pk).first() if change else None
        calendar_override_save(actor=request.user, override=obj, previous=previous)

    def delete_model(self, request, obj) -> None:
        calendar_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset) -> None:
        for override in queryset:
            calendar_override_delete(actor=request.user, override=override)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Aftersales", {"fields": ("full_name", "phone", "service_center", "grade", "skills")}))
    list_display = ["username", "full_name", "service_center", "is_active"]
    list_filter = ["service_center", "groups"]
