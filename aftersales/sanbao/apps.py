from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanbaoConfig(AppConfig):
    name = "aftersales.sanbao"
    verbose_name = _("三包 (repair, replace, return)")
