from celery import shared_task

from apps.ops.jobs import record_run


@shared_task(
    name="apps.cases.tasks.render_pending_notices", acks_late=True, soft_time_limit=240, time_limit=300
)
def render_pending_notices() -> int:
    """Render the PDFs of notices issued since the last run (beat, every few seconds).

    A run that finds nothing to do is not recorded: the jobs page would drown in empty runs. A worker
    lost mid-run loses nothing: a notice is marked rendered in the same transaction that stores it.
    """
    from apps.cases.notices.models import Notice
    from apps.cases.notices.services import render_pending_notices as render

    if not Notice.objects.filter(sha256="").exists():
        return 0
    with record_run("notice_pdfs") as changes:
        changes["rendered"] = render()
    return changes["rendered"]


@shared_task(name="apps.cases.tasks.sweep_deadlines", acks_late=True, soft_time_limit=540, time_limit=600)
def sweep_deadlines() -> dict:
    """Warning levels, escalations (督办) and lapses, recorded as one job run with what changed."""
    from apps.cases.sweeps import run_all

    with record_run("deadline_sweep") as changes:
        changes.update(run_all())
    return changes
