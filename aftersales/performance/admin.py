"""Where an administrator keeps the evaluation schemes, grades, points per job type, pay terms and budgets."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from aftersales.performance.models import (
    Attendance,
    CostBudget,
    CostEntry,
    GradeBand,
    JobTypePoints,
    KpiItem,
    KpiScheme,
    MonthClose,
    PayTerms,
    ScoreCorrection,
)


class ItemsAddUpTo100(forms.BaseInlineFormSet):
    """A scheme's items must add up to 100 points (KPI-01); otherwise nothing of the scheme is saved."""

    def clean(self) -> None:
        super().clean()
        total = sum((form.cleaned_data.get("weight") or Decimal("0") for form in self.forms
                     if form.cleaned_data and not form.cleaned_data.get("DELETE")), Decimal("0"))
        if total != 100:
            raise forms.ValidationError(_("The items' points add up to %(t)s; they must add up to 100.") % {"t": total})


class KpiItemInline(admin.TabularInline):
    model = KpiItem
    formset = ItemsAddUpTo100
    extra = 0
    fields = ("position", "name", "weight", "source", "deduction", "deduction_cap", "deduction_steps", "assessor", "assessor_role", "comment_required")


@admin.register(KpiScheme)
class KpiSchemeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "role", "pay_rule", "active")
    filter_horizontal = ("members",)
    inlines = [KpiItemInline]


@admin.register(GradeBand)
class GradeBandAdmin(SimpleHistoryAdmin):
    list_display = ("code", "min_score", "bonus_percent", "probation")


@admin.register(JobTypePoints)
class JobTypePointsAdmin(admin.ModelAdmin):
    list_display = ("job_type", "points")
    list_editable = ("points",)


@admin.register(PayTerms)
class PayTermsAdmin(SimpleHistoryAdmin):
    list_display = ("person", "monthly_pay", "bonus_base")
    search_fields = ("person__username", "person__full_name")


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ("person", "month", "absent_days", "note")
    list_filter = ("month",)


@admin.register(CostBudget)
class CostBudgetAdmin(SimpleHistoryAdmin):
    list_display = ("service_center", "month", "category", "amount")
    list_filter = ("service_center", "month")


@admin.register(CostEntry)
class CostEntryAdmin(SimpleHistoryAdmin):
    list_display = ("service_center", "day", "category", "amount", "note", "source_key")
    list_filter = ("service_center", "category")


@admin.register(MonthClose)
class MonthCloseAdmin(admin.ModelAdmin):
    list_display = ("month", "closed_by", "closed_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScoreCorrection)
class ScoreCorrectionAdmin(admin.ModelAdmin):
    """Corrections are made on the score sheet; here they are only read."""

    list_display = ("assessment", "item", "old_points", "new_points", "reason", "by", "at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
