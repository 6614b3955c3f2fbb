"""The shared cache's table (settings.CACHES: login throttles of every process) when it lives in the database.

``migrate`` alone then prepares a database; with Redis configured ``createcachetable`` does nothing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_import_package_years")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
