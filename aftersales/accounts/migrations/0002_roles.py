"""Create one Django group per role, with the model permissions each role needs."""

from django.db import migrations

ROLES = [
    "desk_clerk", "supervisor", "technician", "warehouse", "accountant",
    "quality", "service_manager", "general_manager", "administrator",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for code in ROLES:
        Group.objects.get_or_create(name=code)


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, drop_roles)]
