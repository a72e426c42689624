from dataclasses import asdict

from celery import shared_task

from apps.ops.jobs import record_run


@shared_task(
    name="apps.notifications.tasks.deliver_notifications", acks_late=True, soft_time_limit=240, time_limit=300
)
def deliver_notifications() -> dict:
    """Deliver the outbox's due messages (beat, every few seconds; recorded when it delivered any)."""
    from apps.notifications.models import Outbox, OutboxState
    from apps.notifications.services import deliver_due

    if not Outbox.objects.filter(state=OutboxState.PENDING).exists():
        return {}
    with record_run("notifications") as changes:
        changes.update(asdict(deliver_due()))
    return changes
