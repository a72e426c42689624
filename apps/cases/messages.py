"""Who hears about a filing's events, through the notifications outbox (in the event's transaction).

The applicant: their citizen account (in-site message) and a mobile number of the filing (SMS:
``sms_number``). Supervisors:
their accounts. The wording is in the editable message templates (``notifications.MessageTemplate``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role
from apps.cases.codes import ApplicantKind
from apps.cases.models import EscalationLevel
from apps.notifications.phones import first_mobile
from apps.notifications.services import Message, Recipient, notify, notify_all


def _concerns(filing) -> str:
    return f"cases.filing:{filing.pk}"


def sms_number(filing) -> str:
    """The mobile number that hears about a filing: a person's own, else the contact's, else the
    agent's; an organisation's own phone only if it is a mobile. A landline is never texted."""
    if filing.applicant_kind == ApplicantKind.PERSON:
        return first_mobile(filing.applicant_phone, filing.contact_phone, filing.agent_phone)
    return first_mobile(filing.contact_phone, filing.agent_phone, filing.applicant_phone)


def tell_applicant(filing, event: str, **context) -> None:
    recipient = Recipient(user_id=filing.citizen_id, phone=sms_number(filing))
    if not (recipient.user_id or recipient.phone):
        return
    notify(
        event,
        [recipient],
        context={"filing_number": filing.number, "applicant": filing.applicant_name, **context},
        concerns=_concerns(filing),
    )


def reason_text(escalation) -> str:
    """Why the escalation was opened, in words a message prints (``Overdue``, not ``overdue``), in the
    hall's language: the outbox renders every message in it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(escalation.get_reason_display())


def about_case(escalation) -> tuple[dict, str]:
    """A case's escalation in a supervisor's message: its words, and what it concerns."""
    context = {
        "filing_number": escalation.case.filing.number,
        "item": escalation.case.item.name,
        "department": escalation.department.name,
        "reason": reason_text(escalation),
    }
    return context, f"cases.case:{escalation.case_id}"


def tell_supervisors(event: str, escalations, *, describe=about_case) -> None:
    """Each escalation to the supervisors it is addressed to: its department's, or the centre's
    once raised (escalations need ``department`` loaded, and what ``describe`` reads: for a case's,
    ``case__filing`` and ``case__item``). ``describe(escalation) -> (context, concerns)`` words an
    escalation of another subject (the app that escalates it knows what it is; cases does not)."""
    escalations = list(escalations)
    if not escalations:
        return
    departments = {e.department_id for e in escalations}
    centres = {e.department.centre_id for e in escalations}
    supervisors = StaffMembership.objects.filter(role=Role.SUPERVISOR, centre_id__in=centres).values_list(
        "user_id", "centre_id", "department_id"
    )
    by_department, by_centre = {}, {}
    for user_id, centre_id, department_id in supervisors:
        if department_id is None:
            by_centre.setdefault(centre_id, set()).add(user_id)
        elif department_id in departments:
            by_department.setdefault(department_id, set()).add(user_id)
    messages = []
    for e in escalations:
        if e.level == EscalationLevel.DEPARTMENT:
            users = by_department.get(e.department_id) or by_centre.get(e.department.centre_id, set())
        else:
            users = by_centre.get(e.department.centre_id, set())
        context, concerns = describe(e)
        recipients = [Recipient(user_id=user_id) for user_id in sorted(users)]
        messages.append(Message(event, recipients, context, concerns))
    notify_all(messages)
