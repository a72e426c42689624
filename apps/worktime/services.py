"""Calendar and clock use cases. Each runs in one transaction; clocks are locked while they change.

The calendar's services authorise (docs/security.md, "Where each service checks"): given a person as
``actor``, they refuse (``PermissionDenied``) one who may not make the change — a national year needs
the permission to enter years (any catalogue admin: the years are the State Council's); a centre's
closures and warning policy need a catalogue admin *of that centre*. ``actor=None`` is the hall itself
(an operator's command, a seed): nobody to refuse. The clock's services (start, suspend, resume,
extend, stop) are steps of the back office's services, which decide who may act before calling them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from apps.accounts.permissions import Perm
from apps.accounts.roles import Role
from apps.accounts.selectors import holds_role
from apps.worktime import calendar
from apps.worktime.codes import DayKind, DaySource, SuspensionKind
from apps.worktime.models import (
    CalendarDay,
    CalendarVersion,
    CalendarYear,
    Clock,
    Extension,
    Suspension,
    WarningPolicy,
)

# --- computing a clock's dates ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClockDates:
    due_on: dt.date
    yellow_on: dt.date
    red_on: dt.date
    provisional: bool


def thresholds(centre_id: int) -> tuple[int, int]:
    """(yellow, red) working days before due: the centre's policy, else the hall's defaults. Read from
    the calendar snapshot, which carries the policies under the calendar's version."""
    policy = calendar.snapshot().policies.get(centre_id)
    return policy or (settings.HALL_WARNING_YELLOW_DAYS, settings.HALL_WARNING_RED_DAYS)


def compute_dates(
    centre_id: int, started_on: dt.date, counted_days: int, policy: tuple[int, int]
) -> ClockDates:
    """Due date and warning dates of a clock; ``policy`` is (yellow, red) working days before due."""
    due = calendar.add_working_days(started_on, counted_days, centre_id)
    yellow_days, red_days = policy
    yellow = calendar.add_working_days(due, -yellow_days, centre_id) if yellow_days else due
    red = calendar.add_working_days(due, -red_days, centre_id) if red_days else due
    # A warning never falls before the clock started (a 1-day limit is yellow from the start).
    yellow, red = max(yellow, started_on), max(red, started_on)
    return ClockDates(due, yellow, red, due.provisional)


def _apply_dates(clock: Clock, *, checked: bool = False) -> Clock:
    # A clock write re-reads the calendar version (one tiny query) rather than trusting this
    # process's cache for up to HALL_CALENDAR_CHECK_SECONDS: a date stored now must be right.
    if not checked:
        calendar.refresh()
    dates = compute_dates(clock.centre_id, clock.started_on, clock.counted_days, thresholds(clock.centre_id))
    clock.due_on, clock.yellow_on, clock.red_on, clock.provisional = (
        dates.due_on,
        dates.yellow_on,
        dates.red_on,
        dates.provisional,
    )
    return clock


# --- clocks -------------------------------------------------------------------------------------------


def start_clocks(*, centre, started_on: dt.date, limits: list[int]) -> list[Clock]:
    """New clocks of one centre started the same day, one per limit (the cases of one filing): one
    version check and one INSERT for all of them. The caller's transaction owns them."""
    if any(limit is None or limit < 0 for limit in limits):
        raise ValidationError({"limit_days": _("A time limit is zero or more working days.")})
    centre_id = getattr(centre, "pk", centre)
    calendar.refresh()  # once for all: _apply_dates then finds the version checked just now
    clocks = [
        _apply_dates(Clock(centre_id=centre_id, started_on=started_on, limit_days=limit), checked=True)
        for limit in limits
    ]
    return Clock.objects.bulk_create(clocks)


def _locked(clock_id: int) -> Clock:
    return Clock.objects.select_for_update().get(pk=clock_id)


