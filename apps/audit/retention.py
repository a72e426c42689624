"""How long the logs are kept: at least six months (HALL_AUDIT_RETENTION_DAYS, 183 by default and never
fewer — the system check ``audit.E001`` stops the start-up below it).

A row younger than that cannot be deleted. The ORM refuses (the logs' queryset and model ``delete``
raise ``RetentionError``), and on PostgreSQL so does the database itself: a BEFORE DELETE trigger
(migration audit 0008) refuses rows younger than ``MINIMUM_DAYS``, for whatever SQL reaches it — the
legal floor, fixed in the trigger; a longer setting is the ORM's and the archiving command's to keep.
Older rows leave only through ``manage.py archive_audit_log`` (``apps.audit.archive``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

MINIMUM_DAYS = 183


class RetentionError(IntegrityError):
    """A log row inside the retention period was to be deleted (the trigger's refusal is an
    IntegrityError too, so a caller handles both alike)."""


def retention_days() -> int:
    return int(getattr(settings, "HALL_AUDIT_RETENTION_DAYS", MINIMUM_DAYS))


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Rows at or after this moment are inside the retention period."""
    return (now or timezone.now()) - dt.timedelta(days=retention_days())


def latest_before_day(now: dt.datetime | None = None) -> dt.date:
    """The latest ``--before`` day the archiving command accepts: its midnight is before ``cutoff``."""
    return timezone.localdate(cutoff(now))
