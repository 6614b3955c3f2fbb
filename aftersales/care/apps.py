from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "aftersales.care"
    verbose_name = _("Return visits and reminders")
