"""The rectification sweep (Celery beat, ``apps.feedback.tasks``): tickets past their due date are
escalated (督办) to their department's supervisors, and go up to the centre's when not acknowledged
in time — the deadline sweep's escalations (``apps.cases.sweeps``), for tickets.

Set-based like that sweep: opening is one INSERT … SELECT over the live tickets past due that have
no open escalation, and at most one escalation per ticket can be open (a partial unique index; a
concurrent insert of the same one is ignored), so running it twice, or in two workers at once,
opens nothing more. Raising is the deadline sweep's own ``raise_unacknowledged``, for tickets'
escalations only: each sweep tells the supervisors of its own in its own words."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from apps.cases.messages import reason_text, tell_supervisors
from apps.cases.models import Escalation, EscalationLevel, EscalationReason, EscalationState
from apps.cases.sweeps import raise_unacknowledged
from apps.feedback.escalation import ticket_type
from apps.feedback.models import RectificationTicket, TicketState

# A ticket is late while the department or a supervisor still owes it something: being rectified,
# awaiting verification, or appealed (a dismissed appeal keeps the due date).
LIVE = (TicketState.OPEN, TicketState.SUBMITTED, TicketState.APPEALED)


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def escalate_overdue_tickets(today: dt.date | None = None) -> list[int]:
    """One open escalation for every live ticket due before ``today`` that has none, addressed to the
    ticket's department's supervisors: one INSERT … SELECT; returns the new escalations' ids. Runs
    inside the caller's transaction."""
    today = today or timezone.localdate()
    tickets = RectificationTicket._meta.db_table
    escalations = Escalation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {escalations} (case_id, subject_type_id, subject_id, reason, level, state,
                                       department_id, opened_on, opened_at, acknowledgement, resolution)
            SELECT NULL, %(type)s, t.id, '{EscalationReason.RECTIFICATION_OVERDUE}',
                   '{EscalationLevel.DEPARTMENT}', '{EscalationState.OPEN}', t.department_id,
                   %(today)s, %(now)s, '', ''
              FROM {tickets} AS t
             WHERE t.state IN ({_in(LIVE)}) AND t.due_on < %(today)s
               AND NOT EXISTS (SELECT 1 FROM {escalations} AS e
                                WHERE e.subject_type_id = %(type)s AND e.subject_id = t.id
                                  AND e.resolved_at IS NULL)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,  # noqa: S608 - the models' table names, this module's constants and bound values only
            {"type": ticket_type().pk, "today": today, "now": timezone.now()},
        )
        return [row[0] for row in cursor.fetchall()]


def about_ticket(tickets: dict[int, RectificationTicket]):
    """Words a ticket's escalation in a supervisor's message (``cases.messages.tell_supervisors``)."""

    def describe(escalation) -> tuple[dict, str]:
        ticket = tickets[escalation.subject_id]
        context = {
            "ticket": ticket.pk,
            "filing_number": ticket.rating.filing.number,
            "item": ticket.rating.item.name,
            "department": escalation.department.name,
            "due_on": ticket.due_on.isoformat(),
            "reason": reason_text(escalation),
        }
        return context, f"feedback.rectificationticket:{ticket.pk}"

    return describe


def tell(event: str, ids: list[int]) -> None:
    """The supervisors each of these tickets' escalations is addressed to hear of it (in the
    caller's transaction, through the outbox)."""
    if not ids:
        return
    escalations = list(Escalation.objects.filter(pk__in=ids).select_related("department"))
    tickets = RectificationTicket.objects.select_related("rating__filing", "rating__item").in_bulk(
        [e.subject_id for e in escalations]
    )
    tell_supervisors(event, escalations, describe=about_ticket(tickets))


def run(today: dt.date | None = None) -> dict:
    """Open escalations for newly overdue tickets and raise the unacknowledged ones, each step in its
    own transaction with its messages; what changed (for the jobs page)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        opened = escalate_overdue_tickets(today)
        tell("rectification_escalated", opened)
    with transaction.atomic():
        raised = raise_unacknowledged(today, subject_model=RectificationTicket)
        tell("rectification_escalation_raised", raised)
    return {"rectifications_escalated": len(opened), "rectification_escalations_raised": len(raised)}
