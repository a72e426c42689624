"""Escalations (督办) of rectification tickets: an ``cases.Escalation`` whose subject is the ticket.

The sweep opens and raises them (``apps.feedback.sweeps``); supervisors acknowledge and resolve them
on the supervision desk as they do a case's (``cases.review.services``); a ticket closed or voided
resolves its open one here, in the ticket's transaction (``apps.feedback.tickets``)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from apps.audit.transitions import apply_transition
from apps.cases.models import Escalation
from apps.feedback.models import RectificationTicket


def ticket_type() -> ContentType:
    return ContentType.objects.get_for_model(RectificationTicket)


def escalations_of_ticket(ticket_id: int) -> QuerySet[Escalation]:
    return Escalation.objects.filter(subject_type=ticket_type(), subject_id=ticket_id)


def resolve_for_ticket(ticket: RectificationTicket, *, actor, note: str = "") -> list[Escalation]:
    """The ticket is closed or voided: its open escalation, if any, is resolved with it (locked, by
    its transition, logged), saying so in the ticket's words; returns what was resolved. Runs inside
    the caller's transaction, which holds the ticket."""
    resolution = (note or "").strip() or str(ticket.get_state_display())
    resolved = []
    for escalation in escalations_of_ticket(ticket.pk).select_for_update().filter(resolved_at__isnull=True):
        apply_transition(escalation, "resolve", actor=actor, comment=resolution)
        escalation.resolved_at = timezone.now()
        escalation.resolved_by = actor if getattr(actor, "is_authenticated", False) else None
        escalation.resolution = resolution
        escalation.save(update_fields=["state", "resolved_at", "resolved_by", "resolution"])
        resolved.append(escalation)
    return resolved
