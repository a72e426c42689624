"""Seed the statutory calendar (holidays and make-up working days) for every year chinese_calendar
covers (2004–2026). Later years are entered by admins from the State Council's notice."""

from django.db import migrations


def seed(apps, schema_editor):
    from apps.worktime.seeding import seed_statutory_calendar

    seed_statutory_calendar(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
