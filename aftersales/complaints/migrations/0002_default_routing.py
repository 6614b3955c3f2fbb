"""The default routing (CMP-05; per-step days adding up to the 13-day limit, CMP-11) and approval authority (CMP-06, CMP-10)."""

from decimal import Decimal

from django.db import migrations

ROUTE = [
    # position, code, department, owner role, days, optional
    (1, "register", "总经办生管组/客服部", "service_manager", 0, False),
    (2, "quality", "品保部", "quality", 3, False),
    (3, "production", "生产单位", "production", 2, False),
    (4, "manager", "经理室", "vice_gm", 1, False),
    (5, "rnd", "研发部", "rnd", 2, True),
    (6, "sales_proposal", "业务部", "sales", 2, False),
    (7, "consolidate", "总经办", "service_manager", 1, False),
    (8, "approval", "核决", "", 1, False),
    (9, "execute", "业务部", "sales", 1, False),
]
LIMITS = [("sales", Decimal("500.00"), False, 0), ("service_manager", Decimal("5000.00"), False, 1), ("vice_gm", Decimal("50000.00"), False, 2),
          ("general_manager", None, True, 3)]


def create(apps, schema_editor):
    RouteStep = apps.get_model("complaints", "RouteStep")
    ApprovalLimit = apps.get_model("complaints", "ApprovalLimit")
    for position, code, department, role, days, optional in ROUTE:
        RouteStep.objects.get_or_create(code=code, defaults={"position": position, "department": department, "owner_role": role, "days": days,
                                                             "optional": optional})
    for role, amount, major, rank in LIMITS:
        ApprovalLimit.objects.get_or_create(role=role, defaults={"max_amount": amount, "may_approve_major": major, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
