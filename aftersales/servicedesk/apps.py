from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "aftersales.servicedesk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from aftersales.core.holidays.changes import subscribe
        from aftersales.servicedesk.services.recompute import recompute_arrival_deadlines

        subscribe(10, "servicedesk", recompute_arrival_deadlines)
