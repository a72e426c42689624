"""The work roll-ups (``WorkRollup``): what the work figures read.

Set-based, as the ratings' roll-ups are (``apps.feedback.rollups``): a day is refreshed by one DELETE of
its rows and one INSERT … SELECT that reads the day's events once (a CTE, ``events``: one row per filed
item an event touched, with the 0/1 or day counts it adds) and groups them by every dimension at once
(a UNION ALL), for all departments (department NULL) and for each department alone. No filing passes
through Python: a day of 50,000 filings is allowed 5 s (benchmarks/bench_supervision.py measures it).
So the statement reads the day's rows through their date indexes, never the history: the day's filings
are a UNION of indexed lookups (``day_filings``: decided, 容缺 cleared, 容缺 lapsed, withdrawn by the
log's ``at``), their 免证 materials one grouped join over them (``certified``), and each case-side source
starts from the day's small table (suspensions, extensions, documents, deliveries; the cases decided by
their own ``decided_at``) and reaches the case by key. On PostgreSQL the refresh turns JIT off in its
transaction (see ``_lock``).

Which day an event counts on: its own local date, found with an aware-datetime range for the day
(``[00:00, next 00:00)`` in ``TIME_ZONE``) so that no row is converted:

- a window's decision (accepted, 容缺, returned, refused), and the 免证 materials of it: ``decided_at``;
- a withdrawal (撤回): the time of the filing's logged ``withdraw`` transition;
- a 容缺 cleared / lapsed: ``deficiency_cleared_at`` / ``deficiency_lapsed_at``;
- a case decided (approved or denied), on time or not, and its days: the case's ``decided_at``;
- a suspension: its ``started_on`` (a date); an extension: its ``approved_at``;
- a certificate: its ``issued_at``; a document posted or collected: its filing's ``delivered_at``.

What an event is counted against: the filed item (办件; a bundle of three items counts three). A
filing's channel, window and decision apply to each of its items; the department and the item of a
filed item are its case's when it has one, else the pinned item version's (a returned or refused
filing has no case). Items are keyed by lineage (all versions of an item together).

What a decision is, read from the filing (not its current state, which moves on): accepted = an
``accepted_on`` with no ``commitment_date``; 容缺 = with one; returned / refused = the filing's state,
which nothing leaves. First-time pass (一次性通过): a decision on a filing that is no resubmission is
a first decision; it passed when it accepted (with or without a deficiency). A filing returned and then
resubmitted is one first decision, not passed; the resubmission is none.

Days used (``Clock.used_days``, set when a clock stops; migration worktime 0006 filled it for clocks
stopped before): a decided case whose clock has none is left out of ``days_counted`` and of the three
sums of days (used, promised, legal), so the averages compare like with like. Promised and legal limits
are the case's pinned item version's.

Which days a refresh redoes: the local dates of the transition log's rows written since the start of
the last refresh (less a margin, for transactions still open then) — every event counted is logged
(a transition or a step) on the day it happens — the start days of special procedures logged since
(they may be dated back), and today. The first refresh redoes every day the log has. A refresh of a
day is idempotent; refreshes are serialised (an advisory lock on PostgreSQL; SQLite writes one at a
time), so two workers at once write each day once.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import BigIntegerField
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from apps.audit.models import TransitionLog
from apps.cases.codes import CaseState, Channel, FilingState, MaterialStatus
from apps.cases.models import Case, ChecklistEntry, Filing, FilingItem
from apps.catalogue.models import ServiceItem
from apps.catalogue.models.items import ItemMaterial
from apps.certificates.models import Delivery, DeliveryMethod, DocumentKind, IssuedDocument
from apps.supervision.models import Dimension, RefreshMark, WorkRollup
from apps.supervision.models.rollups import COUNTS
from apps.worktime.codes import SuspensionKind
from apps.worktime.models import Clock, Extension, Suspension

MARK = "work_rollups"
# A transition logged just before a refresh started but committed just after it is older than the
# mark: the next refresh looks this far behind the mark, so it is not missed.
MARGIN = dt.timedelta(minutes=10)
LOCK_KEY = 1_719_001  # pg_advisory_xact_lock: one work roll-up writer at a time

# Each dimension: the events' column that is the row's key (rows without one are not counted there:
# an online filing no window took has no window).
KEYS = {
    Dimension.CENTRE: "centre_id",
    Dimension.DEPARTMENT: "department_id",
    Dimension.ITEM: "lineage_id",
    Dimension.WINDOW: "window_id",
}
COLUMNS = ", ".join(["day", "centre_id", "department_id", "dimension", '"key"', *COUNTS, "refreshed_at"])


def _t(model) -> str:
    return model._meta.db_table


def _q(value: str) -> str:
    """A fixed code of this project as an SQL literal (never user input)."""
    return "'" + str(value).replace("'", "''") + "'"


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


# The day's filings, each found through an index of its own (a UNION of indexed lookups, not an OR of
# ranges that no index serves): decided, 容缺 cleared, 容缺 lapsed, withdrawn (the log's ``at``).
DAY_CTES = f"""
    withdrawn AS (
        SELECT CAST(t.object_id AS BIGINT) AS id FROM {_t(TransitionLog)} t
         WHERE t.content_type_id = %(filing_type)s AND t.transition = 'withdraw'
           AND {{withdrawn_at}}),
    day_filings AS (
        SELECT id FROM {_t(Filing)} WHERE {{decided_at}}
        UNION SELECT id FROM {_t(Filing)} WHERE {{cleared_at}}
        UNION SELECT id FROM {_t(Filing)} WHERE {{lapsed_at}}
        UNION SELECT id FROM withdrawn),
    certified AS (
        SELECT ce.filing_id AS filing_id, fi.item_id AS item_id, COUNT(*) AS materials
          FROM {_t(ChecklistEntry)} ce
          JOIN {_t(FilingItem)} fi ON fi.filing_id = ce.filing_id
          JOIN {_t(ItemMaterial)} im ON im.material_id = ce.material_id AND im.item_id = fi.item_id
         WHERE ce.filing_id IN (SELECT id FROM day_filings)
           AND ce.status = {_q(MaterialStatus.E_CERTIFICATE)}
         GROUP BY ce.filing_id, fi.item_id)"""  # noqa: S608 - this module's fixed fragments only

# The filed items of the day's filings, each with its case if it has one, keyed as the roll-up keys
# them, and its 免证 materials (a grouped join: one pass, not a subquery per filed item).
FILED_ITEMS = f"""
      FROM day_filings df
      JOIN {_t(Filing)} f ON f.id = df.id
      JOIN {_t(FilingItem)} fi ON fi.filing_id = f.id
      JOIN {_t(ServiceItem)} si ON si.id = fi.item_id
      LEFT JOIN {_t(Case)} c ON c.filing_id = f.id AND c.item_id = fi.item_id
      LEFT JOIN certified cert ON cert.filing_id = f.id AND cert.item_id = fi.item_id
