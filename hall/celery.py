"""The Celery application. Configuration comes from Django settings (CELERY_* names).

The beat schedule is defined here, in code, so that the embedded mode (filesystem broker, no Redis)
and production run the same periodic jobs.
"""

import os

from celery import Celery, signals
from celery.schedules import crontab

from hall.environment import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")

app = Celery("hall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The ratings' roll-up job lives beside the figures it feeds, not in a tasks module.
app.autodiscover_tasks(["apps.feedback"], related_name="figure_tasks")


@signals.setup_logging.connect
def _log_as_django_does(**_kwargs):
    """Worker and beat log through settings.LOGGING, as the web server does. Without this receiver
    Celery configures the root logger itself, at its --loglevel, so HALL_LOG_LEVEL and the quieter
    levels in LOGGING would not hold in the worker and beat."""
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


app.conf.beat_schedule = {
    # Proves the scheduler is alive; recorded in ops.JobRun and shown on the jobs page.
    "heartbeat": {
        "task": "apps.ops.tasks.heartbeat",
        "schedule": float(env_int("HALL_HEARTBEAT_SECONDS", 60)),
    },
    # Notices are numbered in the decision's transaction and rendered to PDF here, after it (or on
    # first print, whichever comes first): a clerk's decision does not wait for a PDF.
    "render-pending-notices": {
        "task": "apps.cases.tasks.render_pending_notices",
        "schedule": float(env_int("HALL_NOTICE_RENDER_SECONDS", 10)),
    },
    # Certificates and denial decisions likewise: numbered and sealed in the issuing transaction,
    # rendered here (or at first download).
    "render-pending-documents": {
        "task": "apps.certificates.tasks.render_pending_documents",
        "schedule": float(env_int("HALL_NOTICE_RENDER_SECONDS", 10)),
    },
    # Warning levels, escalations (督办) and lapses: every few minutes, and at the start of each day
    # (so that the morning's queues already show what turned red overnight). Idempotent.
    "sweep-deadlines": {
        "task": "apps.cases.tasks.sweep_deadlines",
        "schedule": float(env_int("HALL_SWEEP_SECONDS", 300)),
    },
    "sweep-deadlines-morning": {
        "task": "apps.cases.tasks.sweep_deadlines",
        "schedule": crontab(hour=7, minute=30),
    },
    # Rectification tickets past their due date (好差评整改), escalated like overdue cases, beside the
    # deadline sweep and as often. Idempotent.
    "sweep-rectifications": {
        "task": "apps.feedback.tasks.sweep_rectifications",
        "schedule": float(env_int("HALL_SWEEP_SECONDS", 300)),
    },
    "sweep-rectifications-morning": {
        "task": "apps.feedback.tasks.sweep_rectifications",
        "schedule": crontab(hour=7, minute=30),
    },
    # The ratings' daily roll-ups (好差评统计): the days changed since the last run, and today, so the
    # figures lag the ratings by minutes; after midnight too, to finish the day before.
    "refresh-rating-rollups": {
        "task": "apps.feedback.figure_tasks.refresh_rating_rollups",
        "schedule": float(env_int("HALL_ROLLUP_SECONDS", 900)),
    },
    "refresh-rating-rollups-night": {
        "task": "apps.feedback.figure_tasks.refresh_rating_rollups",
        "schedule": crontab(hour=0, minute=10),
    },
    # The work figures' daily roll-ups (办件统计) and the anomaly rules (电子监察), beside the ratings':
    # the days changed since the last run, and today; after midnight too, to finish the day before.
    "refresh-work-rollups": {
        "task": "apps.supervision.tasks.refresh_work_rollups",
        "schedule": float(env_int("HALL_ROLLUP_SECONDS", 900)),
    },
    "refresh-work-rollups-night": {
        "task": "apps.supervision.tasks.refresh_work_rollups",
        "schedule": crontab(hour=0, minute=20),
    },
    "scan-anomalies": {
        "task": "apps.supervision.tasks.scan_anomalies",
        "schedule": float(env_int("HALL_ROLLUP_SECONDS", 900)),
    },
    # The hall's flow (apps.visits): the appointment slots of the booking horizon, hourly (and when
    # beat starts, below) and just after midnight for the new day; idempotent.
    "generate-appointment-slots": {
        "task": "apps.visits.tasks.generate_slots",
        "schedule": float(env_int("HALL_SLOTS_SECONDS", 3600)),
    },
    "generate-appointment-slots-night": {
        "task": "apps.visits.tasks.generate_slots",
        "schedule": crontab(hour=0, minute=5),
    },
    # Appointment reminders (SMS, the working day before) in the daytime only: nobody is texted at
    # night; a booking made in the evening for the next day is reminded in the morning.
    "send-appointment-reminders": {
        "task": "apps.visits.tasks.send_appointment_reminders",
        "schedule": crontab(minute="*/15", hour="8-20"),
    },
    # No-shows (爽约) once a slot's grace has passed, and the tickets a closed hall left unserved.
    "record-no-shows": {
        "task": "apps.visits.tasks.record_no_shows",
        "schedule": float(env_int("HALL_SWEEP_SECONDS", 300)),
    },
    "close-ticket-day": {
        "task": "apps.visits.tasks.close_ticket_day",
        "schedule": float(env_int("HALL_SWEEP_SECONDS", 300)),
    },
    # The outbox: messages written with their events, delivered here (at least once, never lost).
    "deliver-notifications": {
        "task": "apps.notifications.tasks.deliver_notifications",
        "schedule": float(env_int("HALL_NOTIFY_SECONDS", 10)),
    },
}


@signals.beat_init.connect
def _slots_when_beat_starts(sender=None, **_kwargs):
    """The booking horizon's slots at once when the scheduler starts (a fresh ``make run``, a deploy):
    the hourly entry's last run is kept in beat's schedule file, so it may not be due at start."""
    app.send_task("apps.visits.tasks.generate_slots")
