"""Recording job runs: a context manager every periodic job wraps its work in."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from apps.ops.models import JobRun

logger = logging.getLogger(__name__)


def _changed_something(changes: dict) -> bool:
    """Whether a run changed anything: a count above zero among its changes (other entries, such as
    the dates a run covered, say what it looked at, not what it did)."""
    return any(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in changes.values())


@contextmanager
def record_run(name: str) -> Iterator[dict]:
    """Run a job body and record it; the body puts what it changed into the yielded dict, as counts.

    A failure is recorded too (outcome "failed" with the error) and then re-raised, so that Celery's
    retry and alerting still see it (and log it, with its traceback). A run is logged at INFO when it
    changed something and at DEBUG when it did not: the jobs run every few seconds, and a log line
    for each run that found nothing to do would bury the requests and warnings.
    """
    started_at = timezone.now()
    clock = time.perf_counter()
    changes: dict = {}
    outcome, error = JobRun.Outcome.SUCCEEDED, ""
    try:
        yield changes
    except Exception as exc:
        outcome, error = JobRun.Outcome.FAILED, f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run = JobRun.objects.create(
            name=name,
            started_at=started_at,
            finished_at=timezone.now(),
            duration_ms=round((time.perf_counter() - clock) * 1000),
            outcome=outcome,
            changes=changes,
            error=error,
            host=socket.gethostname(),
            pid=os.getpid(),
        )
    level = logging.INFO if _changed_something(changes) else logging.DEBUG
    logger.log(level, "job %s: %s in %d ms", name, _summary(changes), run.duration_ms)


def _summary(changes: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in changes.items()) or "nothing changed"
