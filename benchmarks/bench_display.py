"""The hall display's update path (issue 18, 大屏): ``GET /display/feed/?after=<last call id>``, the poll
every paired display makes each second.

Target: p95 ≤ 50 ms with 50 displays polling, in a hall of 100 windows taking 5,000 tickets a day.

One centre as a city hall is: 100 comprehensive windows in 5 service areas (20 windows each), 50
paired displays, today's 5,000 tickets (3,000 small) of which the first 60 % have been called (a call
each, one in ten recalled), and the same day's load over the previous days (20 days; 3 small), so
that the feed's reads must keep to today (its indexes: ``call_centre_latest``, ``ticket_centre_day``).

Measured through the whole request stack (Django's test client: middleware, the device key from the
cookie, the JSON), in rounds as the hall lives them: a clerk calls the next ticket (a new call), then
each of the 50 displays polls once with the last call id it had. Figures: each poll's median and p95
(``visits_display_feed_*_ms``), the time one worker takes to serve a whole round of 50 polls
(``visits_display_round_p95_ms``: under 1,000 ms, one worker keeps 50 displays at one poll a second),
the queries a poll reads (the first display after a call; the others, sharing the centre's counts
through the cache), and the CPU a poll costs (this process's, and the PostgreSQL server
process's when it is on this machine).

Runs on SQLite and PostgreSQL (the issue's figure is PostgreSQL's: ``DATABASE_URL``).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarks.hall_world import WINDOWS, analyse, make_hall, plant_day, plant_days, window_for
from benchmarks.harness import CpuMeter, percentile

SIZES = {
    "small": {"tickets": 3_000, "history_days": 3, "rounds": 20},
    "full": {"tickets": 5_000, "history_days": 20, "rounds": 60},
}
DISPLAYS = 50
CALLED = 0.6


def _setup():
    from apps.accounts.models import User
    from apps.visits.models.codes import DeviceKind
    from tests.factories.visits import make_device

    world = make_hall(
        name="基准大厅", window_prefix="W", category_code="bench_area_", category_name="基准服务区"
    )
    clerk = User.objects.create(username="bench-display-clerk", full_name="基准叫号员", password="!")
    keys = [make_device(world["centre"], DeviceKind.DISPLAY, name=f"大屏{n:02d}")[1] for n in range(DISPLAYS)]
    return {**world, "clerk": clerk, "keys": keys}


def _day(world: dict, day: dt.date, tickets: int, *, handled: float) -> None:
    """A day of ``tickets`` tickets spread over the open hours, the first ``handled`` share called."""
    from apps.visits.models import TicketCall
    from apps.visits.models.codes import CallKind

    n_called = int(tickets * handled)
    made = plant_day(world, day, tickets, handled=handled)
    calls = []
    for ticket in made[:n_called]:
        calls.append(
            TicketCall(
                centre=world["centre"],
                ticket=ticket,
                window=ticket.window,
                kind=CallKind.CALL,
                at=ticket.called_at,
                by=world["clerk"],
            )
        )
        if ticket.sequence % 10 == 0:
            calls.append(
                TicketCall(
                    centre=world["centre"],
                    ticket=ticket,
                    window=ticket.window,
                    kind=CallKind.RECALL,
                    at=ticket.called_at + dt.timedelta(minutes=1),
                    by=world["clerk"],
                )
            )
    calls.sort(key=lambda call: call.at)
    TicketCall.objects.bulk_create(calls, batch_size=2_000)


def _call_next(world: dict, now: dt.datetime) -> int:
    """What a clerk's "call next" leaves for the display: the longest-waiting ticket called, a call."""
    from apps.visits.models import Ticket, TicketCall
    from apps.visits.models.codes import CallKind, TicketState

    ticket = Ticket.objects.filter(
        centre=world["centre"], day=timezone.localdate(now), state=TicketState.WAITING
    )
    ticket = ticket.order_by("waiting_since").first()
    window = window_for(world["windows"], ticket.area.order, ticket.sequence)
    Ticket.objects.filter(pk=ticket.pk).update(
        state=TicketState.CALLED, window=window, first_called_at=now, called_at=now, call_count=1
    )
    return TicketCall.objects.create(
        centre=world["centre"], ticket=ticket, window=window, kind=CallKind.CALL, at=now, by=world["clerk"]
    ).pk


def run(scale: str) -> dict[str, float]:
    from apps.visits.devices import DEVICE_COOKIE
    from apps.visits.models import Ticket, TicketCall

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    sizes = SIZES[scale]
    world = _setup()
    today = timezone.localdate()
    fill_seconds = plant_days(
        world, _day, tickets=sizes["tickets"], history_days=sizes["history_days"], handled_today=CALLED
    )
    analyse("visits_ticket", "visits_ticketcall")

    displays = []
    for key in world["keys"]:
        client = Client()
        client.cookies[DEVICE_COOKIE] = key
        displays.append(client)
    last = {n: 0 for n in range(DISPLAYS)}

    def poll(n: int) -> None:
        response = displays[n].get("/display/feed/", {"after": last[n]})
        assert response.status_code == 200, response.status_code
        last[n] = response.json()["last_id"]

    for n in range(DISPLAYS):  # each display comes on (and writes its last_seen_at once)
        poll(n)

    samples, rounds = [], []
    meter = CpuMeter(connection).start()
    for _ in range(sizes["rounds"]):
        _call_next(world, timezone.now())
        round_start = time.perf_counter()
        for n in range(DISPLAYS):
            begin = time.perf_counter()
            poll(n)
            samples.append((time.perf_counter() - begin) * 1000)
        rounds.append((time.perf_counter() - round_start) * 1000)
    python_cpu, database_cpu = meter.stop()
    with CaptureQueriesContext(connection) as shared:  # the centre's count read by another display
        poll(0)
    cache.clear()
    with CaptureQueriesContext(connection) as first:  # the first display to poll after a call
        poll(0)

    metrics = {
        "visits_display_displays": DISPLAYS,
        "visits_display_windows": WINDOWS,
        "visits_display_tickets_today": Ticket.objects.filter(day=today).count(),
        "visits_display_tickets_total": Ticket.objects.count(),
        "visits_display_calls_total": TicketCall.objects.count(),
        "visits_display_fill_seconds": fill_seconds,
        "visits_display_feed_median_ms": statistics.median(samples),
        "visits_display_feed_p95_ms": percentile(samples, 95),
        "visits_display_round_p95_ms": percentile(rounds, 95),
        "visits_display_feed_queries": len(first.captured_queries),
        "visits_display_feed_queries_shared": len(shared.captured_queries),
        "visits_display_feed_cpu_ms": python_cpu * 1000 / len(samples),
    }
    if database_cpu is not None:
        metrics["visits_display_feed_database_cpu_ms"] = database_cpu * 1000 / len(samples)
    return metrics


if __name__ == "__main__":  # python -m benchmarks.bench_display [small|full]: this benchmark alone
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
