"""manage.py archive_audit_log: the rows older than a day (outside the retention period) go to a
gzip'd JSON-lines file with its SHA-256, are read back and checked, then deleted; a day inside the
retention period is refused; --dry-run writes and deletes nothing."""

import datetime as dt
import gzip
import hashlib
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.audit import archive
from apps.audit.models import DisclosureLog, TransitionLog
from apps.audit.services import record_disclosure, record_step
from tests.factories.accounts import ServiceCentreFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 0))
OLD_DAY = dt.date(2026, 3, 1)  # well before six months ago
CUT = dt.date(2026, 4, 1)


def _at(day: dt.date, hour=9):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), tick=False)


def _plant():
    centre, viewer = ServiceCentreFactory(), UserFactory(username="auditee")
    with _at(OLD_DAY):
        old = [record_step(centre, step="old", comment="=SUM(A1)", n=n).pk for n in range(3)]
        old_shown = record_disclosure(centre, what="identity_number", purpose="check", viewer=viewer).pk
    with _at(CUT, hour=0):  # the day's midnight: not before it
        kept = [record_step(centre, step="on_the_day").pk]
    with _at(dt.date(2026, 11, 1)):
        kept.append(record_step(centre, step="recent").pk)
    return old, old_shown, kept


def _run(*args):
    out = io.StringIO()
    call_command("archive_audit_log", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_archives_verifies_then_deletes_the_older_rows_of_both_logs(tmp_path):
    old, old_shown, kept = _plant()
    said = _run("--before", f"{CUT:%Y-%m-%d}", "--to", str(tmp_path / "archives"))

    [path] = (tmp_path / "archives").glob("audit-log-before-2026-04-01-*.jsonl.gz")
    checksum = (tmp_path / "archives" / f"{path.name}.sha256").read_text()
    assert checksum == f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
    assert "3 transition and 1 disclosure" in said and path.name in said

    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    assert [(r["log"], r["id"]) for r in rows] == [("transition", pk) for pk in old] + [
        ("disclosure", old_shown)
    ]
    first = rows[0]
    assert first["transition"] == "old" and first["comment"] == "=SUM(A1)" and first["context"] == {"n": 0}
    assert first["content_type"] == "accounts.servicecentre"
    assert dt.datetime.fromisoformat(first["at"]).date() == OLD_DAY
    assert rows[-1]["viewer_username"] == "auditee" and rows[-1]["what"] == "identity_number"
    assert list(archive.read(path)) == rows

    assert sorted(TransitionLog.objects.values_list("pk", flat=True)) == sorted(kept)
    assert not DisclosureLog.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_day_inside_the_retention_period_is_refused_and_nothing_moves(tmp_path):
    _plant()
    latest = timezone.localdate(NOW - dt.timedelta(days=183))
    with pytest.raises(CommandError, match=f"latest day allowed is {latest:%Y-%m-%d}"):
        _run("--before", f"{latest + dt.timedelta(days=1):%Y-%m-%d}", "--to", str(tmp_path))
    assert not list(tmp_path.iterdir())
    assert TransitionLog.objects.count() == 5
    _run("--before", f"{latest:%Y-%m-%d}", "--to", str(tmp_path))  # the latest day itself is allowed
    assert TransitionLog.objects.count() == 1  # the recent row only


@time_machine.travel(NOW, tick=False)
def test_a_dry_run_counts_and_writes_nothing(tmp_path):
    _plant()
    said = _run("--before", f"{CUT:%Y-%m-%d}", "--dry-run")
    assert said.strip() == "Would archive 3 transition and 1 disclosure log rows written before 2026-04-01."
    assert TransitionLog.objects.count() == 5 and DisclosureLog.objects.count() == 1


def test_a_bad_day_is_refused_naming_it():
    with pytest.raises(CommandError, match="2026-13-01"):
        _run("--before", "2026-13-01", "--dry-run")
