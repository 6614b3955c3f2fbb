"""Complaint routing roles: the producing unit gives the countermeasure, R&D joins when needed (CMP-05)."""

from django.db import migrations

ROLES = ("production", "rnd")


def create_roles(apps, schema_editor):
    for code in ROLES:
        apps.get_model("auth", "Group").objects.get_or_create(name=code)


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_departments_and_points")]
    operations = [migrations.RunPython(create_roles, drop_roles)]