"""
FILED_KEYS = (
    "f.centre_id AS centre_id, COALESCE(c.department_id, si.department_id) AS department_id, "
    "si.lineage_id AS lineage_id, f.window_id AS window_id"
)


def _cases(start: str) -> str:
    """A case reached from one of the day's rows (``start``: its FROM and joins to ``c``), keyed by the
    case's own department and item version's lineage, and its filing's window. The day's rows are
    few; the cases are many: the plan starts from the day's rows through their indexes."""
    return f"""
      FROM {start}
      JOIN {_t(Filing)} f ON f.id = c.filing_id
      JOIN {_t(ServiceItem)} si ON si.id = c.item_id
"""


CASE_KEYS = (
    "f.centre_id AS centre_id, c.department_id AS department_id, si.lineage_id AS lineage_id, "
    "f.window_id AS window_id"
)

IN_DAY = "{column} >= %(start)s AND {column} < %(end)s"


def _in_day(column: str) -> str:
    return IN_DAY.format(column=column)


def _sources() -> list[tuple[str, str, dict[str, str]]]:
    """The day's events: (FROM … , WHERE …, {count column: its expression}); a count a source does not
    name is 0 there. Parameters are named: start and end of the day (aware), the day itself, and the
    content types the log is read for."""
    decided = _in_day("f.decided_at")
    accepted = "f.accepted_on IS NOT NULL"
    withdrawn = "f.id IN (SELECT id FROM withdrawn)"
    cleared = _in_day("f.deficiency_cleared_at")
    lapsed = _in_day("f.deficiency_lapsed_at")
    filing_events = {
        "decided_window": _flag(f"{decided} AND f.channel = {_q(Channel.WINDOW)}"),
        "decided_online": _flag(f"{decided} AND f.channel = {_q(Channel.ONLINE)}"),
        "decided_assisted": _flag(f"{decided} AND f.channel = {_q(Channel.ASSISTED)}"),
        "accepted": _flag(f"{decided} AND {accepted} AND f.commitment_date IS NULL"),
        "accepted_with_deficiency": _flag(f"{decided} AND {accepted} AND f.commitment_date IS NOT NULL"),
        "returned": _flag(f"{decided} AND f.state = {_q(FilingState.RETURNED)}"),
        "refused": _flag(f"{decided} AND f.state = {_q(FilingState.REJECTED)}"),
        "withdrawn": _flag(withdrawn),
        "first_decisions": _flag(f"{decided} AND f.resubmission_of_id IS NULL"),
        "first_time_passed": _flag(f"{decided} AND f.resubmission_of_id IS NULL AND {accepted}"),
        "deficiencies_cleared": _flag(cleared),
        "deficiencies_lapsed": _flag(lapsed),
        "materials_by_certificate": f"CASE WHEN {decided} THEN COALESCE(cert.materials, 0) ELSE 0 END",
    }
    counted = "k.used_days IS NOT NULL"
    case_decided = {
        "cases_decided": "1",
        "cases_approved": _flag(f"c.state = {_q(CaseState.APPROVED)}"),
        "cases_denied": _flag(f"c.state = {_q(CaseState.DENIED)}"),
        "cases_on_time": _flag("c.due_on >= %(day)s"),
        "days_counted": _flag(counted),
        "days_used": "COALESCE(k.used_days, 0)",
        "days_promised": f"CASE WHEN {counted} THEN si.promised_limit_days ELSE 0 END",
        "days_legal": f"CASE WHEN {counted} THEN si.legal_limit_days ELSE 0 END",
    }
    decided_states = f"({_q(CaseState.APPROVED)}, {_q(CaseState.DENIED)})"
    return [
        # Only the day's filings (the UNION above); a filed item counts what of its filing fell today.
        (FILED_ITEMS, "1 = 1", filing_events),
        (
            _cases(f"{_t(Case)} c JOIN {_t(Clock)} k ON k.id = c.clock_id"),
            f"{_in_day('c.decided_at')} AND c.state IN {decided_states}",
            case_decided,
        ),
        (
            # suspension → its clock's case (a case has one clock: clock_id is unique)
            _cases(f"{_t(Suspension)} s JOIN {_t(Case)} c ON c.clock_id = s.clock_id"),
            "s.started_on = %(day)s",
            {
                "suspensions_correction": _flag(f"s.kind = {_q(SuspensionKind.CORRECTION)}"),
                "suspensions_special": _flag(f"s.kind = {_q(SuspensionKind.SPECIAL_PROCEDURE)}"),
            },
        ),
        (
            _cases(f"{_t(Extension)} e JOIN {_t(Case)} c ON c.clock_id = e.clock_id"),
            _in_day("e.approved_at"),
            {"extensions": "1"},
        ),
        (
            _cases(f"{_t(IssuedDocument)} d JOIN {_t(Case)} c ON c.id = d.case_id"),
            f"d.kind = {_q(DocumentKind.CERTIFICATE)} AND {_in_day('d.issued_at')}",
            {"certificates_issued": "1"},
        ),
        (
            # delivery → the documents of its filing → their case
            _cases(
                f"{_t(Delivery)} dl JOIN {_t(IssuedDocument)} d ON d.filing_id = dl.filing_id"
                f" JOIN {_t(Case)} c ON c.id = d.case_id"
            ),
            _in_day("dl.delivered_at"),
            {
                "documents_posted": _flag(f"dl.method = {_q(DeliveryMethod.POST)}"),
                "documents_collected": _flag(f"dl.method = {_q(DeliveryMethod.HANDOVER)}"),
            },
        ),
    ]