@transaction.atomic
def suspend(
    *,
    clock_id: int,
    kind: str,
    started_on: dt.date,
    reason: str,
    actor=None,
    procedure: str = "",
    planned_end_on: dt.date | None = None,
) -> Suspension:
    """Stop the clock from ``started_on`` (a correction request or a special procedure)."""
    clock = _locked(clock_id)
    if clock.stopped_on is not None:
        raise ValidationError(_("The clock has stopped: the case is finished."))
    if clock.suspended_since is not None:
        raise ValidationError(
            {
                "started_on": _("The clock is already suspended since %(date)s.")
                % {"date": clock.suspended_since}
            }
        )
    if started_on < clock.started_on:
        raise ValidationError({"started_on": _("A suspension cannot start before the clock did.")})
    last_end = (
        clock.suspensions.filter(ended_on__isnull=False)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
        .first()
    )
    if last_end is not None and started_on < last_end:
        raise ValidationError(
            {
                "started_on": _("This suspension would overlap the one that ended on %(date)s.")
                % {"date": last_end}
            }
        )
    if planned_end_on is not None and planned_end_on < started_on:
        raise ValidationError({"planned_end_on": _("A suspension cannot end before it starts.")})
    if kind == SuspensionKind.SPECIAL_PROCEDURE and not procedure:
        raise ValidationError({"procedure": _("Name the special procedure.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")})
    suspension = Suspension.objects.create(
        clock=clock,
        kind=kind,
        procedure=procedure,
        started_on=started_on,
        planned_end_on=planned_end_on,
        reason=reason,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    clock.suspended_since = started_on
    clock.save(update_fields=["suspended_since"])
    return suspension


@transaction.atomic
def resume(*, clock_id: int, ended_on: dt.date, actor=None) -> Suspension:
    """Run the clock again from ``ended_on``: the working days in [start, ended_on) move the due date."""
    clock = _locked(clock_id)
    suspension = clock.suspensions.filter(ended_on__isnull=True).first()
    if suspension is None:
        raise ValidationError(_("The clock is not suspended."))
    if ended_on < suspension.started_on:
        raise ValidationError(
            {
                "ended_on": _("A suspension cannot end before it starts (%(date)s).")
                % {"date": suspension.started_on}
            }
        )
    suspension.working_days = calendar.working_days_in(suspension.started_on, ended_on, clock.centre_id)
    suspension.ended_on = ended_on
    suspension.ended_by = actor if getattr(actor, "is_authenticated", False) else None
    suspension.save()
    clock.suspended_days += suspension.working_days
    clock.suspended_since = None
    _apply_dates(clock).save()
    return suspension


@transaction.atomic
def extend(*, clock_id: int, days: int, reason: str, approved_by, allowance: int) -> Extension:
    """延长审批: add working days, within ``allowance`` (the item's) over all extensions."""
    clock = _locked(clock_id)
    if days is None or days < 1:
        raise ValidationError({"days": _("An extension adds at least one working day.")})
    if clock.extension_days + days > allowance:
        raise ValidationError(
            {
                "days": _(
                    "The item allows extensions of %(allowance)s working days in all; "
                    "%(used)s are used already."
                )
                % {"allowance": allowance, "used": clock.extension_days}
            }
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    extension = Extension.objects.create(clock=clock, days=days, reason=reason, approved_by=approved_by)
    clock.extension_days += days
    _apply_dates(clock).save()
    return extension


def stop_clock(*, clock: Clock, on: dt.date) -> Clock:
    clock.stopped_on = on
    clock.used_days = max(
        0, calendar.working_days_between(clock.started_on, on, clock.centre_id) - clock.suspended_days
    )
    clock.save(update_fields=["stopped_on", "used_days"])
    return clock


# --- recomputing after a calendar change -------------------------------------------------------------


def recompute_clocks(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None, centre_id=None
) -> int:
    """Recompute the stored dates of the open clocks a calendar change can affect, set-based.

    Affected: open clocks started on or before ``date_to`` whose due date is on or after
    ``date_from`` (a change after the due date cannot move it), and every provisional clock.
    The dates depend only on (centre, start, counted days), so they are computed once per distinct
    combination and written with one UPDATE ... FROM (VALUES ...) per batch of combinations; no
    clock row passes through Python. Returns how many clocks changed.
    """
    calendar.invalidate()
    open_clocks = Clock.objects.filter(stopped_on__isnull=True)
    if centre_id is not None:
        open_clocks = open_clocks.filter(centre_id=centre_id)
    window = Q()
    if date_to is not None:
        window &= Q(started_on__lte=date_to)
    if date_from is not None:
        window &= Q(due_on__gte=date_from)
    # No window (a warning-policy change): every open clock of the scope. Note that Q() | Q(x) is
    # just Q(x), so the empty window must not be OR-ed with the provisional ones.
    affected = open_clocks.filter(window | Q(provisional=True)) if window else open_clocks
    combos = (
        affected.annotate(total=F("limit_days") + F("extension_days") + F("suspended_days"))
        .values_list("centre_id", "started_on", "total")
        .distinct()
        .order_by()
    )
    policies = {}
    rows = []
    for centre, started_on, total in combos.iterator(chunk_size=5000):
        if centre not in policies:
            policies[centre] = thresholds(centre)
        dates = compute_dates(centre, started_on, total, policies[centre])
        rows.append(
            (centre, started_on, total, dates.due_on, dates.yellow_on, dates.red_on, dates.provisional)
        )
    changed = 0
    for start in range(0, len(rows), 2000):
        changed += _write_dates(rows[start : start + 2000], date_from, date_to, centre_id)
    return changed


def _write_dates(rows, date_from, date_to, centre_id) -> int:
    table = Clock._meta.db_table
    postgres = connection.vendor == "postgresql"
    cast = "::date" if postgres else ""
    values = ", ".join(f"(%s, %s{cast}, %s, %s{cast}, %s{cast}, %s{cast}, %s)" for _row in rows)
    params = [value.isoformat() if isinstance(value, dt.date) else value for row in rows for value in row]
    conditions = [
        "c.stopped_on IS NULL",
        "c.centre_id = v.centre_id",
        "c.started_on = v.started_on",
        "c.limit_days + c.extension_days + c.suspended_days = v.total",
    ]
    window = []
    if date_to is not None:
        window.append("c.started_on <= %s")
        params.append(date_to.isoformat())
    if date_from is not None:
        window.append("c.due_on >= %s")
        params.append(date_from.isoformat())
    if window:
        conditions.append(f"(({' AND '.join(window)}) OR c.provisional)")
    if centre_id is not None:
        conditions.append("c.centre_id = %s")
        params.append(centre_id)
    differs = "IS DISTINCT FROM" if postgres else "IS NOT"
    changed = " OR ".join(
        f"c.{col} {differs} v.{col}" for col in ("due_on", "yellow_on", "red_on", "provisional")
    )
    conditions.append(f"({changed})")
    # Only the table name and placeholders are formatted in; every value is a parameter.
    sql = (
        f"UPDATE {table} AS c SET due_on = v.due_on, yellow_on = v.yellow_on, red_on = v.red_on, "  # noqa: S608
        # VALUES columns are column1..column7 on both PostgreSQL and SQLite (which has no column aliases).
        "provisional = v.provisional FROM (SELECT column1 AS centre_id, column2 AS started_on, "
        "column3 AS total, column4 AS due_on, column5 AS yellow_on, column6 AS red_on, "
        "column7 AS provisional "
        f"FROM (VALUES {values}) AS vals) AS v "
        f"WHERE {' AND '.join(conditions)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# --- editing the calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayRange:
    name: str
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class MakeUpDay:
    name: str
    date: dt.date


def _changed(first: dt.date | None, last: dt.date | None, centre_id=None) -> None:
    """Bump the calendar version and recompute the clocks after commit (a Celery job, logged).
    No dates: every open clock of the centre (a warning-policy change)."""
    if not CalendarVersion.objects.filter(pk=1).update(value=F("value") + 1):
        CalendarVersion.objects.create(pk=1, value=1)
    calendar.invalidate()
    from apps.worktime.tasks import recompute_after_calendar_change

    # Run after the other processes' caches have noticed the change (plus a margin): a clock they
    # write meanwhile re-reads the version itself (_apply_dates), and the job then settles the rest.
    window = (first.isoformat(), last.isoformat()) if first and last else (None, None)
    transaction.on_commit(
        lambda: recompute_after_calendar_change.apply_async(
            (*window, centre_id), countdown=settings.HALL_CALENDAR_CHECK_SECONDS + 5
        )
    )


def _require_calendar_keeper(actor, perm: Perm, centre_ids) -> None:
    """A person changing the calendar holds ``perm``, and for a centre's days or policy is a catalogue
    admin of each of ``centre_ids`` (a superuser keeps every centre's)."""
    if actor is None:
        return
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(perm)):
        raise PermissionDenied(_("You may not change the working-day calendar."))
    if actor.is_superuser:
        return
    for centre_id in centre_ids:
        if centre_id is None or not holds_role(actor, Role.CATALOGUE_ADMIN, centre_id=centre_id):
            raise PermissionDenied(
                _("Only a catalogue admin of the service centre may change its closures and warning policy.")
            )


@transaction.atomic
def enter_year(
    *, year: int, holidays: list[HolidayRange], workdays: list[MakeUpDay], notice: str = "", actor=None
) -> CalendarYear:
    """Enter a year's statutory schedule from the State Council's notice (all or nothing)."""
    _require_calendar_keeper(actor, Perm.ADD_CALENDARYEAR, centre_ids=())
    errors = []
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The calendar for %(year)s is entered already.") % {"year": year}})
    days: dict[dt.date, tuple[str, str]] = {}
    for holiday in holidays:
        if holiday.last < holiday.first:
            errors.append(_("%(name)s ends before it starts.") % {"name": holiday.name})
            continue
        day = holiday.first
        while day <= holiday.last:
            if day.year != year:
                errors.append(
                    _("%(date)s (%(name)s) is not in %(year)s.")
                    % {"date": day, "name": holiday.name, "year": year}
                )
            elif day in days:
                errors.append(_("%(date)s is listed twice.") % {"date": day})
            days[day] = (DayKind.HOLIDAY, holiday.name)
            day += dt.timedelta(days=1)
    for workday in workdays:
        if workday.date.year != year:
            errors.append(
                _("%(date)s (%(name)s) is not in %(year)s.")
                % {"date": workday.date, "name": workday.name, "year": year}
            )
        if workday.date.weekday() < 5:
            errors.append(
                _("%(date)s is a weekday: a make-up working day is a Saturday or Sunday.")
                % {"date": workday.date}
            )
        if workday.date in days:
            errors.append(_("%(date)s is both a holiday and a make-up working day.") % {"date": workday.date})
        days[workday.date] = (DayKind.WORKDAY, workday.name)
    if not holidays:
        errors.append(_("A year's notice lists its holidays."))
    if errors:
        raise ValidationError(errors)
    entry = CalendarYear.objects.create(year=year, notice=notice, entered_by=actor)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind=kind, name=name, source=DaySource.STATUTORY)
        for day, (kind, name) in days.items()
    )
    _changed(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return entry


@transaction.atomic
def add_closure(
    *, centre, first: dt.date, last: dt.date, name: str, note: str = "", actor=None
) -> list[CalendarDay]:
    """A centre closed on these dates (e.g. moving premises): not working days for its clocks."""
    _require_calendar_keeper(actor, Perm.ADD_CALENDARDAY, centre_ids=[getattr(centre, "pk", centre)])
    if last < first:
        raise ValidationError({"last": _("The closure ends before it starts.")})
    dates = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    taken = list(CalendarDay.objects.filter(centre=centre, date__in=dates).values_list("date", flat=True))
    if taken:
        raise ValidationError(
            {
                "first": _("The centre is already closed on %(dates)s.")
                % {"dates": "、".join(str(d) for d in taken)}
            }
        )
    closures = CalendarDay.objects.bulk_create(
        CalendarDay(date=d, kind=DayKind.CLOSURE, name=name, source=DaySource.LOCAL, centre=centre, note=note)
        for d in dates
    )
    _changed(first, last, getattr(centre, "pk", centre))
    return closures


@transaction.atomic
def remove_days(*, days: list[CalendarDay], actor=None) -> None:
    """Remove days of the calendar: a person removes closures of the centres they keep; statutory days
    come and go with their year (only the hall itself removes them)."""
    if not days:
        return
    if actor is not None and any(d.source != DaySource.LOCAL for d in days):
        raise PermissionDenied(_("Statutory days are not removed one by one."))
    _require_calendar_keeper(actor, Perm.DELETE_CALENDARDAY, centre_ids={d.centre_id for d in days})
    first, last = min(d.date for d in days), max(d.date for d in days)
    centres = {d.centre_id for d in days}
    CalendarDay.objects.filter(pk__in=[d.pk for d in days]).delete()
    _changed(first, last, centres.pop() if len(centres) == 1 else None)


@transaction.atomic
def set_warning_policy(
    *, centre, yellow_working_days: int, red_working_days: int, actor=None
) -> WarningPolicy:
    _require_calendar_keeper(actor, Perm.CHANGE_WARNINGPOLICY, centre_ids=[getattr(centre, "pk", centre)])
    if red_working_days > yellow_working_days:
        raise ValidationError({"red_working_days": _("The red warning comes on or after the yellow one.")})
    policy, _created = WarningPolicy.objects.update_or_create(
        centre=centre,
        defaults={"yellow_working_days": yellow_working_days, "red_working_days": red_working_days},
    )
    # The policies travel with the calendar's snapshot: a new version makes every process re-read them.
    _changed(None, None, getattr(centre, "pk", centre))
    return policy
