"""Working-day arithmetic (行政许可法 §82: licensing time limits count working days).

Counting rule, used everywhere a promise is turned into a date:

- A working day is a Monday–Friday that is not a statutory holiday, or a make-up working day (调休)
  that falls on a weekend; a centre's local closures are not working days for that centre.
- The day a clock starts (the day of acceptance) is day 0 and is not counted. ``add_working_days(d, n)``
  for n ≥ 1 is the n-th working day *after* d; so a filing accepted on a non-working day (a Saturday,
  online) counts from the next working day: Saturday + 1 = Monday.
- n = 0 (即办件, decided on the spot) is the same day, or the next working day when d is not one.
- n < 0 counts backwards: the |n|-th working day before d (how warning dates are found).
- ``working_days_between(a, b)`` is the number of working days in (a, b], so that
  ``working_days_between(d, add_working_days(d, n)) == n`` for every n ≥ 1.
- ``working_days_in(a, b)`` is the number of working days in [a, b): what a suspension from a that
  resumes on b stops.

A year without a ``CalendarYear`` row is counted Monday–Friday; a result that depends on such a year
is *provisional* (``WorkDate.provisional``), and a warning is logged once per process and year.

Speed: the calendar is loaded once per process into sorted working-day lists (one national, one per
centre with closures), so a call is a binary search and costs no SQL. Every process re-reads the
one-row ``CalendarVersion`` at most every ``HALL_CALENDAR_CHECK_SECONDS`` and reloads when it moved;
the process that changes the calendar reloads at once. The centres' warning policies (黄牌/红牌
thresholds) travel in the same snapshot under the same version: together they are the rules a clock's
dates are computed by, and a clock write then costs one version check and no other read.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

# Provisional (Monday–Friday) years computed ahead of the last known year, so that long limits
# across a year boundary stay a binary search.
AHEAD_YEARS = 3
FIRST_YEAR = 2004


class WorkDate(dt.date):
    """A date from the arithmetic, flagged provisional when an unknown year was involved."""

    provisional: bool

    def __new__(cls, *args, provisional: bool = False):
        # WorkDate(date, provisional) from the arithmetic; WorkDate(y, m, d) from date arithmetic on one.
        if len(args) == 2 and isinstance(args[0], dt.date):
            args, provisional = (args[0].year, args[0].month, args[0].day), args[1]
        elif len(args) == 1:
            args = (args[0].year, args[0].month, args[0].day)
        obj = super().__new__(cls, *args)
        obj.provisional = provisional
        return obj

    def __reduce__(self):
        return (WorkDate, (dt.date(self.year, self.month, self.day), self.provisional))


@dataclass
class Snapshot:
    """The calendar as loaded: sorted working days per centre key (None = national)."""

    version: int
    known_years: frozenset[int]
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    closures: dict[int, frozenset[dt.date]]
    first_day: dt.date
    last_day: dt.date
    provisional_from: dt.date  # first day of the first unknown year after the known range
    lists: dict[int | None, list[dt.date]] = field(default_factory=dict)
    # centre id -> (yellow, red) working days before due, for centres with a policy of their own
    policies: dict[int, tuple[int, int]] = field(default_factory=dict)

    def is_working_day(self, day: dt.date, centre_id: int | None = None) -> bool:
        if centre_id is not None and day in self.closures.get(centre_id, ()):
            return False
        if day.year in self.known_years:
            if day in self.workdays:
                return True
            return day.weekday() < 5 and day not in self.holidays
        return day.weekday() < 5

    def days_for(self, centre_id: int | None) -> list[dt.date]:
        key = centre_id if centre_id in self.closures else None
        days = self.lists.get(key)
        if days is None:
            days = self.lists[key] = [
                self.first_day + dt.timedelta(days=i)
                for i in range((self.last_day - self.first_day).days + 1)
                if self.is_working_day(self.first_day + dt.timedelta(days=i), key)
            ]
        return days

    def is_provisional(self, *days: dt.date) -> bool:
        return any(d >= self.provisional_from or d.year not in self.known_years for d in days)


def build_snapshot(version, years, entries, policies=()) -> Snapshot:
    """``years``: known years; ``entries``: (date, kind, centre_id) rows of the calendar;
    ``policies``: (centre_id, yellow, red) rows of the warning policies."""
    holidays, workdays, closures = set(), set(), {}
    for day, kind, centre_id in entries:
        if kind == "holiday":
            holidays.add(day)
        elif kind == "workday":
            workdays.add(day)
        else:
            closures.setdefault(centre_id, set()).add(day)
    known = frozenset(years)
    last_known = max(known) if known else dt.date.today().year
    first_unknown = next(y for y in range(FIRST_YEAR, 3000) if y not in known)
    return Snapshot(
        version=version,
        known_years=known,
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        closures={c: frozenset(days) for c, days in closures.items()},
        first_day=dt.date(min([FIRST_YEAR, *known]), 1, 1),
        last_day=dt.date(max(last_known, dt.date.today().year) + AHEAD_YEARS, 12, 31),
        provisional_from=dt.date(first_unknown, 1, 1),
        policies={centre: (yellow, red) for centre, yellow, red in policies},
    )


# --- the per-process cache ------------------------------------------------------------------------

_lock = threading.Lock()
_snapshot: Snapshot | None = None
_checked_at = 0.0
_warned_years: set[int] = set()


def _read_version() -> int:
    from apps.worktime.models import CalendarVersion

    # Read before every clock is started (each accept): a plain cursor costs a tenth of the ORM's
    # query building for this one-row read, which the intake benchmark measures.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {CalendarVersion._meta.db_table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def _load(version: int) -> Snapshot:
    from apps.worktime.models import CalendarDay, CalendarYear, WarningPolicy

    years = CalendarYear.objects.values_list("year", flat=True)
    entries = CalendarDay.objects.values_list("date", "kind", "centre_id")
    policies = WarningPolicy.objects.values_list("centre_id", "yellow_working_days", "red_working_days")
    return build_snapshot(version, list(years), list(entries), list(policies))


def snapshot() -> Snapshot:
    """The current calendar; at most one tiny query every HALL_CALENDAR_CHECK_SECONDS."""
    global _snapshot, _checked_at
    now = time.monotonic()
    current = _snapshot
    if current is not None and now - _checked_at < settings.HALL_CALENDAR_CHECK_SECONDS:
        return current
    with _lock:
        if _snapshot is not None and now - _checked_at < settings.HALL_CALENDAR_CHECK_SECONDS:
            return _snapshot
        version = _read_version()
        if _snapshot is None or _snapshot.version != version:
            _snapshot = _load(version)
        _checked_at = now
        return _snapshot


def refresh() -> Snapshot:
    """The calendar, with the version checked now (for writes that store a date)."""
    global _checked_at
    _checked_at = 0.0
    return snapshot()


def invalidate() -> None:
    """Forget the cached calendar (the changing process calls this; others notice the version)."""
    global _snapshot, _checked_at
    with _lock:
        _snapshot, _checked_at = None, 0.0


def _centre_id(centre) -> int | None:
    return getattr(centre, "pk", centre)


def _flag(cal: Snapshot, result: dt.date, *days: dt.date) -> WorkDate:
    provisional = cal.is_provisional(result, *days)
    if provisional:
        for year in {d.year for d in (result, *days) if d.year not in cal.known_years}:
            if year not in _warned_years:
                _warned_years.add(year)
                logger.warning("calendar for %s not entered: counting Monday–Friday (provisional)", year)
    return WorkDate(result, provisional)


# --- the arithmetic ---------------------------------------------------------------------------------


def is_working_day(day: dt.date, centre=None) -> bool:
    return snapshot().is_working_day(day, _centre_id(centre))


def add_working_days(start: dt.date, n: int, centre=None) -> WorkDate:
    """The n-th working day after ``start`` (see the module's counting rule)."""
    cal = snapshot()
    days = cal.days_for(_centre_id(centre))
    if n > 0:
        index = bisect.bisect_right(days, start) + n - 1
    elif n == 0:
        index = bisect.bisect_left(days, start)
    else:
        index = bisect.bisect_left(days, start) + n
    if not (start >= cal.first_day and 0 <= index < len(days)):
        return _flag(cal, _step(cal, start, n, _centre_id(centre)), start)
    return _flag(cal, days[index], start)


def next_working_day(day: dt.date, centre=None) -> WorkDate:
    """``day`` itself if it is a working day, else the next one."""
    return add_working_days(day, 0, centre)


def working_days_between(a: dt.date, b: dt.date, centre=None) -> int:
    """Working days in (a, b]; negative when b is before a."""
    if b < a:
        return -working_days_between(b, a, centre)
    cal = snapshot()
    days = cal.days_for(_centre_id(centre))
    if a >= cal.first_day and b <= cal.last_day:
        return bisect.bisect_right(days, b) - bisect.bisect_right(days, a)
    centre_id = _centre_id(centre)
    return sum(cal.is_working_day(a + dt.timedelta(days=i), centre_id) for i in range(1, (b - a).days + 1))


def working_days_in(a: dt.date, b: dt.date, centre=None) -> int:
    """Working days in [a, b): what a suspension from a, resumed on b, stops."""
    if b <= a:
        return 0
    return working_days_between(a - dt.timedelta(days=1), b - dt.timedelta(days=1), centre)


def _step(cal: Snapshot, start: dt.date, n: int, centre_id: int | None) -> dt.date:
    """Day-by-day fallback outside the loaded range (far past or future)."""
    day = start
    if n == 0:
        while not cal.is_working_day(day, centre_id):
            day += dt.timedelta(days=1)
        return day
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if cal.is_working_day(day, centre_id):
            remaining -= 1
    return day
