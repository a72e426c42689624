"""Archiving the logs (``manage.py archive_audit_log --before YYYY-MM-DD --to DIR``): the rows of both
logs older than a day leave the database for a file, once the file is known to hold them.

1. Refused if the day is inside the retention period (``retention.latest_before_day``).
2. The rows written before the day's local midnight (transition log, then disclosure log, by id) go
   to ``DIR/audit-log-before-<day>-<written at>.jsonl.gz``: gzip'd JSON lines, one row per line, every
   column, with the object's type and the person's username spelled out (``"log"`` says which log).
   Beside it ``….jsonl.gz.sha256`` in ``sha256sum`` format, so ``sha256sum -c`` checks it.
3. The file is read back: its checksum must be the one written, and its lines the ids exported.
4. Then, in one transaction, the rows are deleted — exactly those ids' range (``at`` before the
   day and id up to the last exported): if a count differs, nothing is deleted.

``--dry-run`` counts what would go and writes nothing. ``read(path)`` yields an archive's rows back.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from apps.audit.models import DisclosureLog, TransitionLog
from apps.audit.retention import latest_before_day

LOGS = {"transition": TransitionLog, "disclosure": DisclosureLog}
COLUMNS = {
    "transition": [
        "id",
        "at",
        "content_type__app_label",
        "content_type__model",
        "object_id",
        "transition",
        "from_state",
        "to_state",
        "actor_id",
        "actor__username",
        "comment",
        "client_ip",
        "context",
        "centre_id",
        "department_id",
        "filing_number",
    ],
    "disclosure": [
        "id",
        "at",
        "content_type__app_label",
        "content_type__model",
        "object_id",
        "looked_up",
        "what",
        "purpose",
        "viewer_id",
        "viewer__username",
        "client_ip",
        "centre_id",
        "department_id",
        "filing_number",
    ],
}
CHUNK = 5000


class ArchiveError(Exception):
    """The archive was refused, or could not be verified (nothing was deleted)."""


@dataclass
class Archived:
    before: dt.date
    path: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)  # rows per log (written, then deleted)
    last_ids: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    deleted: dict[str, int] = field(default_factory=dict)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _older(log: str, before: dt.date):
    return LOGS[log].objects.filter(at__lt=_midnight(before))


def _line(log: str, row: dict) -> str:
    row = dict(row)
    app_label, model = row.pop("content_type__app_label"), row.pop("content_type__model")
    person = "actor" if log == "transition" else "viewer"
    row["content_type"] = f"{app_label}.{model}" if app_label else None
    row[f"{person}_username"] = row.pop(f"{person}__username")
    row["at"] = row["at"].isoformat()
    return json.dumps({"log": log, **row}, ensure_ascii=False, sort_keys=True)


def read(path: Path) -> Iterator[dict]:
    """The rows of an archive, in the order written (both logs: ``row["log"]`` says which)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_day(before: dt.date, now: dt.datetime | None = None) -> None:
    latest = latest_before_day(now)
    if before > latest:
        raise ArchiveError(
            f"--before {before:%Y-%m-%d} is inside the retention period: the latest day allowed is "
            f"{latest:%Y-%m-%d} (HALL_AUDIT_RETENTION_DAYS)."
        )


def count(before: dt.date) -> dict[str, int]:
    check_day(before)
    return {log: _older(log, before).count() for log in LOGS}


def archive(before: dt.date, directory: Path) -> Archived:
    """Write, verify, then delete the rows of both logs older than ``before`` (see the module)."""
    check_day(before)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%dT%H%M%S")
    path = directory / f"audit-log-before-{before:%Y-%m-%d}-{stamp}.jsonl.gz"
    if path.exists():
        raise ArchiveError(f"{path} exists already: nothing is overwritten.")
    done = Archived(before, path)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for log in LOGS:
            done.counts[log], done.last_ids[log] = 0, 0
            rows = _older(log, before).order_by("id").values(*COLUMNS[log]).iterator(chunk_size=CHUNK)
            for row in rows:
                out.write(_line(log, row) + "\n")
                done.counts[log] += 1
                done.last_ids[log] = row["id"]
    done.sha256 = _sha256(path)
    Path(f"{path}.sha256").write_text(f"{done.sha256}  {path.name}\n", encoding="utf-8")
    _verify(done)
    _delete(done)
    return done


def _verify(done: Archived) -> None:
    """Read the file back: the checksum written, and each log's rows, ids ascending up to the last."""
    if _sha256(done.path) != done.sha256:
        raise ArchiveError(f"{done.path}: the checksum changed after writing; nothing was deleted.")
    seen = {log: 0 for log in LOGS}
    last = {log: 0 for log in LOGS}
    for row in read(done.path):
        log = row["log"]
        if row["id"] <= last[log]:
            raise ArchiveError(f"{done.path}: {log} ids out of order; nothing was deleted.")
        seen[log], last[log] = seen[log] + 1, row["id"]
    if seen != done.counts or last != done.last_ids:
        raise ArchiveError(f"{done.path} does not hold the rows exported ({seen}); nothing was deleted.")


def _delete(done: Archived) -> None:
    with transaction.atomic():
        for log in LOGS:
            rows = _older(log, done.before).filter(id__lte=done.last_ids[log])
            deleted, _by_model = rows.delete()
            if deleted != done.counts[log]:
                raise ArchiveError(
                    f"{log} log: {deleted} rows to delete, {done.counts[log]} archived; nothing was deleted."
                )
            done.deleted[log] = deleted
