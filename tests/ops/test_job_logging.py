"""A periodic job writes a line at INFO only when it changed something; otherwise at DEBUG."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.ops.jobs import record_run
from apps.ops.models import JobRun
from apps.ops.tasks import heartbeat

pytestmark = pytest.mark.django_db


def job_lines(caplog, level):
    return [r.getMessage() for r in caplog.records if r.name == "apps.ops.jobs" and r.levelno == level]


def test_a_run_that_changes_nothing_logs_nothing_at_info(caplog):
    caplog.set_level(logging.DEBUG, logger="apps.ops.jobs")
    heartbeat.delay()
    assert JobRun.objects.filter(name="heartbeat").exists(), "the run is still recorded"
    assert job_lines(caplog, logging.INFO) == []
    assert len(job_lines(caplog, logging.DEBUG)) == 1


def test_a_run_that_changes_something_logs_one_line_at_info(caplog, settings):
    JobRun.objects.create(
        name="heartbeat",
        started_at=timezone.now() - timedelta(days=settings.HALL_JOB_HISTORY_DAYS + 1),
        finished_at=timezone.now(),
        duration_ms=1,
        outcome=JobRun.Outcome.SUCCEEDED,
    )
    caplog.set_level(logging.DEBUG, logger="apps.ops.jobs")
    heartbeat.delay()
    (line,) = job_lines(caplog, logging.INFO)
    assert line.startswith("job heartbeat: pruned_runs=1 in ")


def test_what_a_run_looked_at_is_not_a_change(caplog):
    caplog.set_level(logging.DEBUG, logger="apps.ops.jobs")
    with record_run("calendar_recompute") as changes:
        changes.update(date_from="2026-10-01", date_to=None, centre=None, clocks_changed=0, dry=True)
    assert job_lines(caplog, logging.INFO) == []
    with record_run("calendar_recompute") as changes:
        changes.update(date_from="2026-10-01", clocks_changed=3)
    assert len(job_lines(caplog, logging.INFO)) == 1


def test_a_failed_run_is_left_to_the_caller_to_log(caplog):
    # Celery logs a failed task with its traceback; a second line from here would repeat it.
    caplog.set_level(logging.DEBUG, logger="apps.ops.jobs")
    with pytest.raises(ZeroDivisionError), record_run("broken") as changes:
        changes["before"] = 1
        1 / 0  # noqa: B018
    assert job_lines(caplog, logging.INFO) == job_lines(caplog, logging.DEBUG) == []
