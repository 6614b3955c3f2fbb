from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.returns.models import ReturnRule, Shipment, ShipmentLine


class LineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 1


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("number", "customer", "salesperson", "shipped_on", "received_on")
    search_fields = ("number", "customer__name")
    inlines = [LineInline]


@admin.register(ReturnRule)
class ReturnRuleAdmin(SimpleHistoryAdmin):
    list_display = ("position", "name", "outcome", "credit_percent", "freight", "active")
    list_editable = ("active",)
