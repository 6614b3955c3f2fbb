from django.contrib import admin

from aftersales.contracts.models import SlaLevel


@admin.register(SlaLevel)
class SlaLevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "arrival_hours_urban", "arrival_hours_suburban", "arrival_hours_remote")
