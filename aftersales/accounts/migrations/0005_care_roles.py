"""Customer care roles: the vice-GM reviews serious opinions (SURV-04), visit agents make return
visits (VIS-01), salespeople seek contract renewals (CON-02)."""

from django.db import migrations

ROLES = ("vice_gm", "care_agent", "sales")


def create_roles(apps, schema_editor):
    for code in ROLES:
        apps.get_model("auth", "Group").objects.get_or_create(name=code)


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_center_branch_and_return_days")]
    operations = [migrations.RunPython(create_roles, drop_roles)]
