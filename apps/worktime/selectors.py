from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from apps.worktime import calendar
from apps.worktime.codes import DayKind
from apps.worktime.models import CalendarDay, CalendarYear, Clock


def missing_years(today: dt.date | None = None) -> list[int]:
    """This year and next, when not entered: clocks run into next year from the autumn on."""
    today = today or timezone.localdate()
    known = set(
        CalendarYear.objects.filter(year__in=[today.year, today.year + 1]).values_list("year", flat=True)
    )
    return [year for year in (today.year, today.year + 1) if year not in known]


def provisional_open_clocks() -> int:
    return Clock.objects.filter(stopped_on__isnull=True, provisional=True).count()


@dataclass(frozen=True)
class DayCell:
    date: dt.date | None
    kind: str  # "", "weekend", "holiday", "workday"
    name: str = ""


@dataclass(frozen=True)
class YearOverview:
    year: int
    entered: CalendarYear | None
    working_days: int
    holidays: list[CalendarDay]
    workdays: list[CalendarDay]
    months: list[tuple[int, list[list[DayCell]]]]


def year_overview(year: int) -> YearOverview:
    """The national calendar of a year, month by month (Monday first), with its working-day count."""
    entered = CalendarYear.objects.filter(year=year).first()
    days = {d.date: d for d in CalendarDay.objects.filter(date__year=year, centre__isnull=True)}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(DayCell(None, ""))
                    continue
                entry = days.get(day)
                if entry is not None:
                    row.append(DayCell(day, entry.kind, entry.name))
                else:
                    row.append(DayCell(day, "weekend" if day.weekday() >= 5 else ""))
            weeks.append(row)
        months.append((month, weeks))
    working = calendar.working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
    return YearOverview(
        year=year,
        entered=entered,
        working_days=working,
        holidays=[d for d in days.values() if d.kind == DayKind.HOLIDAY],
        workdays=[d for d in days.values() if d.kind == DayKind.WORKDAY],
        months=months,
    )


def known_years_with_counts() -> list[tuple[int, bool, int]]:
    """(year, entered, working days) from 2004 to next year, newest first."""
    entered = set(CalendarYear.objects.values_list("year", flat=True))
    last = max([timezone.localdate().year + 1, *entered])
    return [
        (
            year,
            year in entered,
            calendar.working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)),
        )
        for year in range(last, calendar.FIRST_YEAR - 1, -1)
    ]
