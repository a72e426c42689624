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

# At most this much of the log per scan: a first scan over years of history (or a long backlog) is
# caught up over successive runs, each well within the job's time limit, instead of one run that never
# finishes (and so never moves the mark).
SPAN = dt.timedelta(days=31)


@transaction.atomic
def scan(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every rule over the log since the last scan (the first: from its first row), up to ``now``
    but over at most ``SPAN`` of it; store the findings; move the mark to where it got. Returns how
    many each rule found (new or seen again)."""
    now = now or timezone.now()
    last = RefreshMark.objects.filter(name=MARK).values_list("at", flat=True).first()
    # The first scan starts at the first row logged (None: nothing is).
    since = last - MARGIN if last is not None else TransitionLog.objects.aggregate(first=Min("at"))["first"]
    window = Window(since=since, until=now if since is None else min(now, since + SPAN))
    counts = {}
    for rule in RULES:
        findings = rule.find(window)
        store(findings)
        counts[str(rule.RULE)] = len(findings)
    RefreshMark.objects.update_or_create(name=MARK, defaults={"at": window.until})
    return counts
