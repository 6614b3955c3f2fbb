from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "aftersales.contracts"
    verbose_name = _("Maintenance contracts")

    def ready(self) -> None:
        from aftersales.contracts.recompute import recompute_planned_visits
        from aftersales.core.holidays.changes import subscribe

        subscribe(40, "contracts", recompute_planned_visits)
