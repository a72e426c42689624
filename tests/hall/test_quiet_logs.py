"""The server's log shows requests, warnings and errors: a refused request is one line without a
traceback, printed once; Celery's per-task chatter and kombu's host-name warning are not there."""

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from hall.log_filters import ClientErrorsWithoutTraceback

ROOT = Path(__file__).resolve().parents[2]


def run_python(script: str, tmp_path, **env) -> subprocess.CompletedProcess:
    """Run a script in a fresh process with the project's own logging configuration (pytest's
    capture would replace the handlers under test)."""
    full_env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "HALL_ENV", "DEBUG"}
    }
    full_env.update(DJANGO_SETTINGS_MODULE="hall.settings", HALL_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_forbidden_request_is_logged_once_in_one_line(tmp_path):
    result = run_python(
        """
        import django
        django.setup()
        from django.test import Client
        response = Client(HTTP_HOST="127.0.0.1").get("/ops/jobs/")
        assert response.status_code == 403, response.status_code
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "WARNING django.request Forbidden (Permission denied): /ops/jobs/" in lines[0]


def _record_with_traceback(status_code: int) -> logging.LogRecord:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), sys.exc_info())
    record.status_code = status_code
    return record


def test_a_server_error_keeps_its_traceback():
    server_error, refused = _record_with_traceback(500), _record_with_traceback(403)
    keep = ClientErrorsWithoutTraceback()
    assert keep.filter(server_error) and server_error.exc_info is not None
    assert keep.filter(refused) and refused.exc_info is None


def test_worker_and_beat_log_through_the_settings_not_at_their_loglevel(tmp_path):
    # What `celery worker` and `celery beat` do at start (Celery's own logging set-up, at
    # --loglevel=INFO), then a connection to the broker and the lines Celery writes for every task.
    result = run_python(
        """
        import django
        django.setup()
        import logging
        from hall.celery import app
        app.log.setup(loglevel="INFO")
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
            uri = connection.as_uri()  # as the worker's "Connected to" line does
        logging.getLogger("celery.worker.consumer.connection").info("Connected to %s", uri)
        logging.getLogger("celery.beat").info("Scheduler: Sending due task heartbeat")
        logging.getLogger("celery.worker.strategy").info("Task heartbeat received")
        logging.getLogger("celery.app.trace").info("Task heartbeat succeeded")
        logging.getLogger("celery.app.trace").error("Task heartbeat raised unexpected")
        logging.getLogger("apps.ops.jobs").info("job heartbeat: pruned_runs=1")
        logging.getLogger("apps.ops.jobs").debug("job heartbeat: pruned_runs=0")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 3, result.stderr
    assert "INFO celery.worker.consumer.connection Connected to filesystem://" in lines[0]
    assert "ERROR celery.app.trace Task heartbeat raised unexpected" in lines[1]
    assert "INFO apps.ops.jobs job heartbeat: pruned_runs=1" in lines[2]


def test_at_debug_the_celery_lines_are_back(tmp_path):
    result = run_python(
        """
        import django
        django.setup()
        import logging
        from hall.celery import app
        app.log.setup(loglevel="WARNING")
        logging.getLogger("celery.app.trace").info("Task heartbeat succeeded")
        logging.getLogger("apps.ops.jobs").debug("job heartbeat: nothing changed")
        """,
        tmp_path,
        HALL_LOG_LEVEL="DEBUG",
    )
    assert result.returncode == 0, result.stderr
    assert "INFO celery.app.trace Task heartbeat succeeded" in result.stderr
    assert "DEBUG apps.ops.jobs job heartbeat: nothing changed" in result.stderr
