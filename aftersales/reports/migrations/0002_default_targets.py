"""The report targets of RPT-04/05 (seeds 001, 002, 004); the seeds give no SLA or first-visit target: 95 % and 90 % are ours."""

from decimal import Decimal

from django.db import migrations

TARGETS = [
    ("sla_compliance", "95", "min"), ("first_time_fix", "90", "min"), ("rework", "2", "max"), ("claim_approval", "95", "min"),
    ("satisfaction", "98", "min"), ("csi", "93", "min"), ("visit_coverage", "100", "min"), ("complaints_on_time", "100", "min"),
    ("major_complaints", "1", "max"), ("return_rate", "2.5", "max"), ("cost_usage", "100", "max"),
]


def add(apps, schema_editor):
    ReportTarget = apps.get_model("reports", "ReportTarget")
    for key, target, direction in TARGETS:
        ReportTarget.objects.get_or_create(key=key, defaults={"target": Decimal(target), "direction": direction})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
