"""Rectification tickets (整改工单): opening one for a bad rating, and every step to closure.

Each step locks the ticket (``select_for_update``) and goes through its graph
(``apps.audit.transitions.apply_transition``): the graph's permissions say who acts (the department's
approvers and decision-makers; its supervisors, or the centre's, who never judge a rating of their own
work), so that of two supervisors closing at once the second sees the first one's state and gets a
``Conflict``. Every step is in the ticket's transition log (its history on the desks). People are told
through the notifications outbox, in the step's transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership
from apps.accounts.roles import BACK_OFFICE_ROLES
from apps.accounts.selectors import holds_any_role
from apps.audit.services import record_disclosure, record_step
from apps.audit.transitions import apply_transition, check_transition
from apps.cases.messages import sms_number
from apps.cases.rating_links import sms_rating_url
from apps.feedback.models import Rating, RectificationTicket
from apps.feedback.models.tickets import FollowUpMethod, TicketState, missing_for_submission
from apps.notifications.services import Recipient, notify
from apps.uploads.stored import checked
from apps.worktime import calendar

LIVE_STATES = (TicketState.OPEN, TicketState.SUBMITTED, TicketState.APPEALED)

OPENED = "rectification_opened"  # to the department's handlers
CLOSED = "rectification_closed"  # to the applicant, with the rating link to re-rate once
SENT_BACK = "rectification_sent_back"  # to the department's handlers
APPEAL_DECIDED = "rectification_appeal_decided"  # to the department's handlers


def _concerns(ticket) -> str:
    return f"feedback.rectificationticket:{ticket.pk}"


def _handlers(ticket) -> list[Recipient]:
    """The department's approvers and decision-makers: an in-site message each, and an SMS to a
    mobile number on their account."""
    users = (
        StaffMembership.objects.filter(department_id=ticket.department_id, role__in=list(BACK_OFFICE_ROLES))
        .values_list("user_id", "user__phone")
        .distinct()
        .order_by("user_id")
    )
    seen, recipients = set(), []
    for user_id, phone in users:
        if user_id not in seen:
            seen.add(user_id)
            recipients.append(Recipient(user_id=user_id, phone=phone or ""))
    return recipients


def _context(ticket) -> dict:
    rating = ticket.rating
    # Words a message prints are in the hall's language: the outbox renders every message in it.
    with translation.override(settings.LANGUAGE_CODE):
        level = str(rating.get_level_display())
    return {
        "filing_number": rating.filing.number,
        "item": rating.item.name,
        "department": ticket.department.name,
        "level": level,
        "due_on": ticket.due_on.isoformat(),
        "ticket": ticket.pk,
    }


def _tell_handlers(ticket, event: str, **context) -> None:
    recipients = _handlers(ticket)
    if recipients:
        notify(event, recipients, context={**_context(ticket), **context}, concerns=_concerns(ticket))


@transaction.atomic
def open_ticket(rating: Rating) -> RectificationTicket:
    """Open the rating's ticket for the department (and window) that did the act, due
    ``HALL_RECTIFICATION_DAYS`` working days from today on the centre's calendar, and tell the
    department's handlers. Called by ``rate`` in its transaction when a rating turns bad; a rating
    with a live ticket already keeps that one (never a second: a partial unique constraint)."""
    live = RectificationTicket.objects.filter(rating=rating, state__in=LIVE_STATES).first()
    if live is not None:
        return live
    now = timezone.now()
    ticket = RectificationTicket.objects.create(
        rating=rating,
        centre_id=rating.centre_id,
        department_id=rating.department_id,
        window_id=rating.window_id,
        opened_at=now,
        due_on=calendar.add_working_days(
            timezone.localdate(now), settings.HALL_RECTIFICATION_DAYS, rating.centre_id
        ),
    )
    record_step(ticket, step="opened", comment=rating.comment)
    _tell_handlers(ticket, OPENED)
    return ticket


def _locked(ticket_id: int) -> RectificationTicket:
    try:
        return (
            RectificationTicket.objects.select_for_update(of=("self",))
            .select_related("rating__filing", "rating__item", "department")
            .get(pk=ticket_id)
        )
    except RectificationTicket.DoesNotExist as error:
        raise Http404 from error


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def record_follow_up(
    *, ticket_id: int, method: str, followed_up_at, note: str, actor, client_ip=None
) -> RectificationTicket:
    """The follow-up contact with the applicant (回访): how, when, what they said. Recorded again, it
    replaces the last one (the log keeps each)."""
    if method not in FollowUpMethod.values:
        raise ValidationError({"method": _("Choose how the applicant was contacted.")})
    if followed_up_at is None:
        raise ValidationError({"followed_up_at": _("Say when the applicant was contacted.")})
    if followed_up_at > timezone.now():
        raise ValidationError({"followed_up_at": _("The follow-up cannot be in the future.")})
    note = _required(note, "note", _("Say what the applicant said."))
    ticket = _locked(ticket_id)
    # A follow-up is typed to the minute: the minute the ticket was opened in is not before it.
    if followed_up_at < ticket.opened_at.replace(second=0, microsecond=0):
        raise ValidationError({"followed_up_at": _("The follow-up cannot be before the ticket was opened.")})
    apply_transition(ticket, "follow_up", actor=actor, comment=note, client_ip=client_ip, method=method)
    ticket.follow_up_method, ticket.followed_up_at, ticket.follow_up_note = method, followed_up_at, note
    ticket.followed_up_by = actor
    ticket.save(
        update_fields=["follow_up_method", "followed_up_at", "follow_up_note", "followed_up_by", "updated_at"]
    )
    return ticket


@transaction.atomic
def record_rectification(
    *, ticket_id: int, cause: str, measures: str, actor, client_ip=None
) -> RectificationTicket:
    """The cause of the bad rating and the measures taken (整改措施)."""
    cause = _required(cause, "cause", _("Say what caused it."))
    measures = _required(measures, "measures", _("Say what was done about it."))
    ticket = _locked(ticket_id)
    apply_transition(ticket, "rectify", actor=actor, comment=f"{cause}\n{measures}", client_ip=client_ip)
    ticket.cause, ticket.measures = cause, measures
    ticket.save(update_fields=["cause", "measures", "updated_at"])
    return ticket


@transaction.atomic
def submit_ticket(*, ticket_id: int, actor, client_ip=None) -> RectificationTicket:
    """Send the rectification for verification: the follow-up, the cause and the measures recorded
    (else refused naming what is missing)."""
    ticket = _locked(ticket_id)
    # Who may work on it now first (recording the follow-up is the same right in the same state):
    # what is missing is the department's business, said field by field (400), not a conflict.
    check_transition(ticket, "follow_up", actor=actor)
    if missing := missing_for_submission(ticket):
        raise ValidationError(missing)
    apply_transition(ticket, "submit", actor=actor, client_ip=client_ip)
    ticket.submitted_at, ticket.submitted_by = timezone.now(), actor
    ticket.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    return ticket


def _resolve_escalation(ticket, *, actor, note: str) -> None:
    """A closed or voided ticket's open escalation (督办) is resolved with it."""
    try:
        from apps.feedback.escalation import resolve_for_ticket
    except ModuleNotFoundError as error:  # escalation of tickets not built: nothing can be open
        if error.name != "apps.feedback.escalation":
            raise
        return
    resolve_for_ticket(ticket, actor=actor, note=note)


