"""Working days used (``Clock.used_days``) for the clocks stopped before 0005 added the column, so that
the supervisors' average time taken counts every decided case, not only those decided since.

The counting rule is ``apps.worktime.calendar``'s, restated here from the calendar rows as they are at
this migration (a data migration calls no live code): a working day is a Monday–Friday that is not a
statutory holiday, or a make-up working day; a centre's closures are not working days there; a year
with no calendar entered counts Monday–Friday. Used = working days in (started_on, stopped_on], less
the suspended ones, never below 0 — what ``stop_clock`` stores. Batched: the clocks are read in pages
and written with bulk updates."""

import bisect
import datetime as dt

from django.db import migrations

BATCH = 2000


def _working_days(first, last, holidays, workdays, closed):
    days = []
    day = first
    while day <= last:
        if (day in workdays or (day.weekday() < 5 and day not in holidays)) and day not in closed:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def backfill(apps, schema_editor):
    Clock = apps.get_model("worktime", "Clock")
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    stopped = Clock.objects.filter(stopped_on__isnull=False, used_days__isnull=True)
    bounds = stopped.order_by("started_on").values_list("started_on", flat=True).first()
    if bounds is None:
        return
    first = bounds
    last = stopped.order_by("-stopped_on").values_list("stopped_on", flat=True).first()
    holidays, workdays, closures = set(), set(), {}
    for day, kind, centre_id in CalendarDay.objects.values_list("date", "kind", "centre_id"):
        if kind == "holiday":
            holidays.add(day)
        elif kind == "workday":
            workdays.add(day)
        else:
            closures.setdefault(centre_id, set()).add(day)
    lists = {}

    def days_for(centre_id):
        key = centre_id if centre_id in closures else None
        if key not in lists:
            lists[key] = _working_days(first, last, holidays, workdays, closures.get(key, set()))
        return lists[key]

    last_pk = 0
    while True:
        page = list(stopped.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
        if not page:
            break
        for clock in page:
            days = days_for(clock.centre_id)
            between = bisect.bisect_right(days, clock.stopped_on) - bisect.bisect_right(
                days, clock.started_on
            )
            clock.used_days = max(0, between - clock.suspended_days)
        Clock.objects.bulk_update(page, ["used_days"])
        last_pk = page[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("worktime", "0005_clock_used_days"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
