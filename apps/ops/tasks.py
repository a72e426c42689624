import os
import socket
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from apps.ops.jobs import record_run
from apps.ops.models import JobRun


@shared_task(name="apps.ops.tasks.heartbeat")
def heartbeat() -> dict:
    """A periodic job that proves beat and the worker are alive, and prunes old job history."""
    with record_run("heartbeat") as changes:
        cutoff = timezone.now() - timedelta(days=settings.HALL_JOB_HISTORY_DAYS)
        changes["pruned_runs"], _by_model = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return {"pid": os.getpid(), "host": socket.gethostname()}
