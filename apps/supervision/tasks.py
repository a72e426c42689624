"""Supervision's periodic jobs (Celery beat, ``hall/celery.py``): the work roll-ups the work figures
read, and the anomaly scan the anomalies page reads. Thin: the bodies are ``rollups.refresh`` and
``anomalies.scan``."""

from celery import shared_task

from apps.ops.jobs import record_run


@shared_task(
    name="apps.supervision.tasks.refresh_work_rollups",
    acks_late=True,
    soft_time_limit=540,
    time_limit=600,
)
def refresh_work_rollups() -> dict:
    """Refresh the daily roll-ups of the days whose work changed since the last run, and today's;
    recorded as one job run with the days and rows it wrote."""
    from apps.supervision.rollups import refresh

    with record_run("work_rollups") as changes:
        changes.update(refresh())
    return changes


@shared_task(
    name="apps.supervision.tasks.scan_anomalies",
    acks_late=True,
    soft_time_limit=540,
    time_limit=600,
)
def scan_anomalies() -> dict:
    """Run every rule over what the transition log recorded since the last scan; recorded as one job
    run with the findings per rule."""
    from apps.supervision.anomalies import scan

    with record_run("anomaly_scan") as changes:
        changes.update(scan())
    return changes
