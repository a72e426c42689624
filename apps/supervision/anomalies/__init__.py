"""电子监察: the anomaly rules over the transition log, and the scan that stores what they find.

Each rule is a module with ``RULE`` (its ``AnomalyRule``) and ``find(window) -> list[Finding]``:
set-based reads of the log rows in the window and the rows they point at (a constant number of
queries per rule, never one per log row), documented in its docstring. ``scan`` runs them all over
what was logged since the last scan and upserts the findings (``Anomaly``, unique per rule, subject
and fingerprint): a scan run twice, or two at once, stores each finding once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from apps.audit.models import TransitionLog
from apps.supervision.anomalies import (
    bulk_clicking,
    decided_late,
    decision_without_opinion,
    extension_unapproved,
    issued_without_seal,
    returned_twice,
    suspended_too_long,
)
from apps.supervision.anomalies.findings import Window, store
from apps.supervision.models import RefreshMark

# In AnomalyRule's order (the desk lists them so).
RULES = (
    decided_late,
    suspended_too_long,
    extension_unapproved,
    decision_without_opinion,
    returned_twice,
    bulk_clicking,
    issued_without_seal,
)

MARK = "anomalies"

# A log row is stamped when written, and committed a little later: the scan re-reads this much before
# the last scan's start, so that a row committed after that scan read is not missed (finding it twice
# costs nothing: the upsert).
MARGIN = dt.timedelta(minutes=10)

# The log is read this much at a time, each part in its own transaction that moves the mark: a first
# scan over years of history (or a long backlog) makes progress that stays if the job is stopped at its
# time limit, and no query reads more than a month of the log.
SPAN = dt.timedelta(days=31)


def scan(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every rule over the log since the last scan (the first: from its first row) up to ``now``,
    ``SPAN`` at a time; store the findings; move the mark after each part. Returns how many each rule
    found (new or seen again; a finding read in two parts counts twice)."""
    now = now or timezone.now()
    counts = {str(rule.RULE): 0 for rule in RULES}
    while True:
        until = _scan_part(now, counts)
        if until >= now:
            return counts


@transaction.atomic
def _scan_part(now: dt.datetime, counts: dict[str, int]) -> dt.datetime:
    last = RefreshMark.objects.filter(name=MARK).values_list("at", flat=True).first()
    # The first scan starts at the first row logged (None: nothing is).
    since = last - MARGIN if last is not None else TransitionLog.objects.aggregate(first=Min("at"))["first"]
    window = Window(since=since, until=now if since is None else min(now, since + SPAN))
    for rule in RULES:
        findings = rule.find(window)
        store(findings)
        counts[str(rule.RULE)] += len(findings)
    RefreshMark.objects.update_or_create(name=MARK, defaults={"at": window.until})
    return window.until
