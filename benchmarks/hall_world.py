"""The service hall the hall-flow benchmarks plant (bench_calling, bench_display): one centre as a city
hall is, with 100 comprehensive windows in 5 service areas (20 windows each, area ``i`` served by
every fifth window from the ``i``-th), and a day of tickets spread over the open hours, the first
share of them handled at a window of their area. Each benchmark adds what it measures with (clerks,
displays, calls).
"""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone

WINDOWS, AREAS = 100, 5
PREFIXES = "ABCDE"
OPEN_MINUTES = 8 * 60


def make_hall(*, name: str, window_prefix: str, category_code: str, category_name: str) -> dict:
    """The centre, its windows and its areas (``category_code``/``category_name`` with the area's index:
    each area's category)."""
    from apps.accounts.models import Window, WindowKind
    from apps.catalogue.models import ApprovalCategory
    from apps.visits.models import ServiceArea
    from tests.factories import ServiceCentreFactory

    centre = ServiceCentreFactory(name=name)
    windows = Window.objects.bulk_create(
        Window(centre=centre, number=f"{window_prefix}{n:03d}", kind=WindowKind.COMPREHENSIVE)
        for n in range(WINDOWS)
    )
    areas = []
    for index in range(AREAS):
        category, _created = ApprovalCategory.objects.get_or_create(
            code=f"{category_code}{index}", defaults={"name": f"{category_name}{index}"}
        )
        area = ServiceArea.objects.create(
            centre=centre, category=category, prefix=PREFIXES[index], order=index
        )
        area.windows.set(windows[index::AREAS])
        areas.append(area)
    return {"centre": centre, "windows": windows, "areas": areas}


def window_for(windows: list, area_index: int, n: int):
    """The window of area ``area_index`` that handles its ``n``-th ticket (round the area's windows)."""
    return windows[area_index + AREAS * (n % (WINDOWS // AREAS))]


def plant_day(
    world: dict,
    day: dt.date,
    tickets: int,
    *,
    handled: float,
    priority_every: int = 0,
    finished: bool = False,
) -> list:
    """A day of ``tickets`` walk-in tickets over the open hours, saved; the first ``handled`` share
    called (and, ``finished``, served and done), the others waiting, one in ``priority_every`` of
    those with an age priority (0: none)."""
    from apps.visits.models import PriorityReason, Ticket, TicketSource, TicketState

    tz = timezone.get_current_timezone()
    opening = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)), tz)
    areas, windows = world["areas"], world["windows"]
    n_handled = int(tickets * handled)
    made = []
    for n in range(tickets):
        area_index = n % AREAS
        sequence = n // AREAS + 1
        issued = opening + dt.timedelta(seconds=n * OPEN_MINUTES * 60 // tickets)
        priority = bool(priority_every) and n >= n_handled and n % priority_every == 0
        ticket = Ticket(
            centre=world["centre"],
            area=areas[area_index],
            day=day,
            sequence=sequence,
            number=f"{PREFIXES[area_index]}{sequence:03d}",
            source=TicketSource.WALK_IN,
            name="张三丰",
            priority_reasons=[PriorityReason.ELDERLY] if priority else [],
            priority=1 if priority else 0,
            issued_at=issued,
            waiting_since=issued,
        )
        if n < n_handled:
            at = issued + dt.timedelta(minutes=5 + n % 40)
            ticket.__dict__["state"] = TicketState.DONE
            ticket.window = window_for(windows, area_index, n)
            ticket.first_called_at = ticket.called_at = at
            if finished:
                ticket.started_at = at
                ticket.finished_at = at + dt.timedelta(minutes=10)
            ticket.call_count = 1
        else:
            ticket.__dict__["state"] = TicketState.WAITING
        made.append(ticket)
    return Ticket.objects.bulk_create(made, batch_size=2_000)


def plant_days(world: dict, plant, *, tickets: int, history_days: int, handled_today: float) -> float:
    """The earlier days (``history_days`` of them, every ticket handled) and today (its first
    ``handled_today`` share handled), each planted by ``plant(world, day, tickets, handled=…)``; the
    seconds the filling took."""
    today = timezone.localdate()
    start = time.perf_counter()
    for back in range(history_days, 0, -1):
        plant(world, today - dt.timedelta(days=back), tickets, handled=1.0)
    plant(world, today, tickets, handled=handled_today)
    return time.perf_counter() - start


def analyse(*tables: str) -> None:
    """Fresh planner statistics on PostgreSQL for the tables just filled (their indexes are chosen as in
    a hall that has run for weeks)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
