"""Administrators publish price lists and quotation menus here; every change is audited."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.billing.models import LabourRate, PartsAgreement, PriceList, QuoteFamily, ZoneTravelFee


class LabourRateInline(admin.TabularInline):
    model = LabourRate
    extra = 1


class ZoneTravelFeeInline(admin.TabularInline):
    model = ZoneTravelFee
    extra = 1


@admin.register(PriceList)
class PriceListAdmin(SimpleHistoryAdmin):
    list_display = ["name", "effective_from", "minimum_minutes", "increment_minutes", "call_out_fee"]
    inlines = [LabourRateInline, ZoneTravelFeeInline]


@admin.register(QuoteFamily)
class QuoteFamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    filter_horizontal = ["product_models", "parts"]


@admin.register(PartsAgreement)
class PartsAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["number", "customer", "start_date", "end_date", "settlement_months", "is_active"]
    raw_id_fields = ["customer"]