@functools.cache
def _statement() -> str:
    """The day's INSERT … SELECT (named parameters: start, end, day, stamp, filing_type)."""
    selects = []
    for i, (from_, where, counts) in enumerate(_sources()):
        keys = FILED_KEYS if i == 0 else CASE_KEYS
        values = ", ".join(f"{counts.get(name, '0')} AS {name}" for name in COUNTS)
        selects.append(f"SELECT {keys}, {values} {from_} WHERE {where}")
    day_ctes = DAY_CTES.format(
        withdrawn_at=_in_day("t.at"),
        decided_at=_in_day("decided_at"),
        cleared_at=_in_day("deficiency_cleared_at"),
        lapsed_at=_in_day("deficiency_lapsed_at"),
    )
    sums = ", ".join(f"SUM({name})" for name in COUNTS)
    branches = []
    for dimension, column in KEYS.items():
        # All departments at once (department NULL: the centre's supervisors read these), and each
        # department alone (its supervisors read its own).
        for department, grouped_by in (("NULL", ""), ("department_id", ", department_id")):
            columns = f"%(day)s, centre_id, {department}, {_q(dimension)}, {column}, {sums}, %(stamp)s"
            grouped = f"WHERE {column} IS NOT NULL GROUP BY centre_id{grouped_by}, {column}"
            branches.append(f"SELECT {columns} FROM events {grouped}")  # noqa: S608 - fixed fragments
    # The WITH is inside the INSERT: SQLite counts the rows written only of a statement that starts
    # with INSERT.
    return (
        f"INSERT INTO {_t(WorkRollup)} ({COLUMNS}) "
        f"WITH {day_ctes}, events AS ({' UNION ALL '.join(selects)}) "
        f"{' UNION ALL '.join(branches)}"
    )


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), zone)
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), zone)
    return start, end


