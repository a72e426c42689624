"""Working-day arithmetic and the clock recompute after a calendar edit (issue 4).

Targets: ≥ 100,000 ``add_working_days`` calls per second in one process; recomputing 100,000 open
clocks after a calendar edit ≤ 5 s on PostgreSQL.

The clocks are written with bulk_create (generation is not what is measured), started on dates in
September–December 2026 so that many of them end in 2027, a year the seeded calendar does not know:
those are stored provisional (counted Monday–Friday). The edit that matters is then entering the 2027
schedule. The service queues the recompute as a Celery job after commit; here the job is captured
instead of run, and ``recompute_clocks`` is called directly with the job's arguments so that only the
recompute is timed, in autocommit, as the worker would run it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from unittest import mock

from django.db import connection

SIZES = {
    "small": {"calls": 50_000, "clocks": 10_000},
    "full": {"calls": 200_000, "clocks": 100_000},
}
CENTRES = 4
SAMPLE = 20
D = dt.date

# A plausible 2027 schedule, invented for the benchmark (the State Council's notice for 2027 is not
# out): what moves the clocks is New Year's Day and the Spring Festival, both early in the year.
HOLIDAYS_2027 = [
    ("元旦", D(2027, 1, 1), D(2027, 1, 3)),
    ("春节", D(2027, 2, 6), D(2027, 2, 13)),
    ("清明节", D(2027, 4, 3), D(2027, 4, 5)),
    ("劳动节", D(2027, 5, 1), D(2027, 5, 5)),
    ("端午节", D(2027, 6, 9), D(2027, 6, 11)),
    ("中秋节", D(2027, 9, 15), D(2027, 9, 17)),
    ("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
]
MAKE_UP_2027 = [("春节调休上班", D(2027, 2, 20))]


def _per_second(fn, cases) -> float:
    """Calls per second of ``fn(*case)`` over ``cases``, after one warm-up call (loads the calendar)."""
    fn(*cases[0])
    start = time.perf_counter()
    for case in cases:
        fn(*case)
    return len(cases) / (time.perf_counter() - start)


def measure_arithmetic(calls: int, centre_ids: list[int]) -> dict[str, float]:
    from apps.worktime import calendar

    rng = random.Random(4)
    first = D(2025, 1, 1)
    span = (D(2026, 12, 31) - first).days
    starts = [first + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(calls)]
    adds = [(start, rng.randint(0, 60), rng.choice(centre_ids)) for start in starts]
    betweens = [
        (start, start + dt.timedelta(days=rng.randint(0, 90)), rng.choice(centre_ids)) for start in starts
    ]
    return {
        "worktime_add_working_days_per_second": _per_second(calendar.add_working_days, adds),
        "worktime_working_days_between_per_second": _per_second(calendar.working_days_between, betweens),
    }


def generate_clocks(n: int, centre_ids: list[int], policies: dict) -> None:
    """Open clocks with their correct stored dates, computed once per (centre, start, counted days)."""
    from apps.worktime import calendar
    from apps.worktime.models import Clock
    from apps.worktime.services import compute_dates

    rng = random.Random(42)
    days = [D(2026, 9, 1) + dt.timedelta(days=i) for i in range((D(2026, 12, 31) - D(2026, 9, 1)).days + 1)]
    working = [d for d in days if calendar.is_working_day(d)]
    cache = {}
    rows = []
    for i in range(n):
        centre_id = centre_ids[i % len(centre_ids)]
        # Most cases start on a working day; online filings also start on weekends and holidays.
        started_on = rng.choice(days) if rng.random() < 0.1 else rng.choice(working)
        limit = rng.randint(1, 60)
        # A few clocks were extended or suspended, so the recompute must count all three parts.
        extension = rng.randint(1, 10) if rng.random() < 0.05 else 0
        suspended = rng.randint(1, 10) if rng.random() < 0.05 else 0
        key = (centre_id, started_on, limit + extension + suspended)
        dates = cache.get(key)
        if dates is None:
            dates = cache[key] = compute_dates(*key, policies[centre_id])
        rows.append(
            Clock(
                centre_id=centre_id,
                started_on=started_on,
                limit_days=limit,
                extension_days=extension,
                suspended_days=suspended,
                due_on=dates.due_on,
                yellow_on=dates.yellow_on,
                red_on=dates.red_on,
                provisional=dates.provisional,
            )
        )
    Clock.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        # Autovacuum would have analysed a table this size long before a calendar edit.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Clock._meta.db_table}")


def check_sample(queryset, policies: dict, rng: random.Random) -> None:
    """Raise unless SAMPLE clocks drawn from ``queryset`` hold the dates computed afresh."""
    from apps.worktime.models import Clock
    from apps.worktime.services import compute_dates

    ids = list(queryset.values_list("pk", flat=True))
    for clock in Clock.objects.filter(pk__in=rng.sample(ids, min(SAMPLE, len(ids)))):
        want = compute_dates(clock.centre_id, clock.started_on, clock.counted_days, policies[clock.centre_id])
        stored = (clock.due_on, clock.yellow_on, clock.red_on, clock.provisional)
        if stored != (want.due_on, want.yellow_on, want.red_on, want.provisional):
            raise AssertionError(f"clock {clock.pk} ({clock}) holds {stored}, expected {want}")


def timed_recompute(queued: mock.Mock) -> tuple[float, int]:
    """Run the recompute the edit queued (its exact arguments), timed; (seconds, clocks changed)."""
    from apps.worktime.services import recompute_clocks

    first, last, centre_id = queued.call_args.args[0]
    start = time.perf_counter()
    changed = recompute_clocks(
        date_from=D.fromisoformat(first), date_to=D.fromisoformat(last), centre_id=centre_id
    )
    return time.perf_counter() - start, changed


def run(scale: str) -> dict[str, float]:
    from apps.worktime import calendar
    from hall.celery import app

    # No broker is guaranteed under `make bench`, and a job left in the embedded filesystem queue
    # would later run against the real database: anything queued runs inline instead.
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    # The per-process calendar cache may hold another database's calendar.
    calendar.invalidate()
    try:
        return _run(SIZES[scale])
    finally:
        app.conf.task_always_eager = eager
        calendar.invalidate()


def _run(sizes: dict[str, int]) -> dict[str, float]:
    from apps.accounts.models import ServiceCentre
    from apps.worktime import calendar, tasks
    from apps.worktime.models import Clock, WarningPolicy
    from apps.worktime.services import (
        HolidayRange,
        MakeUpDay,
        add_closure,
        enter_year,
        recompute_clocks,
        thresholds,
    )

    centres = ServiceCentre.objects.bulk_create(
        ServiceCentre(name=f"工作日基准中心{c}", level="3", region_code="350100") for c in range(CENTRES)
    )
    # Different warning policies, so that yellow and red dates differ between centres.
    WarningPolicy.objects.create(centre=centres[1], yellow_working_days=3, red_working_days=1)
    WarningPolicy.objects.create(centre=centres[2], yellow_working_days=5, red_working_days=2)
    centre_ids = [c.pk for c in centres]
    policies = {c: thresholds(c) for c in centre_ids}

    metrics: dict[str, float] = measure_arithmetic(sizes["calls"], centre_ids)

    generate_clocks(sizes["clocks"], centre_ids, policies)
    open_clocks = Clock.objects.filter(stopped_on__isnull=True)
    in_2027 = open_clocks.filter(due_on__year=2027)
    if in_2027.filter(provisional=False).exists() or not in_2027.exists():
        raise AssertionError("clocks ending in 2027 should exist and be provisional before it is entered")
    metrics["worktime_recompute_clocks"] = open_clocks.count()
    metrics["worktime_recompute_affected"] = open_clocks.filter(provisional=True).count()

    # Entering 2027. The job the service queues after commit is captured, not run: its recompute is
    # the one timed below (with eager tasks it would otherwise run inside enter_year, untimed).
    with mock.patch.object(tasks.recompute_after_calendar_change, "apply_async") as queued:
        enter_year(
            year=2027,
            holidays=[HolidayRange(name, first, last) for name, first, last in HOLIDAYS_2027],
            workdays=[MakeUpDay(name, day) for name, day in MAKE_UP_2027],
            notice="bench",
        )
    queued.assert_called_once()
    assert queued.call_args.args[0] == ("2027-01-01", "2027-12-31", None)
    seconds, changed = timed_recompute(queued)
    if changed <= 0:
        raise AssertionError("entering 2027 changed no clock: New Year's Day alone should move many")
    if open_clocks.filter(provisional=True).exists():
        raise AssertionError("clocks are still provisional after 2027 was entered")
    # Known answer: the first working day after 2026-12-31 is Monday 2027-01-04 (元旦 1–3 January).
    first_2027 = calendar.add_working_days(D(2026, 12, 31), 1)
    if first_2027 != D(2027, 1, 4) or first_2027.provisional:
        raise AssertionError(f"2026-12-31 + 1 working day is {first_2027!r}")
    rng = random.Random(7)
    check_sample(in_2027, policies, rng)
    metrics["worktime_recompute_seconds"] = seconds
    metrics["worktime_recompute_changed"] = changed

    # The queued job itself, run now through Celery (eagerly): the calendar is already applied, so it
    # must find nothing left to change. Timed as the cost of a recompute that writes nothing.
    start = time.perf_counter()
    again = tasks.recompute_after_calendar_change.apply(args=queued.call_args.args[0]).get()
    metrics["worktime_recompute_noop_seconds"] = time.perf_counter() - start
    if again != 0:
        raise AssertionError(f"a second recompute changed {again} clocks: the first left them wrong")

    # A local closure: one centre closed for two working days in late December while it moves.
    closed = centres[0]
    with mock.patch.object(tasks.recompute_after_calendar_change, "apply_async") as queued:
        add_closure(centre=closed, first=D(2026, 12, 28), last=D(2026, 12, 29), name="搬迁闭厅")
    queued.assert_called_once()
    assert queued.call_args.args[0] == ("2026-12-28", "2026-12-29", closed.pk)
    seconds, changed = timed_recompute(queued)
    if changed <= 0:
        raise AssertionError("the closure changed no clock of its centre")
    check_sample(
        open_clocks.filter(centre=closed, started_on__lte=D(2026, 12, 29), due_on__gte=D(2026, 12, 28)),
        policies,
        rng,
    )
    metrics["worktime_recompute_closure_seconds"] = seconds
    metrics["worktime_recompute_closure_changed"] = changed

    # The target names 100,000 clocks, but entering 2027 touches only those ending in 2027. The worst
    # case is the same edit in late December, when every open clock crosses into the new year: marking
    # all of them provisional (untimed) stands for that, so every clock is recomputed and rewritten.
    open_clocks.update(provisional=True)
    start = time.perf_counter()
    changed = recompute_clocks(date_from=D(2027, 1, 1), date_to=D(2027, 12, 31))
    metrics["worktime_recompute_all_seconds"] = time.perf_counter() - start
    if changed != metrics["worktime_recompute_clocks"]:
        raise AssertionError(f"recomputing every clock changed {changed}, not all of them")
    check_sample(open_clocks, policies, rng)
    return metrics
