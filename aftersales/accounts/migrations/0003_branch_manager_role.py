"""The branch manager (分公司经理) signs branch supervisors' daily reports (DRPT-03)."""

from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="branch_manager")


def drop_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="branch_manager").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(create_role, drop_role)]
