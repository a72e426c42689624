"""What a rule returns: one ``Finding`` per thing it flags, stored as an ``Anomaly`` row by the scan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Model
from django.db.models.functions import Cast
from django.utils import timezone

from apps.audit.models import TransitionLog
from apps.supervision.models import Anomaly


@dataclass(frozen=True)
class Window:
    """What a scan reads: the log rows with ``since <= at <= until`` (``since`` None: from the start),
    and ``today``, the local date of ``until`` (for what is still open)."""

    since: dt.datetime | None
    until: dt.datetime

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.until)


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: type[Model]
    subject_id: int
    centre_id: int
    department_id: int | None
    filing_id: int | None
    day: dt.date
    detail: dict = field(default_factory=dict)
    fingerprint: str = ""


def logged(window: Window, model: type[Model], transitions=None):
    """The ids (integers) of ``model``'s objects with one of ``transitions`` (any, if None) in the
    window's log, as a subquery (``pk__in=``): the log's ``object_id`` is text, cast in the select
    list only, after the content type has been filtered (every model here has an integer key)."""
    rows = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True), at__lte=window.until
    )
    if window.since is not None:
        rows = rows.filter(at__gte=window.since)
    if transitions is not None:
        rows = rows.filter(transition__in=list(transitions))
    return rows.annotate(subject_pk=Cast("object_id", BigIntegerField())).values("subject_pk")


def iso(value) -> str | None:
    """Dates and times in ``detail`` (JSON): ISO text, times in local time."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def store(findings: list[Finding]) -> None:
    """Upsert: a finding seen again is the same row (``anomaly_found_once``), brought up to date.
    Written in the key's order, so that two scans at once lock the rows they share in one order (the
    second waits for the first, then updates; never a deadlock)."""
    findings = sorted(findings, key=lambda f: (f.rule, f.subject._meta.label, f.subject_id, f.fingerprint))
    rows = [
        Anomaly(
            rule=f.rule,
            subject_type=ContentType.objects.get_for_model(f.subject, for_concrete_model=True),
            subject_id=f.subject_id,
            fingerprint=f.fingerprint,
            centre_id=f.centre_id,
            department_id=f.department_id,
            filing_id=f.filing_id,
            day=f.day,
            detail=f.detail,
        )
        for f in findings
    ]
    Anomaly.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["rule", "subject_type", "subject_id", "fingerprint"],
        update_fields=["centre", "department", "filing", "day", "detail"],
    )
