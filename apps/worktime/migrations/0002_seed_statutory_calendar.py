"""Seed the statutory calendar (holidays and make-up working days) for 2004–2026. Later years are entered
by admins from the State Council's notice.

The days are frozen in 0002_seed_statutory_calendar.json, next to this file: the rows chinesecalendar
1.11.0 gave, with the official Chinese names (worktime.codes.HOLIDAY_NAMES) as they stood when this
migration was written. A migration must write the same rows whatever library or code is installed
when it runs; never regenerate the file (a correction to a past year is a new migration).
"""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_name("0002_seed_statutory_calendar.json")


def seed(apps, schema_editor):
    using = schema_editor.connection.alias
    data = json.loads(DATA.read_text(encoding="utf-8"))
    CalendarYear = apps.get_model("worktime", "CalendarYear")
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    CalendarVersion = apps.get_model("worktime", "CalendarVersion")
    existing = set(CalendarYear.objects.using(using).values_list("year", flat=True))
    missing = [year for year in data["years"] if year not in existing]
    if not missing:
        return
    CalendarYear.objects.using(using).bulk_create(
        CalendarYear(year=year, notice=data["notice"]) for year in missing
    )
    CalendarDay.objects.using(using).bulk_create(
        (
            CalendarDay(date=dt.date.fromisoformat(date), kind=kind, name=name, source="statutory")
            for date, kind, name in data["days"]
            if int(date[:4]) in missing
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )
    if not CalendarVersion.objects.using(using).filter(pk=1).exists():
        CalendarVersion.objects.using(using).create(pk=1, value=1)


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
