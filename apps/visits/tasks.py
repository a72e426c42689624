"""The hall flow's periodic jobs (Celery beat, ``hall/celery.py``). Each is thin: it runs one function of
the module that owns the work and records the run (``apps.ops.jobs.record_run``) with what it changed.
The functions are imported when the job runs, as the other apps' jobs do."""

from celery import shared_task

from apps.ops.jobs import record_run


@shared_task(name="apps.visits.tasks.generate_slots", acks_late=True, soft_time_limit=240, time_limit=300)
def generate_slots() -> dict:
    """Every centre's appointment slots to the end of its booking horizon (HALL_BOOKING_DAYS working
    days): a new day's slots after midnight, and the set-up's changes. Idempotent."""
    from apps.visits.slots import generate_all

    with record_run("appointment_slots") as changes:
        changes["slots_created"] = generate_all()
    return changes


@shared_task(
    name="apps.visits.tasks.send_appointment_reminders", acks_late=True, soft_time_limit=240, time_limit=300
)
def send_appointment_reminders() -> dict:
    """The SMS reminder (预约提醒) of each booking on the working day before its day. Idempotent."""
    from apps.visits.appointments import send_reminders

    with record_run("appointment_reminders") as changes:
        changes["reminders_sent"] = send_reminders()
    return changes


@shared_task(name="apps.visits.tasks.record_no_shows", acks_late=True, soft_time_limit=240, time_limit=300)
def record_no_shows() -> dict:
    """Bookings whose slot ended (plus the grace) with nobody come become no-shows (爽约), and too many
    of them suspend a citizen's online booking. Idempotent."""
    from apps.visits.appointments import record_no_shows as record

    with record_run("appointment_no_shows") as changes:
        changes["no_shows_recorded"] = record()
    return changes


@shared_task(name="apps.visits.tasks.close_ticket_day", acks_late=True, soft_time_limit=240, time_limit=300)
def close_ticket_day() -> dict:
    """The tickets a day left unserved after the hall closed are marked not served (未办理). Idempotent."""
    from apps.visits.ticketing import close_day

    with record_run("ticket_day_close") as changes:
        changes["tickets_abandoned"] = close_day()
    return changes
