"""Default 三包 terms: household appliances, microcomputers, farm machinery, family cars (editable)."""

from decimal import Decimal

from django.db import migrations

TERMS = [
    ("appliance", "家用电器三包规定", {"return_days": 7, "exchange_days": 15, "period_days": 365, "failed_repairs": 2, "repair_days_limit": 30,
                                    "depreciation_percent_per_month": Decimal("1.00")}),
    ("it", "微型计算机商品三包规定", {"return_days": 7, "exchange_days": 15, "period_days": 365, "failed_repairs": 2, "repair_days_limit": 30}),
    ("farm", "农业机械产品三包规定", {"return_days": 7, "exchange_days": 15, "period_days": 365, "failed_repairs": 2, "repair_days_limit": 40,
                                   "busy_season_months": [5, 6, 9, 10], "busy_season_repair_days": 5, "depreciation_percent_per_month": Decimal("1.50")}),
    ("vehicle", "家用汽车产品三包规定", {"return_days": 7, "exchange_days": 60, "exchange_km": 3000, "period_days": 730, "period_km": 50000,
                                    "failed_repairs": None, "repair_days_limit": None, "cumulative_repair_days": 30, "same_problem_repairs": 4,
                                    "serious_fault_repairs": 2, "depreciation_percent_per_month": Decimal("0.80")}),
]


def create(apps, schema_editor):
    StatutoryTerms = apps.get_model("sanbao", "StatutoryTerms")
    for code, name, fields in TERMS:
        StatutoryTerms.objects.get_or_create(category_code=code, defaults={"name": name, **fields})


class Migration(migrations.Migration):
    dependencies = [("sanbao", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
