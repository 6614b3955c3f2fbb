from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.reports.models import ExportJob, QuarterlySummary, ReportTarget


@admin.register(ReportTarget)
class ReportTargetAdmin(SimpleHistoryAdmin):
    list_display = ("key", "direction", "target", "amber_band")
    list_editable = ("target", "amber_band")


@admin.register(QuarterlySummary)
class QuarterlySummaryAdmin(SimpleHistoryAdmin):
    list_display = ("year", "quarter", "service_center", "edited_by", "updated_at")
    readonly_fields = ("version",)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "requested_by", "status", "done", "total", "created_at", "finished_at")
    readonly_fields = ("kind", "params", "requested_by", "status", "done", "total", "file", "file_name", "error", "finished_at")
