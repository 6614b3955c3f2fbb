from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "aftersales.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from aftersales.complaints import policies  # noqa: F401  (declares the rules)
        from aftersales.complaints.services.recompute import recompute_deadlines
        from aftersales.core.holidays.changes import subscribe

        subscribe(50, "complaints", recompute_deadlines)
