"""The ratings' daily roll-ups (``RatingRollup``): what the figures read.

Set-based, as the deadline sweeps are: a day is refreshed by one DELETE of its rows and one INSERT …
SELECT … GROUP BY of every dimension at once (a UNION ALL), so that no rating passes through Python and
a day of 50,000 ratings takes well under the 5 s it is allowed (see benchmarks/feedback.py). What a
ticket says of a rating (rectified, rectified on time, still being rectified) is read by a grouped
subquery over the day's tickets, written by the ORM: "closed on or before the due date" compares the
closing time's *local* day with the due date, and the ORM spells that conversion for SQLite and
PostgreSQL alike.

Which days: those of the ratings and tickets changed (``updated_at``) since the start of the last
refresh (less a margin, for transactions that were still open then), and today. A refresh of a day
is idempotent; refreshes are serialised (an advisory lock on PostgreSQL; SQLite writes one at a time),
so two workers at once write each day once.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Case, F, Max, Value, When
from django.utils import timezone

from apps.feedback.models import (
    BAD_LEVELS,
    Dimension,
    Level,
    Rating,
    RatingRollup,
    RectificationTicket,
    RollupMark,
    TicketState,
)

MARK = "ratings"
# A rating saved just before a refresh started but committed just after it is older than the mark:
# the next refresh looks this far behind the mark, so it is not missed.
MARGIN = dt.timedelta(minutes=10)
LOCK_KEY = 1_717_001  # pg_advisory_xact_lock: one roll-up writer at a time

LIVE = (TicketState.OPEN, TicketState.SUBMITTED, TicketState.APPEALED)

# Each dimension: the rating's column that is the row's key (rows without one are not counted there:
# an online pre-review has no window).
KEYS = {
    Dimension.CENTRE: "centre_id",
    Dimension.DEPARTMENT: "department_id",
    Dimension.WINDOW: "window_id",
    Dimension.STAFF: "staff_id",
    Dimension.ITEM: "item_id",
}

COUNTED = "NOT r.excluded"
BAD = f"({COUNTED} AND (r.level IN ({', '.join(repr(str(v)) for v in BAD_LEVELS)}) OR t.closed = 1))"
RECTIFIED = f"({COUNTED} AND t.closed = 1 AND t.live = 0)"
ON_TIME = f"({RECTIFIED} AND t.late = 0)"
# What each rating adds to its rows (1 or 0), worked out once per rating: the flags' names are the
# roll-up's columns.
FLAGS = {
    **{f"level_{level}": f"{COUNTED} AND r.level = '{level}'" for level in Level.values},
    "bad": BAD,
    "rectified": RECTIFIED,
    "rectified_on_time": ON_TIME,
    "excluded": "r.excluded",
}
COLUMNS = (
    'day, centre_id, department_id, dimension, "key", level_1, level_2, level_3, level_4, level_5, '
    "bad, rectified, rectified_on_time, excluded, refreshed_at"
)


def _tickets_sql(first: dt.date, last: dt.date) -> tuple[str, tuple]:
    """Per rating of those days that has tickets: whether one is live, one closed, one closed late."""
    tickets = (
        RectificationTicket.objects.filter(rating__rated_on__range=(first, last))
        .values("rating_id")
        .annotate(
            live=Max(Case(When(state__in=LIVE, then=Value(1)), default=Value(0))),
            closed=Max(Case(When(state=TicketState.CLOSED, then=Value(1)), default=Value(0))),
            late=Max(
                Case(
                    When(state=TicketState.CLOSED, closed_at__date__gt=F("due_on"), then=Value(1)),
                    default=Value(0),
                )
            ),
        )
        .order_by()
    )
    return tickets.query.sql_with_params()


def _rebuild(first: dt.date, last: dt.date, refreshed_at: dt.datetime) -> int:
    """Replace the roll-ups of the days ``first``..``last`` (one DELETE, one INSERT … SELECT); returns
    the rows written. Runs inside the caller's transaction."""
    rating = Rating._meta.db_table
    rollup = RatingRollup._meta.db_table
    tickets, ticket_params = _tickets_sql(first, last)
    stamp = RatingRollup._meta.get_field("refreshed_at").get_db_prep_value(refreshed_at, connection)
    flags = ", ".join(
        f"CASE WHEN {condition} THEN 1 ELSE 0 END AS {name}" for name, condition in FLAGS.items()
    )
    sums = ", ".join(f"SUM({name})" for name in FLAGS)
    branches = []
    for dimension, column in KEYS.items():
        # All departments at once (department NULL: the centre's supervisors read these), and each
        # department alone (its supervisors read its own).
        for department, grouped_by in (("NULL", ""), ("department_id", ", department_id")):
            branches.append(
                f"""
                SELECT rated_on, centre_id, {department}, '{dimension}', {column}, {sums}, %s
                  FROM flagged WHERE {column} IS NOT NULL
                 GROUP BY rated_on, centre_id{grouped_by}, {column}
                """  # noqa: S608 - this module's fixed fragments only
            )
    # The ratings of the days with their flags, once (a CTE the ten groupings read).
    # The ratings of the days with their flags, once (a CTE the ten groupings read). The WITH is
    # inside the INSERT: SQLite counts the rows written only of a statement that starts with INSERT.
    statement = f"""
        INSERT INTO {rollup} ({COLUMNS})
        WITH flagged AS (
            SELECT r.rated_on, r.centre_id, r.department_id, r.window_id, r.staff_id, r.item_id, {flags}
              FROM {rating} AS r LEFT JOIN ({tickets}) AS t ON t.rating_id = r.id
             WHERE r.rated_on BETWEEN %s AND %s
        )
        {" UNION ALL ".join(branches)}
    """  # noqa: S608 - this module's fixed fragments and the ORM's compiled subquery only
    params = [*ticket_params, first, last, *([stamp] * len(branches))]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(f"DELETE FROM {rollup} WHERE day BETWEEN %s AND %s", [first, last])  # noqa: S608
        cursor.execute(statement, params)
        return cursor.rowcount


