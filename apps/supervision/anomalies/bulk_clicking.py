"""The same action by one person on many filings within one second (批量点击)."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.db.models.functions import TruncSecond
from django.utils import timezone

from apps.audit.models import TransitionLog
from apps.cases.models import Case, Filing
from apps.supervision.anomalies.findings import Finding, Window, iso
from apps.supervision.models import AnomalyRule

RULE = AnomalyRule.BULK_CLICKING

# How many filings' numbers a finding keeps to show.
SHOWN = 20


def minimum() -> int:
    return settings.HALL_BULK_CLICK_MIN


def find(window: Window) -> list[Finding]:
    """One person (the log's actor) logged the same transition on at least ``HALL_BULK_CLICK_MIN``
    (default 5) different filings within one clock second: nobody reads a filing or a case that fast,
    so it was clicked through unread (or scripted). Filings and cases count, a case as its filing, so
    that one act that moves a bundle's cases together (a withdrawal) counts once. The hall's own rules
    (sweeps, ``actor`` empty) are not people and are not read.

    Queries: the (person, action, second) groups with that many log rows, then the rows of those
    groups, then their filings' centres. The subject is the person; one finding per (action, second)."""
    least = minimum()
    kinds = {
        ContentType.objects.get_for_model(Filing).pk: Filing,
        ContentType.objects.get_for_model(Case).pk: Case,
    }
    rows = TransitionLog.objects.filter(
        content_type_id__in=list(kinds), actor__isnull=False, at__lte=window.until
    )
    if window.since is not None:
        rows = rows.filter(at__gte=window.since)
    groups = list(
        rows.annotate(second=TruncSecond("at", tzinfo=dt.UTC))
        .values("actor_id", "transition", "second")
        .annotate(n=Count("id"))
        .filter(n__gte=least)
        .values_list("actor_id", "transition", "second")
    )
    if not groups:
        return []
    members = TransitionLog.objects.filter(
        reduce(
            or_,
            (
                Q(
                    actor_id=actor,
                    transition=transition,
                    at__gte=second,
                    at__lt=second + dt.timedelta(seconds=1),
                )
                for actor, transition, second in groups
            ),
        ),
        content_type_id__in=list(kinds),
    ).values_list("actor_id", "transition", "at", "content_type_id", "object_id")
    subjects: dict[tuple, set[tuple[type, int]]] = {}
    for actor, transition, at, content_type_id, object_id in members:
        second = at.astimezone(dt.UTC).replace(microsecond=0)
        subjects.setdefault((actor, transition, second), set()).add((kinds[content_type_id], int(object_id)))
    case_ids = {pk for group in subjects.values() for model, pk in group if model is Case}
    filing_of = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "filing_id"))
    filings_in = {
        key: {pk if model is Filing else filing_of.get(pk) for model, pk in group} - {None}
        for key, group in subjects.items()
    }
    facts = {
        row["pk"]: row
        for row in Filing.objects.filter(pk__in=set().union(*filings_in.values())).values(
            "pk", "number", "centre_id"
        )
    }
    users = {
        pk: (full_name, username)
        for pk, full_name, username in get_user_model()
        .objects.filter(pk__in={key[0] for key in filings_in})
        .values_list("pk", "full_name", "username")
    }
    findings = []
    for (actor, transition, second), filing_ids in sorted(filings_in.items(), key=lambda kv: kv[0][2]):
        filing_ids = sorted(pk for pk in filing_ids if pk in facts)
        if len(filing_ids) < least:
            continue
        centres = sorted({facts[pk]["centre_id"] for pk in filing_ids})
        findings.append(
            Finding(
                rule=RULE,
                subject=get_user_model(),
                subject_id=actor,
                centre_id=centres[0],
                department_id=None,
                filing_id=None,
                day=timezone.localdate(second),
                detail={
                    "transition": transition,
                    "at": iso(second),
                    "filings": len(filing_ids),
                    "numbers": [facts[pk]["number"] for pk in filing_ids[:SHOWN]],
                    "actor": users[actor][0] or users[actor][1],
                    "username": users[actor][1],
                    "minimum": least,
                },
                fingerprint=f"{transition}@{second:%Y-%m-%dT%H:%M:%S}",
            )
        )
    return findings
