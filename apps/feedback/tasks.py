from celery import shared_task

from apps.ops.jobs import record_run


@shared_task(
    name="apps.feedback.tasks.sweep_rectifications", acks_late=True, soft_time_limit=240, time_limit=300
)
def sweep_rectifications() -> dict:
    """Rectification tickets past their due date escalated (督办), and raised to the centre when not
    acknowledged in time; recorded as one job run with what changed."""
    from apps.feedback.sweeps import run

    with record_run("rectification_sweep") as changes:
        changes.update(run())
    return changes
