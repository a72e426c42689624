"""Decided after the due date (超期办结)."""

from __future__ import annotations

from django.db.models import F

from apps.cases.codes import CaseState
from apps.cases.models import Case
from apps.supervision.anomalies.findings import Finding, Window, iso, logged
from apps.supervision.models import AnomalyRule

RULE = AnomalyRule.DECIDED_LATE

# The transitions that decide a case: alone, or by a decision-maker's sign-off.
DECISIONS = ("approve", "deny", "sign_off_approval", "sign_off_denial")


def find(window: Window) -> list[Finding]:
    """A case whose decision was logged in the window and whose clock stopped (the local date of the
    decision) after its due date: ``clock.stopped_on > clock.due_on``. The due date already holds the
    approved extensions and the suspended days, so a case decided on its due date is on time; the
    first day after it is late. One finding per case."""
    rows = Case.objects.filter(
        pk__in=logged(window, Case, DECISIONS),
        state__in=[CaseState.APPROVED, CaseState.DENIED],
        clock__stopped_on__gt=F("clock__due_on"),
    ).values(
        "pk",
        "filing_id",
        "filing__centre_id",
        "department_id",
        "clock__due_on",
        "clock__stopped_on",
    )
    return [
        Finding(
            rule=RULE,
            subject=Case,
            subject_id=row["pk"],
            centre_id=row["filing__centre_id"],
            department_id=row["department_id"],
            filing_id=row["filing_id"],
            day=row["clock__stopped_on"],
            detail={"due_on": iso(row["clock__due_on"]), "decided_on": iso(row["clock__stopped_on"])},
        )
        for row in rows
    ]