def _write_day(cursor, day: dt.date, refreshed_at: dt.datetime) -> int:
    """Replace the roll-ups of ``day``; returns the rows written. Runs inside the caller's transaction,
    after the lock."""
    start, end = _day_bounds(day)
    rollup_field = WorkRollup._meta.get_field
    params = {
        "start": Filing._meta.get_field("decided_at").get_db_prep_value(start, connection),
        "end": Filing._meta.get_field("decided_at").get_db_prep_value(end, connection),
        "day": rollup_field("day").get_db_prep_value(day, connection),
        "stamp": rollup_field("refreshed_at").get_db_prep_value(refreshed_at, connection),
        "filing_type": ContentType.objects.get_for_model(Filing).pk,
    }
    cursor.execute(f"DELETE FROM {_t(WorkRollup)} WHERE day = %s", [params["day"]])  # noqa: S608
    cursor.execute(_statement(), params)
    return cursor.rowcount


def _lock(cursor) -> None:
    """Serialise the writers, and turn PostgreSQL's JIT off for this transaction: the day's statement
    is costed high enough (many branches over large tables) that JIT inlining and optimisation switch
    on, and compiling it took 13.4 s of 14.1 s on a day of 5,000 filings (0.84 s without; EXPLAIN
    ANALYZE in benchmarks/bench_supervision.py's run). SET LOCAL ends with the transaction."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute("SET LOCAL jit = off")


def rebuild(first: dt.date, last: dt.date) -> int:
    """Rebuild every day from ``first`` to ``last`` in one transaction (a first fill, or a repair);
    returns the rows written."""
    written = 0
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        day = first
        while day <= last:
            written += _write_day(cursor, day, now)
            day += dt.timedelta(days=1)
    return written


def refresh_days(days) -> int:
    """Refresh each of ``days``, each in its own transaction; returns the rows written."""
    written = 0
    now = timezone.now()
    for day in sorted(set(days)):
        with transaction.atomic(), connection.cursor() as cursor:
            _lock(cursor)
            written += _write_day(cursor, day, now)
    return written


def changed_days(since: dt.datetime | None) -> set[dt.date]:
    """The local dates of the transition log's rows since ``since`` (every row when None), and the
    start days of the special procedures logged since (a procedure may be dated back)."""
    logged = TransitionLog.objects.all()
    if since is not None:
        logged = logged.filter(at__gte=since)
    days = set(
        logged.annotate(local_day=TruncDate("at")).values_list("local_day", flat=True).distinct().order_by()
    )
    procedures = logged.filter(
        content_type=ContentType.objects.get_for_model(Case), transition="start_special_procedure"
    ).annotate(case_id=Cast("object_id", BigIntegerField()))
    started = Suspension.objects.filter(
        kind=SuspensionKind.SPECIAL_PROCEDURE, clock__case__in=procedures.values("case_id")
    ).values_list("started_on", flat=True)
    return days | set(started.distinct().order_by())


def refresh(now: dt.datetime | None = None) -> dict:
    """Bring the roll-ups up to date (the Celery job's body): the days changed since the last refresh,
    and today; every day the log has when there was no refresh before. Returns what it did."""
    now = now or timezone.now()
    mark = RefreshMark.objects.filter(name=MARK).first()
    days = changed_days(None if mark is None else mark.at - MARGIN)
    days.add(timezone.localdate(now))
    rows = refresh_days(days)
    # Forward only: a slower refresh that started earlier does not move the mark back.
    updated = RefreshMark.objects.filter(name=MARK, at__lt=now).update(at=now)
    if not updated and mark is None:
        RefreshMark.objects.get_or_create(name=MARK, defaults={"at": now})
    return {"days_refreshed": len(days), "rows_written": rows}
