from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "aftersales.billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from aftersales.billing.services.charges import price_finished_job
        from aftersales.workorders.signals import work_finished

        work_finished.connect(price_finished_job, dispatch_uid="billing.price_finished_job")
