"""Administrators keep the fault codes of each product family here (with history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.core.models import FaultCode


@admin.register(FaultCode)
class FaultCodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["code", "name"]
