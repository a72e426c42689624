"""The ratings' roll-up job (Celery beat, ``hall/celery.py``): the figures read what it writes."""

from celery import shared_task

from apps.ops.jobs import record_run


@shared_task(
    name="apps.feedback.figure_tasks.refresh_rating_rollups",
    acks_late=True,
    soft_time_limit=540,
    time_limit=600,
)
def refresh_rating_rollups() -> dict:
    """Refresh the daily roll-ups of the days whose ratings or tickets changed since the last run, and
    today's; recorded as one job run with the days and rows it wrote."""
    from apps.feedback.rollups import refresh

    with record_run("rating_rollups") as changes:
        changes.update(refresh())
    return changes
