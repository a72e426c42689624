"""Suspended longer than the special procedure allows (特别程序超时)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q

from apps.cases.models import Case
from apps.supervision.anomalies.findings import Finding, Window, iso, logged
from apps.supervision.models import AnomalyRule
from apps.worktime import calendar
from apps.worktime.codes import SuspensionKind
from apps.worktime.models import Suspension

RULE = AnomalyRule.SUSPENDED_TOO_LONG


def limit_days() -> int:
    return settings.HALL_SPECIAL_PROCEDURE_MAX_DAYS


def find(window: Window) -> list[Finding]:
    """A special procedure (特别程序: hearing, testing, expert review …) that stopped a case's clock
    longer than it was allowed to:

    - ``past_planned_end``: it ran past the end the approver planned when starting it (``planned_end_on``,
      told to the applicant): it resumed after that day, or is still open after it;
    - ``over_limit``: it had no planned end and stopped more than ``HALL_SPECIAL_PROCEDURE_MAX_DAYS``
      working days (the catalogue gives procedures no length; the centre sets this one, default 60);
    - ``not_allowed``: the case's item version does not list the procedure (the service refuses it;
      only a row written around it can).

    Read: the special procedures of the cases whose log has a row in the window (a resume, a decision
    …), and every open one (still suspended: an overrun shows before the case moves again). Working
    days of an open one are counted from the calendar up to today. One finding per suspension."""
    limit = limit_days()
    touched = logged(window, Case)
    rows = Suspension.objects.filter(
        Q(clock__case__pk__in=touched) | Q(ended_on__isnull=True, clock__stopped_on__isnull=True),
        kind=SuspensionKind.SPECIAL_PROCEDURE,
    ).values(
        "pk",
        "procedure",
        "started_on",
        "planned_end_on",
        "ended_on",
        "working_days",
        "clock__centre_id",
        "clock__case__pk",
        "clock__case__filing_id",
        "clock__case__department_id",
        "clock__case__item__special_procedures",
    )
    findings = []
    today = window.today
    for row in rows:
        if row["clock__case__pk"] is None:
            continue
        reasons = []
        allowed = row["clock__case__item__special_procedures"] or []
        if isinstance(allowed, str):
            allowed = [code for code in allowed.split(",") if code]
        if row["procedure"] not in allowed:
            reasons.append("not_allowed")
        end = row["ended_on"] or today
        if row["planned_end_on"] is not None:
            if end > row["planned_end_on"]:
                reasons.append("past_planned_end")
            days = row["working_days"]
        else:
            days = row["working_days"]
            if days is None:  # open: what it has stopped up to today, today included
                days = calendar.working_days_in(
                    row["started_on"], today + dt.timedelta(days=1), row["clock__centre_id"]
                )
            if days > limit:
                reasons.append("over_limit")
        if not reasons:
            continue
        findings.append(
            Finding(
                rule=RULE,
                subject=Case,
                subject_id=row["clock__case__pk"],
                centre_id=row["clock__centre_id"],
                department_id=row["clock__case__department_id"],
                filing_id=row["clock__case__filing_id"],
                day=row["started_on"],
                detail={
                    "reasons": reasons,
                    "procedure": row["procedure"],
                    "started_on": iso(row["started_on"]),
                    "planned_end_on": iso(row["planned_end_on"]),
                    "ended_on": iso(row["ended_on"]),
                    "working_days": days,
                    "limit": limit,
                },
                fingerprint=f"suspension:{row['pk']}",
            )
        )
    return findings
