"""Calling at the window (issue 18, 叫号): ``apps.visits.calling.call_next``, what each clerk's "call
next" runs.

Target: p95 ≤ 30 ms with 100 windows and 5,000 tickets a day.

One centre as a city hall is: 100 comprehensive windows in 5 service areas (20 windows each; every
fifth window serves a second area too), a clerk at each, today's 5,000 tickets (3,000 small) of which
the first 40 % are served and done and one in twenty waiting ones has a priority, and the same day's
load over the previous days (20 days; 3 small), so that the queue's read must keep to today's waiting
tickets (its index: ``ticket_waiting_queue``).

Measured as the hall lives it: window after window (round robin) calls the next ticket through the
service (its transaction: the window's lock, the clerk's check, the queue read ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL, the transition with its audit log entry, the call for the display), then the
clerk finishes it (not measured). Figures: the call's median and p95 through the service
(``visits_call_next_*_ms``) and through the API with a logged-in clerk
(``visits_call_next_api_*_ms``: the whole request stack), the queries a call asks, and its CPU.

Runs on SQLite and PostgreSQL (the issue's figure is PostgreSQL's: ``DATABASE_URL``).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from benchmarks.hall_world import AREAS, WINDOWS, analyse, make_hall, plant_day, plant_days
from benchmarks.harness import CpuMeter, percentile

SIZES = {
    "small": {"tickets": 3_000, "history_days": 3, "calls": 300, "api_calls": 100},
    "full": {"tickets": 5_000, "history_days": 20, "calls": 1_000, "api_calls": 300},
}
SERVED = 0.4


def _setup():
    from apps.accounts.models import StaffMembership, User
    from apps.accounts.roles import Role
    from apps.accounts.services import assign_role

    world = make_hall(
        name="叫号基准大厅",
        window_prefix="C",
        category_code="bench_calling_area_",
        category_name="叫号基准服务区",
    )
    centre, windows, areas = world["centre"], world["windows"], world["areas"]
    for n, window in enumerate(windows[::5]):  # every fifth window serves the next area too
        areas[(n + 1) % AREAS].windows.add(window)
    clerks = []
    for n, window in enumerate(windows):
        clerk = User.objects.create(username=f"bench-calling-clerk-{n}", full_name=f"叫号员{n}", password="!")
        if n == 0:
            # The role's group (the desk's permission) made once; the others join it.
            assign_role(user=clerk, role=Role.CLERK, centre=centre, window=window)
            group = clerk.groups.get()
        else:
            StaffMembership.objects.create(user=clerk, role=Role.CLERK, centre=centre, window=window)
            clerk.groups.add(group)
        clerks.append(clerk)
    return {**world, "clerks": clerks}


def _day(world: dict, day: dt.date, tickets: int, *, handled: float) -> None:
    """A day of ``tickets`` tickets over the open hours; the first ``handled`` share done, one in twenty
    of the others a priority."""
    plant_day(world, day, tickets, handled=handled, priority_every=20, finished=True)


def _finish(ticket) -> None:
    """The clerk serves and finishes the called ticket (not measured: the window is free again)."""
    from apps.visits.models import Ticket, TicketState

    now = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.DONE, started_at=now, finished_at=now)


def run(scale: str) -> dict[str, float]:
    from apps.visits import calling
    from apps.visits.models import Ticket

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    sizes = SIZES[scale]
    world = _setup()
    today = timezone.localdate()
    fill_seconds = plant_days(
        world, _day, tickets=sizes["tickets"], history_days=sizes["history_days"], handled_today=SERVED
    )
    analyse("visits_ticket", "accounts_staffmembership")
    windows, clerks = world["windows"], world["clerks"]

    samples = []
    meter = CpuMeter(connection).start()
    for n in range(sizes["calls"]):
        index = n % WINDOWS
        begin = time.perf_counter()
        ticket = calling.call_next(window_id=windows[index].pk, actor=clerks[index])
        samples.append((time.perf_counter() - begin) * 1000)
        assert ticket is not None, "the queue ran dry: plant more tickets"
        _finish(ticket)
    python_cpu, database_cpu = meter.stop()
    # Counted as they run (not from the connection's query log, which a long run may have filled).
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        ticket = calling.call_next(window_id=windows[0].pk, actor=clerks[0])
    _finish(ticket)

    browsers = {}
    api_samples = []
    for n in range(sizes["api_calls"]):
        index = n % 10
        if index not in browsers:
            browsers[index] = Client()
            browsers[index].force_login(clerks[index])
        begin = time.perf_counter()
        response = browsers[index].post(f"/api/v1/windows/{windows[index].pk}/call-next/")
        api_samples.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, response.status_code
        _finish(Ticket.objects.get(pk=response.json()["id"]))

    metrics = {
        "visits_call_next_windows": WINDOWS,
        "visits_call_next_tickets_today": Ticket.objects.filter(day=today).count(),
        "visits_call_next_tickets_total": Ticket.objects.count(),
        "visits_call_next_fill_seconds": fill_seconds,
        "visits_call_next_median_ms": statistics.median(samples),
        "visits_call_next_p95_ms": percentile(samples, 95),
        "visits_call_next_api_median_ms": statistics.median(api_samples),
        "visits_call_next_api_p95_ms": percentile(api_samples, 95),
        "visits_call_next_queries": len(statements),
        "visits_call_next_cpu_ms": python_cpu * 1000 / len(samples),
    }
    if database_cpu is not None:
        metrics["visits_call_next_database_cpu_ms"] = database_cpu * 1000 / len(samples)
    return metrics


if __name__ == "__main__":  # python -m benchmarks.bench_calling [small|full]: this benchmark alone
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")
    os.environ.setdefault("DEBUG", "0")
    django.setup()
    from benchmarks.harness import benchmark_database, describe_database, print_table

    chosen = sys.argv[1] if len(sys.argv) > 1 else "small"
    with benchmark_database() as db:
        print_table(run(chosen), scale=chosen, database=describe_database(db))
