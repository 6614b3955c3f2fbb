"""Service cost budgets (COST-01..03): monthly quotas per centre and category, actual costs entered or taken from
jobs (parts used at cost, travel the company bears), actual vs quota with variance and year to date, warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.accounts.scoping import can_see_center
from aftersales.core.errors import DomainError
from aftersales.performance.models import DEFAULT_QUOTA, CostBudget, CostCategory, CostEntry

BUDGET_ROLES = (roles.SERVICE_MANAGER, roles.ADMINISTRATOR, roles.GENERAL_MANAGER)
ENTRY_ROLES = (roles.SUPERVISOR, roles.ACCOUNTANT, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)
READ_ROLES = (*ENTRY_ROLES, roles.BRANCH_MANAGER, roles.GENERAL_MANAGER, roles.VICE_GM)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def budget_set(*, actor, center, month: dt.date, amounts: dict[str, Decimal]) -> list[CostBudget]:
    """Set a centre's monthly quota per category (COST-02). A negative or unknown amount is refused; nothing changes."""
    if not actor.has_role(*BUDGET_ROLES):
        raise PermissionDenied(_("Only the service department sets budgets."))
    errors = []
    for category, amount in amounts.items():
        if category not in CostCategory.values:
            errors.append(_("Unknown cost category “%(c)s”.") % {"c": category})
        elif amount is None or amount < 0:
            errors.append(_("“%(c)s”: a budget cannot be negative.") % {"c": CostCategory(category).label})
    if errors:
        raise DomainError({"amounts": errors})
    with transaction.atomic():
        return [CostBudget.objects.update_or_create(service_center=center, month=month_start(month), category=category,
                                                    defaults={"amount": amount})[0] for category, amount in amounts.items()]


def quota(center, month: dt.date) -> dict[str, Decimal]:
    """The month's quota per category: what was set, else the default (COST-01: 100,000 yuan split seven ways)."""
    set_ = dict(CostBudget.objects.filter(service_center=center, month=month_start(month)).values_list("category", "amount"))
    return {c: set_.get(c, Decimal(DEFAULT_QUOTA[c])) for c in CostCategory.values}


def cost_record(*, actor, center, day: dt.date, category: str, amount: Decimal, note: str = "") -> CostEntry:
    if not actor.has_role(*ENTRY_ROLES) or not can_see_center(actor, center.pk):
        raise PermissionDenied(_("You may not record costs for this centre."))
    errors: dict[str, list[str]] = {}
    if category not in CostCategory.values:
        errors["category"] = [_("Choose a valid value.")]
    if amount is None or amount < 0:
        errors["amount"] = [_("A cost cannot be negative.")]
    if day > timezone.localdate():
        errors["day"] = [_("The date cannot lie in the future.")]
    if errors:
        raise DomainError(errors)
    return CostEntry.objects.create(service_center=center, day=day, category=category, amount=amount, note=note.strip()[:200], entered_by=actor)


def costs_from_jobs(*, month: dt.date) -> int:
    """Take the month's parts used (at cost) and company-borne travel from the jobs; once each (idempotent)."""
    from aftersales.billing.models import ChargeLine, Coverage, LineKind
    from aftersales.parts.models import WorkOrderPart

    start = timezone.make_aware(dt.datetime.combine(month_start(month), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine((month_start(month) + dt.timedelta(days=32)).replace(day=1), dt.time.min))
    made = 0
    rows = [(f"parts:{u.pk}", u.work_order.service_center_id, timezone.localdate(u.issued_at), CostCategory.MATERIALS,
             ((u.quantity - u.returned_quantity) * u.unit_cost).quantize(Decimal("0.01")), u.part.name)
            for u in WorkOrderPart.objects.filter(issued_at__gte=start, issued_at__lt=end).select_related("work_order", "part")]
    rows += [(f"travel:{c.pk}", c.work_order.service_center_id, timezone.localdate(c.created_at), CostCategory.TRAVEL, c.cost or c.unit_price * c.quantity,
              c.description) for c in ChargeLine.objects.filter(kind=LineKind.TRAVEL, created_at__gte=start, created_at__lt=end)
             .exclude(coverage=Coverage.PAID).select_related("work_order")]
    for key, center_id, day, category, amount, note in rows:
        if amount <= 0 or CostEntry.objects.filter(source_key=key).exists():
            continue
        try:
            with transaction.atomic():
                CostEntry.objects.create(service_center_id=center_id, day=day, category=category, amount=amount, note=note[:200], source_key=key)
                made += 1
        except IntegrityError:
            continue
    return made


@dataclass
class CostLine:
    category: str
    label: str
    quota: Decimal
    actual: Decimal
    ytd_quota: Decimal
    ytd_actual: Decimal

    @property
    def variance(self) -> Decimal:
        return self.quota - self.actual

    @property
    def percent(self) -> int:
        return round(self.actual * 100 / self.quota) if self.quota else 0

    @property
    def warning(self) -> bool:
        return self.percent >= settings.COST_WARNING_PERCENT


def cost_report(*, center, month: dt.date) -> list[CostLine]:
    """Actual vs quota per category for the month and the year to date (grouped queries)."""
    first = month_start(month)
    months = [first.replace(month=m) for m in range(1, first.month + 1)]
    actual = dict(CostEntry.objects.filter(service_center=center, day__year=first.year, day__month=first.month).values("category")
                  .annotate(s=Sum("amount")).values_list("category", "s"))
    ytd = dict(CostEntry.objects.filter(service_center=center, day__year=first.year, day__month__lte=first.month).values("category")
               .annotate(s=Sum("amount")).values_list("category", "s"))
    set_ = defaultdict_sum(CostBudget.objects.filter(service_center=center, month__in=months).values_list("month", "category", "amount"))
    lines = []
    for category in CostCategory.values:
        month_quota = set_.get((first, category), Decimal(DEFAULT_QUOTA[category]))
        ytd_quota = sum((set_.get((m, category), Decimal(DEFAULT_QUOTA[category])) for m in months), Decimal("0"))
        lines.append(CostLine(category=category, label=str(CostCategory(category).label), quota=month_quota, actual=actual.get(category) or Decimal("0"),
                              ytd_quota=ytd_quota, ytd_actual=ytd.get(category) or Decimal("0")))
    return lines


def defaultdict_sum(rows) -> dict:
    return {(month, category): amount for month, category, amount in rows}


def cost_warnings(*, month: dt.date) -> int:
    """Tell the centre's supervisors, once per category and month, when a category reaches the warning share of its quota."""
    from aftersales.accounts.models import ServiceCenter, User
    from aftersales.notifications.services import notice_send

    sent = 0
    for center in ServiceCenter.objects.filter(is_active=True):
        for line in cost_report(center=center, month=month):
            if not line.warning:
                continue
            supervisors = list(User.objects.filter(is_active=True, service_center=center, groups__name=roles.SUPERVISOR))
            sent += notice_send(recipients=supervisors, kind="cost_warning", title=_("%(c)s has used %(p)s %% of the %(cat)s budget") % {
                "c": center.name, "p": line.percent, "cat": line.label}, url=reverse("performance:costs") + f"?center={center.pk}&month={month:%Y-%m}",
                dedupe_key=f"cost:{center.pk}:{month_start(month):%Y-%m}:{line.category}")
    return sent
