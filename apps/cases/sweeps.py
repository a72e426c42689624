"""Deadline sweeps (Celery beat, ``apps.cases.tasks``): warning levels, escalations (督办), lapses.

Set-based: the warning sweep is one UPDATE over the open cases joined to their clocks, writing only
the rows whose level (or copied due date) changes; escalations for every newly overdue case are one
INSERT … SELECT. No case row passes through Python, so a sweep over a million open cases keeps the
worker's memory flat. Each sweep is idempotent — running it twice, or in two workers at once,
changes nothing more: levels are recomputed from dates, and at most one escalation per case can be
open (a partial unique index; a concurrent insert of the same one is ignored).

Escalations have a state graph (``Escalation``), but the sweeps open and raise them with one
statement each rather than one transition per row: thousands at once cannot each be loaded, checked
and saved. They move only along the graph's edges (raising: open and addressed to the department,
the condition of ``raise_to_centre``), and raising writes the same transition log the transition
would, with one INSERT … SELECT per thousand (``_log_in_bulk``): an escalation's history reads the
same whoever moved it.

Lapses end filings and cases through the services, one by one (a handful a day): each is a
transition with its log entry and its notice to the applicant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.models import TransitionLog
from apps.cases.codes import CaseState, FilingState
from apps.cases.models import (
    CorrectionRequest,
    Escalation,
    EscalationLevel,
    EscalationReason,
    EscalationState,
    Filing,
)
from apps.worktime import calendar
from apps.worktime.warnings import WarningLevel

LOG_BATCH = 1000  # escalation ids per statement of their log lines

# Open and running: a suspended case's level is frozen until it resumes.
RUNNING = (CaseState.QUEUED, CaseState.IN_REVIEW, CaseState.AWAITING_DECISION)
OPEN = (*RUNNING, CaseState.SUSPENDED)

LEVEL_SQL = f"""CASE WHEN c.due_on < %(today)s THEN '{WarningLevel.OVERDUE}'
                     WHEN c.red_on <= %(today)s THEN '{WarningLevel.RED}'
                     WHEN c.yellow_on <= %(today)s THEN '{WarningLevel.YELLOW}'
                     ELSE '{WarningLevel.NORMAL}' END"""


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def sweep_warnings(today: dt.date | None = None) -> int:
    """Set each running case's warning level from its clock's dates on ``today``, and bring every
    open case's copied due date along (a calendar change moves suspended cases' clocks too, and the
    queues sort by the copy); returns how many cases changed. A suspended case's level stays frozen."""
    params = {"today": today or timezone.localdate()}
    running = f"k.state IN ({_in(RUNNING)})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE cases_case AS k
               SET warning = CASE WHEN {running} THEN {LEVEL_SQL} ELSE k.warning END, due_on = c.due_on
              FROM worktime_clock AS c
             WHERE c.id = k.clock_id
               AND k.state IN ({_in(OPEN)})
               AND (({running} AND k.warning <> {LEVEL_SQL}) OR k.due_on <> c.due_on)
            """,  # noqa: S608 - fixed fragments of this module and bound dates only
            params,
        )
        return cursor.rowcount


def open_escalations(today: dt.date | None = None) -> list[int]:
    """One open escalation (督办) for every overdue open case that has none, addressed to its
    department's supervisors: one INSERT … SELECT; returns the new escalations' ids."""
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO cases_escalation (case_id, reason, level, state, department_id, opened_on,
                                          opened_at, acknowledgement, resolution)
            SELECT k.id, '{EscalationReason.OVERDUE}', '{EscalationLevel.DEPARTMENT}',
                   '{EscalationState.OPEN}', k.department_id, %(today)s, %(now)s, '', ''
              FROM cases_case AS k
             WHERE k.state IN ({_in(OPEN)}) AND k.warning = '{WarningLevel.OVERDUE}'
               AND NOT EXISTS (SELECT 1 FROM cases_escalation AS e
                                WHERE e.case_id = k.id AND e.resolved_at IS NULL)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,  # noqa: S608 - fixed fragments of this module and bound values only
            {"today": today, "now": timezone.now()},
        )
        # Opening is not a transition: the row says when, why and to whom (no log line, as for the
        # escalations a lapse opens); 10,000 log lines took another 0.35 s against a 1 s target.
        return [row[0] for row in cursor.fetchall()]


def raise_unacknowledged(today: dt.date | None = None, *, subject_model=None) -> list[int]:
    """Escalations the department has not acknowledged for HALL_ESCALATE_TO_CENTRE_DAYS working days
    go up to the centre's supervisors; returns their ids. Runs inside the caller's transaction.

    The escalations of cases, or with ``subject_model`` those of its rows (``feedback.sweeps`` for
    rectification tickets): each sweep raises its own, and tells the supervisors in its own words."""
    today = today or timezone.localdate()
    cutoff = calendar.add_working_days(today, -settings.HALL_ESCALATE_TO_CENTRE_DAYS)
    if subject_model is None:
        of = {"case__isnull": False}
    else:
        of = {"subject_type": ContentType.objects.get_for_model(subject_model)}
    # ``Escalation.raise_to_centre`` for many: its source state (open: not acknowledged, not
    # resolved) and its condition (addressed to the department) are this filter.
    stale = Escalation.objects.filter(
        state=EscalationState.OPEN,
        level=EscalationLevel.DEPARTMENT,
        resolved_at__isnull=True,  # the same as open; it keeps the partial index in use
        opened_on__lte=cutoff,
        **of,
    )
    # Locked until the caller's transaction ends: an acknowledgement arriving meanwhile waits, so
    # nothing acknowledged is raised (rows another sweep holds are its own to raise).
    ids = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
    if ids:
        Escalation.objects.filter(pk__in=ids).update(level=EscalationLevel.CENTRE, raised_at=timezone.now())
        _log_in_bulk(
            ids, "raise_to_centre", EscalationState.OPEN, EscalationState.OPEN, level=EscalationLevel.CENTRE
        )
    return ids


def _log_in_bulk(ids: list[int], transition: str, from_state: str, to_state: str, **context) -> None:
    """The transition log's entries for escalations a sweep moved with one statement: what
    ``apply_transition`` writes for each (no actor: the hall's rule acted), by INSERT … SELECT over
    the ids, a thousand at a time — no log row is built in Python (10,000 took 2.6 s that way).
    Each row carries the anchors ``apps.audit.anchors`` gives an escalation's (its department's
    centre, its department, its case's filing number), so that its supervisors find it in the audit
    viewer."""
    log = TransitionLog._meta
    constants = [
        ContentType.objects.get_for_model(Escalation).pk,
        transition,
        str(from_state),
        str(to_state),
        log.get_field("at").get_db_prep_value(timezone.now(), connection),
        log.get_field("context").get_db_prep_value({"source": "sweep", **context}, connection),
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), LOG_BATCH):
            batch = ids[start : start + LOG_BATCH]
            cursor.execute(
                f"""
                INSERT INTO {log.db_table} (content_type_id, object_id, transition, from_state,
                                            to_state, at, context, actor_id, comment, client_ip,
                                            centre_id, department_id, filing_number)
                SELECT %s, CAST(e.id AS VARCHAR(64)), %s, %s, %s, %s, %s, NULL, '', NULL,
                       d.centre_id, e.department_id, COALESCE(f.number, '')
                  FROM cases_escalation AS e
                  JOIN accounts_department AS d ON d.id = e.department_id
                  LEFT JOIN cases_case AS k ON k.id = e.case_id
                  LEFT JOIN cases_filing AS f ON f.id = k.filing_id
                 WHERE e.id IN ({", ".join(["%s"] * len(batch))})
                """,  # noqa: S608 - the log's table name and placeholders only
                [*constants, *batch],
            )


@dataclass
class LapseRun:
    deficiencies: list[int] = field(default_factory=list)  # filings
    corrections: list[int] = field(default_factory=list)  # cases


def lapse(today: dt.date | None = None, *, actor=None) -> LapseRun:
    """容缺 commitments and correction requests past their dates, handled as the hall's rules say."""
    from apps.cases.review import services as review

    today = today or timezone.localdate()
    run = LapseRun()
    lapsed_filings = Filing.objects.filter(
        state=FilingState.ACCEPTED_WITH_DEFICIENCY,
        deficiency_cleared_at__isnull=True,
        commitment_date__lt=today,
        deficiency_lapsed_at__isnull=True,
    ).values_list("pk", flat=True)
    for filing_id in list(lapsed_filings):
        with transaction.atomic():
            if review.lapse_deficiency(filing_id=filing_id, actor=actor):
                run.deficiencies.append(filing_id)
    unanswered = CorrectionRequest.objects.filter(
        answered_at__isnull=True, answer_due_on__lt=today, case__state=CaseState.SUSPENDED
    ).values_list("case_id", flat=True)
    for case_id in list(unanswered):
        with transaction.atomic():
            if review.lapse_correction(case_id=case_id, actor=actor):
                run.corrections.append(case_id)
    return run


def run_all(today: dt.date | None = None) -> dict:
    """Every sweep, in order, each in its own transaction; what each changed (for the jobs page)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        changed = sweep_warnings(today)
    escalated = escalate(today)
    lapsed = lapse(today)
    return {
        "warning_levels_changed": changed,
        **escalated,
        "deficiencies_lapsed": len(lapsed.deficiencies),
        "corrections_lapsed": len(lapsed.corrections),
    }


def escalate(today: dt.date | None = None) -> dict:
    """Open escalations for newly overdue cases and raise the unacknowledged ones, telling the
    supervisors each is addressed to (in the same transactions)."""
    from apps.cases.messages import tell_supervisors

    today = today or timezone.localdate()
    with transaction.atomic():
        opened = open_escalations(today)
        tell_supervisors("escalated", _escalations(opened))
    with transaction.atomic():
        raised = raise_unacknowledged(today)
        tell_supervisors("escalation_raised", _escalations(raised))
    return {"escalations_opened": len(opened), "escalations_raised": len(raised)}


def _escalations(ids):
    return Escalation.objects.filter(pk__in=ids).select_related("case__filing", "case__item", "department")
