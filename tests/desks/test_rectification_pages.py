"""The rectification pages: the department's list and ticket page on the approval desk, the
supervisors' on the supervision desk; steps offered from the ticket's graph and posted through the
desk's actions; the phone in full and the evidence logged; the approval desk's summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.audit.models import DisclosureLog
from apps.feedback import tickets
from apps.feedback.models import FollowUpMethod, Level, RectificationTicket, TicketState
from tests.factories import make_staff
from tests.factories.cases import MINIMAL_PDF
from tests.factories.feedback import rating, ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened():
    return tickets.open_ticket(rating(level=Level.DISSATISFIED, comment="排队一小时"))


@pytest.fixture
def approver(opened):
    return make_staff(Role.APPROVER, department=opened.department)


@pytest.fixture
def supervisor(opened):
    return make_staff(Role.SUPERVISOR, centre=opened.centre)


def as_user(client, user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def page_of(client, ticket_):
    response = client.get(reverse("desks:rectification_ticket", args=[ticket_.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_approver_lists_their_departments_tickets(client, opened, approver):
    other = ticket(rating(level=Level.DISSATISFIED))  # another centre's department
    as_user(client, approver)
    page = client.get(reverse("desks:rectification_tickets")).content.decode()
    assert f'data-testid="ticket-{opened.pk}"' in page
    assert f'data-testid="ticket-{other.pk}"' not in page
    assert 'data-desk="backoffice"' in page
    assert client.get(reverse("desks:rectification_ticket", args=[other.pk])).status_code == 404


def test_the_supervisors_list_is_a_section_of_the_supervision_desk(client, opened, supervisor):
    as_user(client, supervisor)
    page = client.get(reverse("desks:rectification_tickets")).content.decode()
    assert f'data-testid="ticket-{opened.pk}"' in page
    assert 'data-desk="supervision"' in page
    assert f'href="{reverse("desks:rectification_tickets")}" aria-current="page"' in page


def test_others_get_no_list(client, opened):
    as_user(client, make_staff(Role.CLERK, centre=opened.centre))
    assert client.get(reverse("desks:rectification_tickets")).status_code == 403


def test_overdue_tickets_are_marked_and_filtered(client, opened, approver):
    late = ticket(
        rating(level=Level.DISSATISFIED, filing=None), due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    RectificationTicket.objects.filter(pk=late.pk).update(department=opened.department, centre=opened.centre)
    as_user(client, approver)
    page = client.get(reverse("desks:rectification_tickets"), {"overdue": "1"}).content.decode()
    assert f'data-testid="ticket-{late.pk}"' in page
    assert f'data-testid="ticket-{opened.pk}"' not in page
    assert 'data-testid="overdue"' in page


def test_the_approver_is_offered_the_departments_steps(client, opened, approver):
    page = page_of(as_user(client, approver), opened)
    for step in ("follow_up", "rectify", "appeal"):
        assert f'data-testid="action-{step}"' in page
    assert 'data-testid="action-submit"' not in page
    assert 'data-testid="submit-waits"' in page  # why not yet, in the graph's words
    assert 'data-testid="action-close"' not in page


def test_the_department_rectifies_on_the_page_and_a_supervisor_closes(client, opened, approver, supervisor):
    as_user(client, approver)
    act = lambda name: reverse("desks:rectification_act", args=[opened.pk, name])  # noqa: E731
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(act("follow_up"), {"method": FollowUpMethod.PHONE, "followed_up_at": now, "note": "已致歉"})
    client.post(act("rectify"), {"cause": "窗口不足", "measures": "增设窗口"})
    page = page_of(client, opened)
    assert 'data-testid="action-submit"' in page
    client.post(act("submit"))
    opened.refresh_from_db()
    assert opened.state == TicketState.SUBMITTED

    as_user(client, supervisor)
    page = page_of(client, opened)
    assert 'data-testid="action-close"' in page and 'data-testid="action-send_back"' in page
    response = client.post(act("close"), {"note": "已电话核实"}, follow=True)
    assert "the ticket is closed" in response.content.decode()
    opened.refresh_from_db()
    assert opened.state == TicketState.CLOSED


def test_a_step_not_offered_is_refused_and_nothing_done(client, opened, approver):
    as_user(client, approver)
    response = client.post(
        reverse("desks:rectification_act", args=[opened.pk, "close"]), {"note": "自己关"}, follow=True
    )
    assert "supervisor" in response.content.decode()
    opened.refresh_from_db()
    assert opened.state == TicketState.OPEN


def test_a_missing_field_is_named(client, opened, approver):
    as_user(client, approver)
    response = client.post(
        reverse("desks:rectification_act", args=[opened.pk, "rectify"]),
        {"cause": "", "measures": "x"},
        follow=True,
    )
    assert "Cause:" in response.content.decode()


def test_the_phone_in_full_is_for_the_department_and_logged(client, opened, approver, supervisor):
    phone = opened.rating.filing.applicant_phone
    page = page_of(as_user(client, approver), opened)
    assert phone not in page
    assert 'data-testid="show-phone"' in page
    shown = client.get(reverse("desks:rectification_ticket", args=[opened.pk]), {"show": "phone"})
    assert phone in shown.content.decode()
    assert DisclosureLog.objects.filter(what="applicant_phone", viewer=approver).count() == 1
    sup = client.get(reverse("desks:rectification_ticket", args=[opened.pk]), {"show": "phone"})
    as_user(client, supervisor)
    sup = client.get(reverse("desks:rectification_ticket", args=[opened.pk]), {"show": "phone"})
    assert phone not in sup.content.decode()


def test_the_evidence_is_served_to_the_ticket_only_and_logged(client, opened, approver, supervisor):
    tickets.appeal_ticket(
        ticket_id=opened.pk,
        reason="误评",
        evidence=SimpleUploadedFile("证据.pdf", MINIMAL_PDF),
        actor=approver,
    )
    as_user(client, supervisor)
    page = page_of(client, opened)
    assert 'data-testid="action-uphold_appeal"' in page and 'data-testid="action-dismiss_appeal"' in page
    response = client.get(reverse("desks:rectification_evidence", args=[opened.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert DisclosureLog.objects.filter(what="appeal_evidence", viewer=supervisor).exists()
    as_user(client, make_staff(Role.SUPERVISOR))  # another centre's
    assert client.get(reverse("desks:rectification_evidence", args=[opened.pk])).status_code == 404


def test_the_approval_desk_says_how_many_are_open_and_near_or_past_due(client, opened, approver):
    late = ticket(opened.rating.__class__.objects.get(pk=opened.rating_id), state=TicketState.CLOSED)
    assert late  # a closed one does not count
    overdue = ticket(rating(level=Level.DISSATISFIED), due_on=timezone.localdate() - dt.timedelta(days=1))
    RectificationTicket.objects.filter(pk=overdue.pk).update(department=opened.department)
    as_user(client, approver)
    desk = client.get(reverse("desks:backoffice")).content.decode()
    assert reverse("desks:rectification_summary") in desk
    summary = client.get(reverse("desks:rectification_summary")).content.decode()
    assert 'data-testid="open-tickets">2<' in summary
    assert 'data-testid="overdue-tickets"' in summary
    assert reverse("desks:rectification_ticket", args=[overdue.pk]) in summary


def test_the_list_reads_a_constant_number_of_queries(client, opened, approver, django_assert_max_num_queries):
    as_user(client, approver)
    url = reverse("desks:rectification_tickets")
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for _ in range(5):
        extra = ticket(rating(level=Level.DISSATISFIED))
        RectificationTicket.objects.filter(pk=extra.pk).update(department=opened.department)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_page_follows_the_graph_not_the_template(client, opened, approver, monkeypatch):
    """A permission that refuses everyone takes the step's form off the page (as a future rule would)."""
    as_user(client, approver)
    assert 'data-testid="action-appeal"' in page_of(client, opened)
    for transition in RectificationTicket.appeal._django_fsm.transitions.values():
        monkeypatch.setattr(transition, "permission", lambda ticket, user: False)
    shown = page_of(client, opened)
    assert 'data-testid="action-appeal"' not in shown
    assert 'data-testid="action-follow_up"' in shown
