"""三包: the statutory repair / replace / return terms per product category (Chinese consumer law).

Each ``StatutoryTerms`` row holds one category's numbers (defaults for household appliances,
microcomputers, farm machinery and family cars in migration 0002); an administrator edits them.
What a customer is entitled to today is computed from them and the machine's repair history
(``aftersales.sanbao.entitlement``), never stored.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StatutoryTerms(models.Model):
    category_code = models.SlugField(_("product category code"), max_length=40, unique=True)
    name = models.CharField(_("regulation"), max_length=80)
    return_days = models.PositiveSmallIntegerField(_("return for a performance fault within (days of sale)"), default=7)
    exchange_days = models.PositiveSmallIntegerField(_("exchange for a performance fault within (days of sale)"), default=15)
    exchange_km = models.PositiveIntegerField(_("… or within (km)"), null=True, blank=True)
    period_days = models.PositiveSmallIntegerField(_("三包 period (days)"), default=365)
    period_km = models.PositiveIntegerField(_("三包 period (km)"), null=True, blank=True)
    failed_repairs = models.PositiveSmallIntegerField(_("free exchange or return after this many repairs of one fault"), null=True, blank=True, default=2)
    repair_days_limit = models.PositiveSmallIntegerField(_("one repair longer than (days) → exchange"), null=True, blank=True, default=30)
    busy_season_months = models.JSONField(_("busy season (months)"), default=list, blank=True)
    busy_season_repair_days = models.PositiveSmallIntegerField(_("in the busy season, one repair longer than (days) → exchange"), null=True, blank=True)
    cumulative_repair_days = models.PositiveSmallIntegerField(_("repairs adding up to more than (days) → exchange"), null=True, blank=True)
    same_problem_repairs = models.PositiveSmallIntegerField(_("more than this many repairs of one problem → exchange"), null=True, blank=True)
    serious_fault_repairs = models.PositiveSmallIntegerField(_("repairs of a main part (serious safety fault) → exchange or return"), null=True,
                                                             blank=True)
    depreciation_percent_per_month = models.DecimalField(_("depreciation on a return (% per month of use)"), max_digits=5, decimal_places=2, null=True,
                                                         blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("三包 terms")
        verbose_name_plural = _("三包 terms")
        ordering = ["category_code"]

    def __str__(self) -> str:
        return self.name
