from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.sanbao.models import StatutoryTerms


@admin.register(StatutoryTerms)
class StatutoryTermsAdmin(SimpleHistoryAdmin):
    list_display = ("category_code", "name", "return_days", "exchange_days", "period_days", "failed_repairs", "repair_days_limit")
