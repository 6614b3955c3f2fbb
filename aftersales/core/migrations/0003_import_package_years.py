"""The official days the holiday package knows (2004–2026) become confirmed calendar years an administrator owns.

From here on the running calendar reads these rows, not the package; 2027 and later are predicted from the statute
until an administrator imports and confirms the State Council notice.
"""

from django.db import migrations


def import_years(apps, schema_editor):
    from aftersales.core.holidays.package import import_package_years

    import_package_years(apps.get_model("core", "HolidayYear"), apps.get_model("core", "HolidayDay"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_national_calendar")]
    operations = [migrations.RunPython(import_years, migrations.RunPython.noop)]
