import datetime as dt

from celery import shared_task

from apps.ops.jobs import record_run


@shared_task(name="apps.worktime.tasks.recompute_after_calendar_change", acks_late=True)
def recompute_after_calendar_change(first: str | None, last: str | None, centre_id: int | None = None) -> int:
    """Recompute the open clocks a calendar (or warning policy) change affects; logged as a job run."""
    from apps.worktime.services import recompute_clocks

    with record_run("calendar_recompute") as changes:
        changes.update(date_from=first, date_to=last, centre=centre_id)
        changes["clocks_changed"] = recompute_clocks(
            date_from=dt.date.fromisoformat(first) if first else None,
            date_to=dt.date.fromisoformat(last) if last else None,
            centre_id=centre_id,
        )
    return changes["clocks_changed"]
