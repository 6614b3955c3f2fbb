from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "aftersales.care"
    verbose_name = _("Return visits and reminders")

    def ready(self) -> None:
        from aftersales.care.services import redate_maintenance_reminders
        from aftersales.core.holidays.changes import subscribe

        subscribe(60, "care", redate_maintenance_reminders)