def _tell_applicant_closed(ticket) -> None:
    filing = ticket.rating.filing
    recipient = Recipient(user_id=filing.citizen_id, phone=sms_number(filing))
    if not (recipient.user_id or recipient.phone):
        return
    notify(
        CLOSED,
        [recipient],
        context={
            "filing_number": filing.number,
            "applicant": filing.applicant_name,
            "item": ticket.rating.item.name,
            "measures": ticket.measures,
            "rating_url": sms_rating_url(filing.pk),
        },
        concerns=f"cases.filing:{filing.pk}",
    )


@transaction.atomic
def verify_ticket(*, ticket_id: int, note: str, actor, client_ip=None) -> RectificationTicket:
    """A supervisor verifies the rectification and closes the ticket (整改核实办结); its escalation is
    resolved and the applicant told, with the rating link to rate again once."""
    note = _required(note, "note", _("Say what was verified."))
    ticket = _locked(ticket_id)
    apply_transition(ticket, "close", actor=actor, comment=note, client_ip=client_ip)
    ticket.verification_note, ticket.closed_at, ticket.closed_by = note, timezone.now(), actor
    ticket.save(update_fields=["state", "verification_note", "closed_at", "closed_by", "updated_at"])
    _resolve_escalation(ticket, actor=actor, note=note)
    _tell_applicant_closed(ticket)
    return ticket


