"""What the jobs page calls each job and each count a job records: jobs name themselves and their
counts by stable keys (``record_run("heartbeat")``, ``changes["pruned_runs"]``), which people do not
read. A name or key missing here shows as it is (a test lists the keys the jobs write)."""

from django.utils.translation import gettext_lazy as _

JOB_LABELS = {
    "heartbeat": _("Heartbeat (scheduler alive)"),
    "deadline_sweep": _("Deadline sweep"),
    "rectification_sweep": _("Rectification sweep (overdue tickets)"),
    # The hall's flow (apps.visits.tasks).
    "appointment_slots": _("Appointment slots (the booking horizon)"),
    "appointment_reminders": _("Appointment reminders (SMS)"),
    "appointment_no_shows": _("No-shows recorded"),
    "ticket_day_close": _("Closing the day's tickets"),
    "rating_rollups": _("Rating figures' daily roll-ups"),
    "work_rollups": _("Work figures' daily roll-ups"),
    "anomaly_scan": _("Anomaly rules (电子监察)"),
    "notice_pdfs": _("Notice PDFs"),
    "document_pdfs": _("Certificate PDFs"),
    "notifications": _("Notification delivery"),
    "calendar_recompute": _("Deadlines recomputed after a calendar change"),
    "catalogue_import": _("Catalogue import"),
}

# The parts of ``manage.py sweep <which>``, recorded as "deadline_sweep:<which>".
JOB_PART_LABELS = {
    "warnings": _("warning levels"),
    "escalations": _("escalations"),
    "lapses": _("lapses"),
}

CHANGE_LABELS = {
    "pruned_runs": _("old runs pruned"),
    "slots_created": _("slots created"),
    "reminders_sent": _("reminders sent"),
    "no_shows_recorded": _("no-shows recorded"),
    "tickets_abandoned": _("tickets not served"),
    "rendered": _("PDFs made"),
    "warning_levels_changed": _("warning levels changed"),
    "escalations_opened": _("escalations opened"),
    "escalations_raised": _("escalations raised"),
    "deficiencies_lapsed": _("deficiencies lapsed"),
    "corrections_lapsed": _("corrections lapsed"),
    "rectifications_escalated": _("overdue rectifications escalated"),
    "rectification_escalations_raised": _("rectification escalations raised"),
    "sent": _("sent"),
    "retried": _("to retry"),
    "failed": _("failed"),
    "date_from": _("first day"),
    "date_to": _("last day"),
    "centre": _("service centre"),
    "clocks_changed": _("deadlines changed"),
    "refused": _("files refused"),
    "rows_written": _("rows written"),
    "days_refreshed": _("days refreshed"),
    # The anomaly scan's findings, one count per rule (apps.supervision.anomalies).
    "decided_late": _("decided late"),
    "suspended_too_long": _("special procedures overrun"),
    "extension_unapproved": _("extensions without approval"),
    "decision_without_opinion": _("decisions without an opinion"),
    "returned_twice": _("returned twice for one material"),
    "bulk_clicking": _("bulk clicking"),
    "issued_without_seal": _("issued without a seal use"),
}


def job_label(name: str) -> str:
    base, _sep, part = name.partition(":")
    label = str(JOB_LABELS.get(base, base))
    if part:
        label = f"{label}（{JOB_PART_LABELS.get(part, part)}）"
    return label


def labelled_changes(changes: dict) -> list[tuple[str, object]]:
    return [(str(CHANGE_LABELS.get(key, key)), value) for key, value in changes.items()]
