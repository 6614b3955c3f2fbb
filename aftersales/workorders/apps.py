from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkordersConfig(AppConfig):
    name = "aftersales.workorders"
    verbose_name = _("Work orders")

    def ready(self) -> None:
        from aftersales.core.holidays.changes import subscribe
        from aftersales.workorders import policies  # noqa: F401  (declares the rules)
        from aftersales.workorders.services.recompute import recompute_return_promises

        subscribe(20, "workorders", recompute_return_promises)
