"""The festivals of VIS-06 are now greeted on their own day every year from the working calendar's statute
(``care.services.greeted_festivals``); the rows seeded for 2026–2027 are removed so that ``Holiday`` holds only the
company's extra greetings (情人节 and whatever an administrator adds)."""

from django.db import migrations

SEEDED = [
    ("元旦", "2026-01-01"), ("春节", "2026-02-17"), ("劳动节", "2026-05-01"), ("中秋节", "2026-09-25"), ("国庆节", "2026-10-01"),
    ("元旦", "2027-01-01"), ("春节", "2027-02-06"), ("劳动节", "2027-05-01"), ("中秋节", "2027-09-15"), ("国庆节", "2027-10-01"),
]


def remove_seeded_festivals(apps, schema_editor):
    Holiday = apps.get_model("care", "Holiday")
    for name, day in SEEDED:
        Holiday.objects.filter(name=name, date=day).delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0002_default_rules")]
    operations = [migrations.RunPython(remove_seeded_festivals, migrations.RunPython.noop)]