@transaction.atomic
def send_back_ticket(*, ticket_id: int, note: str, actor, client_ip=None) -> RectificationTicket:
    """A supervisor finds the rectification wanting: open again, the due date unchanged."""
    note = _required(note, "note", _("Say what is wanting."))
    ticket = _locked(ticket_id)
    apply_transition(ticket, "send_back", actor=actor, comment=note, client_ip=client_ip)
    ticket.verification_note = note
    ticket.save(update_fields=["state", "verification_note", "updated_at"])
    _tell_handlers(ticket, SENT_BACK, note=note)
    return ticket


@transaction.atomic
def appeal_ticket(*, ticket_id: int, reason: str, evidence, actor, client_ip=None) -> RectificationTicket:
    """The department appeals (申诉) a malicious or mistaken rating, with evidence checked by its
    content (a PDF, an image, an office document) before anything is stored."""
    reason = _required(reason, "reason", _("Give the grounds of the appeal."))
    if not evidence:
        raise ValidationError({"evidence": _("Attach the evidence.")})
    described = checked(evidence, actor=actor)
    ticket = _locked(ticket_id)
    apply_transition(ticket, "appeal", actor=actor, comment=reason, client_ip=client_ip)
    ticket.appeal_reason, ticket.appealed_at, ticket.appealed_by = reason, timezone.now(), actor
    ticket.appeal_evidence = described["file"]
    ticket.appeal_evidence_name = described["original_name"]
    ticket.appeal_evidence_content_type = described["content_type"]
    ticket.save(
        update_fields=[
            "state",
            "appeal_reason",
            "appealed_at",
            "appealed_by",
            "appeal_evidence",
            "appeal_evidence_name",
            "appeal_evidence_content_type",
            "updated_at",
        ]
    )
    return ticket


@transaction.atomic
def decide_appeal(
    *, ticket_id: int, uphold: bool, decision: str, actor, client_ip=None
) -> RectificationTicket:
    """A supervisor decides the appeal: upheld, the rating is set aside (``excluded``: it no longer
    counts) and the ticket voided; dismissed, the ticket is open again, its due date unchanged."""
    decision = _required(decision, "decision", _("Give the reasons for the decision."))
    ticket = _locked(ticket_id)
    name = "uphold_appeal" if uphold else "dismiss_appeal"
    apply_transition(ticket, name, actor=actor, comment=decision, client_ip=client_ip)
    ticket.appeal_decision, ticket.appeal_decided_at, ticket.appeal_decided_by = (
        decision,
        timezone.now(),
        actor,
    )
    ticket.save(
        update_fields=["state", "appeal_decision", "appeal_decided_at", "appeal_decided_by", "updated_at"]
    )
    if uphold:
        # updated_at moves with it: the figures' roll-up refreshes the rating's day.
        rating = Rating.objects.select_for_update().get(pk=ticket.rating_id)
        rating.excluded = True
        rating.save(update_fields=["excluded", "updated_at"])
        _resolve_escalation(ticket, actor=actor, note=decision)
    with translation.override(settings.LANGUAGE_CODE):
        outcome = _("upheld") if uphold else _("dismissed")
    _tell_handlers(ticket, APPEAL_DECIDED, decision=decision, outcome=str(outcome))
    return ticket


def follow_up_phone(ticket) -> str:
    """The number to call back: a 12345 caller's own, else the filing's number that hears of it."""
    rating = ticket.rating
    filing = rating.filing
    return rating.caller_phone or sms_number(filing) or filing.applicant_phone or filing.contact_phone


def show_follow_up_phone(ticket, *, viewer, client_ip=None) -> str:
    """The number in full, for the follow-up call: to the department's back office only, and every
    showing is logged (a disclosure of the applicant's personal data)."""
    if not holds_any_role(viewer, BACK_OFFICE_ROLES, department_id=ticket.department_id):
        raise PermissionDenied(_("Only the ticket's department calls the applicant back."))
    phone = follow_up_phone(ticket)
    if phone:
        record_disclosure(
            ticket,
            what="applicant_phone",
            purpose="rectification follow-up",
            viewer=viewer,
            client_ip=client_ip,
        )
    return phone
