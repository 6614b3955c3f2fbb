from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigurationConfig(AppConfig):
    """The company's own settings of the product: the working calendar and the rules (规则设置).

    It sits right above ``accounts`` (it knows centres and users) and below every domain app: domain apps declare
    their rules here and read them through ``configuration.values.rule``; this app never imports them.
    """

    name = "aftersales.configuration"
    verbose_name = _("Configuration")
