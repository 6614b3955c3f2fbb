from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DailyreportsConfig(AppConfig):
    name = "aftersales.dailyreports"
    verbose_name = _("Daily reports")