def rebuild(first: dt.date, last: dt.date) -> int:
    """Rebuild every day from ``first`` to ``last`` in one statement (a first fill, or a repair);
    returns the rows written."""
    with transaction.atomic():
        return _rebuild(first, last, timezone.now())


def refresh_days(days) -> int:
    """Refresh each of ``days``, each in its own transaction; returns the rows written."""
    written = 0
    now = timezone.now()
    for day in sorted(set(days)):
        with transaction.atomic():
            written += _rebuild(day, day, now)
    return written


def changed_days(since: dt.datetime) -> set[dt.date]:
    """The days (``rated_on``) of the ratings changed since ``since``, and of the ratings whose tickets
    changed since (a ticket closed, an appeal upheld)."""
    ratings = Rating.objects.filter(updated_at__gte=since).values_list("rated_on", flat=True)
    tickets = RectificationTicket.objects.filter(updated_at__gte=since).values_list(
        "rating__rated_on", flat=True
    )
    return set(ratings.distinct().order_by()) | set(tickets.distinct().order_by())


def refresh(now: dt.datetime | None = None) -> dict:
    """Bring the roll-ups up to date (the Celery job's body): the days changed since the last refresh,
    and today; every day that has ratings when there was no refresh before. Returns what it did."""
    now = now or timezone.now()
    mark = RollupMark.objects.filter(name=MARK).first()
    if mark is None:
        days = set(Rating.objects.values_list("rated_on", flat=True).distinct().order_by())
    else:
        days = changed_days(mark.at - MARGIN)
    days.add(timezone.localdate(now))
    rows = refresh_days(days)
    # Forward only: a slower refresh that started earlier does not move the mark back.
    updated = RollupMark.objects.filter(name=MARK, at__lt=now).update(at=now)
    if not updated and mark is None:
        RollupMark.objects.get_or_create(name=MARK, defaults={"at": now})
    return {"days_refreshed": len(days), "rows_written": rows}
