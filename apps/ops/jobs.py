"""Recording job runs: a context manager every periodic job wraps its work in."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from apps.ops.models import JobRun


@contextmanager
def record_run(name: str) -> Iterator[dict]:
    """Run a job body and record it; the body puts what it changed into the yielded dict.

    A failure is recorded too (outcome "failed" with the error) and then re-raised, so that Celery's
    retry and alerting still see it.
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
        JobRun.objects.create(
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
