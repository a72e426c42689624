"""Archive the audit logs older than a day to a checked file, then delete them (``apps.audit.archive``)."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.audit import archive


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--before {value!r}: give a day as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Move the transition and disclosure log rows written before a day (outside the retention period) "
        "to a gzip'd JSON-lines file with its SHA-256, verify the file, then delete the rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, type=_day, help="YYYY-MM-DD: rows before this day")
        parser.add_argument("--to", type=Path, help="the directory the archive is written to")
        parser.add_argument("--dry-run", action="store_true", help="count the rows only; write nothing")

    def handle(self, *args, before, to, dry_run, **options):
        try:
            if dry_run:
                counts = archive.count(before)
                self.stdout.write(
                    f"Would archive {counts['transition']} transition and {counts['disclosure']} "
                    f"disclosure log rows written before {before:%Y-%m-%d}."
                )
                return
            if to is None:
                raise CommandError("--to DIR is required (or --dry-run).")
            done = archive.archive(before, to)
        except archive.ArchiveError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Archived and deleted {done.deleted['transition']} transition and "
            f"{done.deleted['disclosure']} disclosure log rows written before {before:%Y-%m-%d}: "
            f"{done.path} (sha256 {done.sha256})."
        )
