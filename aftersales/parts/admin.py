"""Administrators keep suppliers, the catalogue and the warehouses here; stock moves only through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.parts.models import Part, Supplier, Warehouse


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "contact", "phone", "is_manufacturer"]


@admin.register(Part)
class PartAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "specification", "sale_price", "cost", "is_main_part", "is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["compatible_models"]


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "service_center", "technician", "is_active"]
    list_filter = ["level", "service_center"]
