"""The rating figures (issue 17, 好差评统计): the supervision desk's figures page over 1,000,000 ratings,
read from the daily roll-ups, and the roll-up of one day of 50,000 ratings.

Targets on PostgreSQL: the figures page p95 ≤ 150 ms with 1,000,000 ratings; refreshing the roll-ups
of a day of 50,000 ratings ≤ 5 s.

One centre as a city hall is: 30 departments, 40 comprehensive windows, 80 clerks (two a window) and
60 items (two a department; made through the catalogue's services). The ratings (1,000,000; 20,000 at
small scale) are written set-based (generate_series) over the last 365 days: every clerk takes every
department's items, as at a comprehensive window (一窗受理); half 非常满意, one in twelve bad, each bad
one with its rectification ticket (closed, most in time; submitted; open), one in a hundred bad ones
set aside on appeal. They all rate one filing, each as a rater of its own (the figures never read the
filing). The roll-ups of the year are then built in one statement (``feedback_rollup_year_seconds``).

Then one more day, today, gets 50,000 ratings (5,000 small) more: ``feedback_rollup_day_seconds`` is
the refresh of that day (one DELETE and one INSERT … SELECT, as the Celery job does it), the median
of three, with the rows it wrote.

Measured with a centre supervisor logged in (and a department's supervisor, for their share): the
page as it opens (by department, month by month, since 1 January), by window and by staff member
month by month, by item day by day over the last 31 days, by staff member over the whole year, the
.xlsx download, and the API — median and p95 milliseconds, the queries each reads, and the CPU a
request costs (this process's and the PostgreSQL server process's).

PostgreSQL only: on SQLite the module reports nothing. The SQL is assembled from integers and fixed
fragments of this module (ruff S608 is silenced for that reason), never from input.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from benchmarks.harness import CpuMeter, time_calls
from benchmarks.portal import _blank

SIZES = {
    "small": {"ratings": 20_000, "day": 5_000, "samples": 30},
    "full": {"ratings": 1_000_000, "day": 50_000, "samples": 100},
}
DEPARTMENTS, WINDOWS, CLERKS, ITEMS_PER_DEPARTMENT = 30, 40, 80, 2
DAYS = 365
REGION = "350195"  # credit codes of its own (the deadline sweep has 350197): benchmarks share a database


def _setup() -> dict:
    from apps.accounts.models import User, Window, WindowKind
    from apps.accounts.roles import Role
    from tests.factories import DepartmentFactory, ServiceCentreFactory
    from tests.factories.accounts import make_staff, valid_uscc
    from tests.factories.catalogue import make_item
    from tests.factories.feedback import visited_filing

    centre = ServiceCentreFactory(name="基准好差评中心")
    departments = [
        DepartmentFactory(
            centre=centre, name=f"基准局{n:02d}", credit_code=valid_uscc(980000 + n, region=REGION)
        )
        for n in range(DEPARTMENTS)
    ]
    windows = Window.objects.bulk_create(
        Window(centre=centre, number=f"B{n:02d}", kind=WindowKind.COMPREHENSIVE) for n in range(WINDOWS)
    )
    clerks = User.objects.bulk_create(
        User(username=f"bench-rating-clerk-{n}", full_name=f"基准窗口员{n:02d}", password="!")
        for n in range(CLERKS)
    )
    items = [make_item(department=d) for d in departments for _ in range(ITEMS_PER_DEPARTMENT)]
    filing = visited_filing(centre=centre, window=windows[0])
    return {
        "centre": centre,
        "filing": filing,
        "departments": departments,
        "windows": [w.pk for w in windows],
        "clerks": [c.pk for c in clerks],
        "items": [i.pk for i in items],
        "item_departments": [i.department_id for i in items],
        "supervisor": make_staff(Role.SUPERVISOR, centre=centre),
        "department_supervisor": make_staff(Role.SUPERVISOR, centre=centre, department=departments[0]),
    }


def _array(values: list[int]) -> str:
    return "ARRAY[" + ", ".join(str(int(v)) for v in values) + "]::bigint[]"


def _fill(world: dict, total: int, *, first_day: str, days: int, prefix: str) -> None:
    """``total`` ratings over ``days`` days ending at ``first_day`` + ``days`` - 1 (an SQL date), and
    the tickets of the bad ones, in two INSERT … SELECT statements."""
    from apps.feedback.models import Rating, RectificationTicket

    items = _array(world["items"])
    item_departments = _array(world["item_departments"])
    clerks = _array(world["clerks"])
    # Clerk c works at window c % WINDOWS (two a window).
    clerk_windows = _array([world["windows"][n % WINDOWS] for n in range(CLERKS)])
    n_items, n_clerks = len(world["items"]), len(world["clerks"])
    minute_of_day = "(g %% 480) * interval '1 minute'"
    given = {
        "act": "'window_visit'",
        "filing_id": str(world["filing"].pk),
        "rater_key": f"'{prefix}' || g",
        # 50 % 非常满意, 28 % 满意, 14 % 基本满意, 5 % 不满意, 3 % 非常不满意
        "level": "CASE WHEN g %% 100 < 50 THEN '1' WHEN g %% 100 < 78 THEN '2' WHEN g %% 100 < 92 THEN '3' "
        "WHEN g %% 100 < 97 THEN '4' ELSE '5' END",
        "reason": "CASE WHEN g %% 100 >= 92 THEN 'waiting' ELSE '' END",
        "channel": "(ARRAY['pad', 'pad', 'qr', 'sms', 'portal'])[1 + g %% 5]",
        "centre_id": str(world["centre"].pk),
        "item_id": f"({items})[1 + g %% {n_items}]",
        "department_id": f"({item_departments})[1 + g %% {n_items}]",
        "staff_id": f"({clerks})[1 + (g / 7) %% {n_clerks}]",
        "window_id": f"({clerk_windows})[1 + (g / 7) %% {n_clerks}]",
        "rated_on": f"{first_day} + (g %% {days})",
        "rated_at": f"({first_day} + (g %% {days}))::timestamp + {minute_of_day} + interval '9 hours'",
        "act_at": f"({first_day} + (g %% {days}))::timestamp + {minute_of_day} + interval '8 hours'",
        "excluded": "(g %% 100 >= 92 AND g %% 1000 = 999)",
        "updated_at": "now()",
    }
    ticket_given = {
        "rating_id": "r.id",
        "state": "CASE WHEN r.excluded THEN 'voided' WHEN r.id %% 10 < 7 THEN 'closed' "
        "WHEN r.id %% 10 < 8 THEN 'submitted' ELSE 'open' END",
        "centre_id": "r.centre_id",
        "department_id": "r.department_id",
        "window_id": "r.window_id",
        "opened_at": "r.rated_at",
        "due_on": "r.rated_on + 21",
        # Closed after 3 to 26 days: most on time, a few late.
        "closed_at": "CASE WHEN NOT r.excluded AND r.id %% 10 < 7 "
        "THEN r.rated_at + (3 + r.id %% 24) * interval '1 day' END",
        "appeal_evidence": "''",
        "updated_at": "now()",
    }
    with connection.cursor() as cursor:
        for model, values, source in (
            (Rating, given, f"generate_series(0, {int(total)} - 1) AS g"),
            (
                RectificationTicket,
                ticket_given,
                f"{Rating._meta.db_table} AS r WHERE r.level IN ('4', '5') AND r.rater_key LIKE '{prefix}%%'",
            ),
        ):
            columns, selected = [], []
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                if field.column in values:
                    columns.append(field.column)
                    selected.append(values[field.column])
                elif not field.null:
                    columns.append(field.column)
                    selected.append(_blank(field))
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
                f"SELECT {', '.join(selected)} FROM {source}",
                {},
            )
    _analyse("feedback_rating", "feedback_rectificationticket")


def _analyse(*tables: str) -> None:
    autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - fixed table names
    finally:
        connection.set_autocommit(autocommit)


def _count(table: str, where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} {where}")  # noqa: S608 - fixed fragments
        return cursor.fetchone()[0]


def _statements_of(client, url: str) -> int:
    statements: list[str] = []

    def count(execute, sql, *args):
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(statements)


def _pages(world: dict, scale: str) -> dict[str, float]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    today = timezone.localdate()
    year_ago = (today - dt.timedelta(days=DAYS - 1)).isoformat()
    month_ago = (today - dt.timedelta(days=30)).isoformat()
    pages = {
        "page": ("supervisor", "/supervision/figures/"),
        "window_month": ("supervisor", "/supervision/figures/?dimension=window&period=month"),
        "staff_month": ("supervisor", "/supervision/figures/?dimension=staff&period=month"),
        "item_day": ("supervisor", f"/supervision/figures/?dimension=item&period=day&from={month_ago}"),
        "staff_year": ("supervisor", f"/supervision/figures/?dimension=staff&period=year&from={year_ago}"),
        "department_page": ("department_supervisor", "/supervision/figures/?dimension=window&period=month"),
        "xlsx": ("supervisor", "/supervision/figures/export/?dimension=item&period=month"),
        "api": ("supervisor", "/api/v1/rating-figures/"),
    }
    clients = {}
    for who in ("supervisor", "department_supervisor"):
        clients[who] = Client()
        clients[who].force_login(world[who])
    metrics: dict[str, float] = {}
    for name, (who, url) in pages.items():
        client = clients[who]
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        metrics[f"feedback_figures_{name}_queries"] = _statements_of(client, url)
        n = SIZES[scale]["samples"]
        meter = CpuMeter(connection).start()
        timing = time_calls(lambda url=url, client=client: client.get(url), n)
        python_cpu, database_cpu = meter.stop()
        metrics[f"feedback_figures_{name}_median_ms"] = timing["median_ms"]
        metrics[f"feedback_figures_{name}_p95_ms"] = timing["p95_ms"]
        metrics[f"feedback_figures_{name}_python_cpu_ms"] = python_cpu * 1000 / (n + 1)
        if database_cpu is not None:
            metrics[f"feedback_figures_{name}_database_cpu_ms"] = database_cpu * 1000 / (n + 1)
    return metrics


def run(scale: str) -> dict[str, float]:
    if connection.vendor != "postgresql":
        return {}
    from apps.feedback import rollups

    sizes = SIZES[scale]
    world = _setup()
    today = timezone.localdate()
    start = time.perf_counter()
    first = today - dt.timedelta(days=DAYS)
    _fill(world, sizes["ratings"], first_day=f"DATE '{first.isoformat()}'", days=DAYS, prefix="year:")
    fill_seconds = time.perf_counter() - start
    start = time.perf_counter()
    rollups.rebuild(first, today - dt.timedelta(days=1))
    year_seconds = time.perf_counter() - start

    # A busy day: today's ratings, refreshed as the Celery job refreshes a day.
    _fill(world, sizes["day"], first_day=f"DATE '{today.isoformat()}'", days=1, prefix="today:")
    rollups.refresh_days([today])  # warm
    _analyse("feedback_ratingrollup")
    samples, rows = [], 0
    for _ in range(3):
        meter = CpuMeter(connection).start()
        start = time.perf_counter()
        rows = rollups.refresh_days([today])
        samples.append(time.perf_counter() - start)
        day_python, day_database = meter.stop()
    metrics = {
        "feedback_ratings": _count("feedback_rating"),
        "feedback_tickets": _count("feedback_rectificationticket"),
        "feedback_fill_seconds": fill_seconds,
        "feedback_rollup_year_seconds": year_seconds,
        "feedback_rollup_rows": _count("feedback_ratingrollup"),
        "feedback_rollup_day_ratings": _count(
            "feedback_rating", f"WHERE rated_on = DATE '{today.isoformat()}'"
        ),
        "feedback_rollup_day_seconds": statistics.median(samples),
        "feedback_rollup_day_rows": rows,
    }
    if day_database is not None:
        metrics["feedback_rollup_day_database_cpu_seconds"] = day_database
    _analyse("feedback_ratingrollup")
    metrics.update(_pages(world, scale))
    return metrics
