from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DailyreportsConfig(AppConfig):
    name = "aftersales.dailyreports"
    verbose_name = _("Daily reports")

    def ready(self) -> None:
        from aftersales.core.holidays.changes import subscribe
        from aftersales.dailyreports.recompute import recompute_report_deadlines

        subscribe(30, "dailyreports", recompute_report_deadlines)
