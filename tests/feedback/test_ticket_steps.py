"""A rectification ticket's steps to closure: the department records the follow-up, the cause and the
measures and submits; a supervisor of the department or centre verifies (closes) or sends it back; no
one judges a rating of their own work; the appeal path sets a rating aside or reopens the ticket."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.core.errors import Conflict
from apps.feedback import tickets
from apps.feedback.models import FollowUpMethod, Level, Rating, RectificationTicket, TicketState
from apps.notifications.models import Outbox
from tests.factories import make_staff
from tests.factories.cases import MINIMAL_PDF
from tests.factories.feedback import rating, ticket

pytestmark = pytest.mark.django_db


@dataclass
class Desk:
    ticket: RectificationTicket
    approver: object
    supervisor: object  # the department's
    centre_supervisor: object
    clerk: object  # whose work was rated


@pytest.fixture
def desk():
    bad = rating(level=Level.DISSATISFIED)
    opened = tickets.open_ticket(bad)
    return Desk(
        ticket=opened,
        approver=make_staff(Role.APPROVER, department=bad.department),
        supervisor=make_staff(Role.SUPERVISOR, centre=bad.centre, department=bad.department),
        centre_supervisor=make_staff(Role.SUPERVISOR, centre=bad.centre),
        clerk=bad.staff,
    )


def follow_up(desk, **kw):
    values = {
        "ticket_id": desk.ticket.pk,
        "method": FollowUpMethod.PHONE,
        "followed_up_at": timezone.now(),
        "note": "申请人表示排队时间过长",
        "actor": desk.approver,
    }
    return tickets.record_follow_up(**{**values, **kw})


def rectify(desk):
    return tickets.record_rectification(
        ticket_id=desk.ticket.pk, cause="高峰期窗口不足", measures="增设高峰时段弹性窗口", actor=desk.approver
    )


def submitted(desk):
    follow_up(desk)
    rectify(desk)
    return tickets.submit_ticket(ticket_id=desk.ticket.pk, actor=desk.approver)


def steps(ticket) -> list[str]:
    return list(
        TransitionLog.objects.filter(object_id=str(ticket.pk), content_type__model="rectificationticket")
        .order_by("pk")
        .values_list("transition", flat=True)
    )


def test_the_department_rectifies_and_a_supervisor_closes(desk):
    submitted(desk)
    closed = tickets.verify_ticket(ticket_id=desk.ticket.pk, note="电话核实属实", actor=desk.supervisor)
    assert closed.state == TicketState.CLOSED
    assert closed.closed_by == desk.supervisor
    assert closed.follow_up_method == FollowUpMethod.PHONE
    assert closed.measures == "增设高峰时段弹性窗口"
    assert steps(closed) == ["opened", "follow_up", "rectify", "submit", "close"]


def test_submitting_names_what_is_missing(desk):
    with pytest.raises(ValidationError) as refused:
        tickets.submit_ticket(ticket_id=desk.ticket.pk, actor=desk.approver)
    assert set(refused.value.message_dict) == {"follow_up", "cause", "measures"}
    follow_up(desk)
    with pytest.raises(ValidationError) as refused:
        tickets.submit_ticket(ticket_id=desk.ticket.pk, actor=desk.approver)
    assert set(refused.value.message_dict) == {"cause", "measures"}
    rectify(desk)
    assert tickets.submit_ticket(ticket_id=desk.ticket.pk, actor=desk.approver).state == TicketState.SUBMITTED


def test_follow_up_fields_are_checked(desk):
    with pytest.raises(ValidationError) as refused:
        follow_up(desk, method="carrier-pigeon")
    assert "method" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        follow_up(desk, followed_up_at=timezone.now() + dt.timedelta(hours=1))
    assert "followed_up_at" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        follow_up(desk, note="  ")
    assert "note" in refused.value.message_dict


def test_only_the_departments_back_office_rectifies(desk):
    other_department = make_staff(Role.APPROVER, centre=desk.ticket.centre)
    with pytest.raises(PermissionDenied):
        follow_up(desk, actor=other_department)
    with pytest.raises(PermissionDenied):
        follow_up(desk, actor=desk.supervisor)
    decider = make_staff(Role.DECISION_MAKER, department=desk.ticket.department)
    assert follow_up(desk, actor=decider).followed_up_by == decider


def test_a_submitted_ticket_is_not_edited(desk):
    submitted(desk)
    with pytest.raises(Conflict):
        follow_up(desk)


def test_only_a_supervisor_of_the_department_or_centre_verifies(desk):
    submitted(desk)
    with pytest.raises(PermissionDenied):
        tickets.verify_ticket(ticket_id=desk.ticket.pk, note="好", actor=desk.approver)
    elsewhere = make_staff(Role.SUPERVISOR)  # another centre
    with pytest.raises(PermissionDenied):
        tickets.verify_ticket(ticket_id=desk.ticket.pk, note="好", actor=elsewhere)
    other_department = make_staff(
        Role.SUPERVISOR,
        centre=desk.ticket.centre,
        department=make_staff(Role.APPROVER, centre=desk.ticket.centre).memberships.get().department,
    )
    with pytest.raises(PermissionDenied):
        tickets.verify_ticket(ticket_id=desk.ticket.pk, note="好", actor=other_department)
    closed = tickets.verify_ticket(ticket_id=desk.ticket.pk, note="核实", actor=desk.centre_supervisor)
    assert closed.state == TicketState.CLOSED


def test_no_one_verifies_a_rating_of_their_own_work(desk):
    # The clerk whose visit was rated is also a supervisor of the centre.
    make_staff(Role.SUPERVISOR, centre=desk.ticket.centre, username=desk.clerk.username)
    desk.clerk.refresh_from_db()
    submitted(desk)
    with translation.override("en"):
        with pytest.raises(PermissionDenied) as refused:
            tickets.verify_ticket(ticket_id=desk.ticket.pk, note="核实", actor=desk.clerk)
        assert "own work" in str(refused.value)
    assert RectificationTicket.objects.get(pk=desk.ticket.pk).state == TicketState.SUBMITTED


def test_sent_back_it_is_open_again_due_as_before(desk):
    due = desk.ticket.due_on
    submitted(desk)
    back = tickets.send_back_ticket(ticket_id=desk.ticket.pk, note="回访记录不完整", actor=desk.supervisor)
    assert back.state == TicketState.OPEN
    assert back.due_on == due
    assert Outbox.objects.filter(event=tickets.SENT_BACK, user=desk.approver).exists()
    assert tickets.submit_ticket(ticket_id=desk.ticket.pk, actor=desk.approver).state == TicketState.SUBMITTED


def test_closing_twice_is_a_conflict(desk):
    submitted(desk)
    tickets.verify_ticket(ticket_id=desk.ticket.pk, note="核实", actor=desk.supervisor)
    with pytest.raises(Conflict):
        tickets.verify_ticket(ticket_id=desk.ticket.pk, note="核实", actor=desk.centre_supervisor)


def test_the_applicant_is_told_with_the_link_to_rate_again(desk):
    submitted(desk)
    tickets.verify_ticket(ticket_id=desk.ticket.pk, note="核实", actor=desk.supervisor)
    told = Outbox.objects.filter(event=tickets.CLOSED)
    assert told.exists()
    assert "/rate/" in told.first().context["rating_url"]
    # Sent by SMS too: a re-rating through it counts as the SMS channel.
    assert told.first().context["rating_url"].endswith("?via=sms")
    assert {row.channel for row in told} == {"sms"}  # a window applicant with no account: SMS


def appeal(desk, evidence=None):
    evidence = evidence or SimpleUploadedFile("录音说明.pdf", MINIMAL_PDF, content_type="application/pdf")
    return tickets.appeal_ticket(
        ticket_id=desk.ticket.pk, reason="评价人非本件申请人", evidence=evidence, actor=desk.approver
    )


def test_an_upheld_appeal_sets_the_rating_aside(desk):
    appealed = appeal(desk)
    assert appealed.state == TicketState.APPEALED
    assert appealed.appeal_evidence_content_type == "application/pdf"
    assert appealed.appeal_evidence_name == "录音说明.pdf"
    voided = tickets.decide_appeal(
        ticket_id=desk.ticket.pk, uphold=True, decision="录音证实系误评", actor=desk.supervisor
    )
    assert voided.state == TicketState.VOIDED
    assert Rating.objects.get(pk=desk.ticket.rating_id).excluded is True
    assert Outbox.objects.filter(event=tickets.APPEAL_DECIDED, user=desk.approver).exists()


def test_a_dismissed_appeal_reopens_the_ticket(desk):
    appeal(desk)
    reopened = tickets.decide_appeal(
        ticket_id=desk.ticket.pk, uphold=False, decision="证据不足", actor=desk.centre_supervisor
    )
    assert reopened.state == TicketState.OPEN
    assert Rating.objects.get(pk=desk.ticket.rating_id).excluded is False
    with pytest.raises(Conflict):  # appealed once, decided: the graph allows another appeal only from open
        tickets.decide_appeal(ticket_id=desk.ticket.pk, uphold=True, decision="再议", actor=desk.supervisor)


def test_evidence_is_checked_by_its_content(desk):
    fake = SimpleUploadedFile(
        "证据.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        appeal(desk, evidence=fake)
    assert RectificationTicket.objects.get(pk=desk.ticket.pk).state == TicketState.OPEN


def test_an_appeal_needs_grounds_and_evidence(desk):
    with pytest.raises(ValidationError) as refused:
        tickets.appeal_ticket(ticket_id=desk.ticket.pk, reason="", evidence=None, actor=desk.approver)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        tickets.appeal_ticket(ticket_id=desk.ticket.pk, reason="误评", evidence=None, actor=desk.approver)
    assert "evidence" in refused.value.message_dict


def test_only_handlers_appeal_and_only_supervisors_decide(desk):
    with pytest.raises(PermissionDenied):
        tickets.appeal_ticket(
            ticket_id=desk.ticket.pk,
            reason="误评",
            evidence=SimpleUploadedFile("a.pdf", MINIMAL_PDF),
            actor=desk.supervisor,
        )
    appeal(desk)
    with pytest.raises(PermissionDenied):
        tickets.decide_appeal(ticket_id=desk.ticket.pk, uphold=True, decision="自己裁决", actor=desk.approver)


def test_the_graph_offers_each_person_their_steps(desk):
    offered = {t.name for t in desk.ticket.get_available_user_state_transitions(desk.approver)}
    assert offered == {"follow_up", "rectify", "appeal"}  # submit waits for the three records
    assert not list(desk.ticket.get_available_user_state_transitions(desk.supervisor))
    submitted(desk)
    desk.ticket.refresh_from_db()
    assert not list(desk.ticket.get_available_user_state_transitions(desk.approver))
    assert {t.name for t in desk.ticket.get_available_user_state_transitions(desk.supervisor)} == {
        "close",
        "send_back",
    }


def test_a_direct_ticket_factory_row_goes_through_the_same_steps():
    bad = rating(level=Level.VERY_DISSATISFIED)
    row = ticket(bad, state=TicketState.SUBMITTED)
    supervisor = make_staff(Role.SUPERVISOR, centre=bad.centre)
    assert tickets.verify_ticket(ticket_id=row.pk, note="核实", actor=supervisor).state == TicketState.CLOSED
