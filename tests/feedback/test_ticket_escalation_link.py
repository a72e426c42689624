"""A ticket past its due date is escalated (督办, the sweep's); closing it, or upholding its appeal,
resolves that escalation in the same transaction."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.roles import Role
from apps.cases.models import Escalation
from apps.feedback import tickets
from apps.feedback.escalation import escalations_of_ticket
from apps.feedback.models import Level, TicketState
from apps.feedback.sweeps import escalate_overdue_tickets
from tests.factories import make_staff
from tests.factories.cases import MINIMAL_PDF
from tests.factories.feedback import rating, ticket

pytestmark = pytest.mark.django_db


def overdue(state=TicketState.SUBMITTED, **fields):
    late = ticket(
        rating(level=Level.DISSATISFIED),
        state=state,
        due_on=timezone.localdate() - dt.timedelta(days=3),
        **fields,
    )
    escalate_overdue_tickets()
    [escalation] = escalations_of_ticket(late.pk)
    assert escalation.is_open
    return late, escalation


def test_closing_an_overdue_ticket_resolves_its_escalation():
    late, escalation = overdue(cause="窗口不足", measures="增设窗口")
    supervisor = make_staff(Role.SUPERVISOR, centre=late.centre)
    tickets.verify_ticket(ticket_id=late.pk, note="整改到位", actor=supervisor)
    escalation = Escalation.objects.get(pk=escalation.pk)
    assert not escalation.is_open
    assert escalation.resolved_by == supervisor
    assert escalation.resolution == "整改到位"


def test_an_upheld_appeal_resolves_it_and_a_dismissed_one_does_not():
    late, escalation = overdue(state=TicketState.OPEN)
    approver = make_staff(Role.APPROVER, department=late.department)
    supervisor = make_staff(Role.SUPERVISOR, centre=late.centre)
    evidence = SimpleUploadedFile("证据.pdf", MINIMAL_PDF)
    tickets.appeal_ticket(ticket_id=late.pk, reason="误评", evidence=evidence, actor=approver)
    tickets.decide_appeal(ticket_id=late.pk, uphold=False, decision="证据不足", actor=supervisor)
    assert Escalation.objects.get(pk=escalation.pk).is_open  # open again, still late
    evidence = SimpleUploadedFile("证据2.pdf", MINIMAL_PDF)
    tickets.appeal_ticket(ticket_id=late.pk, reason="补充证据", evidence=evidence, actor=approver)
    tickets.decide_appeal(ticket_id=late.pk, uphold=True, decision="录音证实误评", actor=supervisor)
    assert not Escalation.objects.get(pk=escalation.pk).is_open


def test_sending_back_keeps_the_escalation_open():
    late, escalation = overdue(cause="窗口不足", measures="增设窗口")
    supervisor = make_staff(Role.SUPERVISOR, centre=late.centre)
    tickets.send_back_ticket(ticket_id=late.pk, note="措施不具体", actor=supervisor)
    assert Escalation.objects.get(pk=escalation.pk).is_open
