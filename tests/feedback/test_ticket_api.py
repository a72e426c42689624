"""The rectification tickets' API: the same services as the desks, scoped by the same selectors (a
ticket not the user's is a 404), refusals as 400 (naming the field) / 403 / 409."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.audit.models import DisclosureLog
from apps.feedback import tickets
from apps.feedback.models import Level, RectificationTicket, TicketState
from tests.factories import make_staff
from tests.factories.cases import MINIMAL_PDF
from tests.factories.feedback import rating, ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened():
    return tickets.open_ticket(rating(level=Level.DISSATISFIED))


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(name, ticket_=None):
    if ticket_ is None:
        return reverse(f"rectification-ticket-{name}")
    return reverse(f"rectification-ticket-{name}", args=[ticket_.pk])


def test_the_department_walks_a_ticket_to_submission_and_a_supervisor_closes_it(opened):
    approver = make_staff(Role.APPROVER, department=opened.department)
    client = api(approver)
    listed = client.get(url("list")).json()
    assert [row["id"] for row in listed["results"]] == [opened.pk]
    assert listed["results"][0]["applicant"].endswith("*")
    detail = client.get(url("detail", opened)).json()
    assert set(detail["actions"]) == {"follow_up", "rectify", "appeal"}

    missing = client.post(url("submit", opened))
    assert missing.status_code == 400
    assert set(missing.json()) == {"follow_up", "cause", "measures"}

    body = {"method": "phone", "followed_up_at": timezone.now().isoformat(), "note": "已回访致歉"}
    assert client.post(url("follow-up", opened), body, format="json").status_code == 200
    body = {"cause": "高峰期窗口不足", "measures": "增设弹性窗口"}
    assert client.post(url("rectification", opened), body, format="json").status_code == 200
    submitted = client.post(url("submit", opened))
    assert submitted.status_code == 200 and submitted.json()["state"] == TicketState.SUBMITTED

    supervisor = make_staff(Role.SUPERVISOR, centre=opened.centre)
    assert client.post(url("verify", opened), {"note": "自己核实"}, format="json").status_code == 403
    closed = api(supervisor).post(url("verify", opened), {"note": "核实属实"}, format="json")
    assert closed.status_code == 200 and closed.json()["state"] == TicketState.CLOSED
    again = api(supervisor).post(url("verify", opened), {"note": "再核实"}, format="json")
    assert again.status_code == 409


def test_another_departments_ticket_is_not_found(opened):
    stranger = make_staff(Role.APPROVER, centre=opened.centre)
    client = api(stranger)
    assert client.get(url("detail", opened)).status_code == 404
    assert client.post(url("submit", opened)).status_code == 404
    assert client.get(url("list")).json()["results"] == []
    # A role without the back office or the supervision desk is refused before any ticket is read.
    clerk = make_staff(Role.CLERK, centre=opened.centre)
    assert api(clerk).get(url("detail", opened)).status_code == 403


def test_the_appeal_path_with_evidence(opened):
    approver = make_staff(Role.APPROVER, department=opened.department)
    evidence = SimpleUploadedFile("证据.pdf", MINIMAL_PDF, content_type="application/pdf")
    appealed = api(approver).post(
        url("appeal", opened), {"reason": "非本人评价", "evidence": evidence}, format="multipart"
    )
    assert appealed.status_code == 200, appealed.content
    assert appealed.json()["state"] == TicketState.APPEALED and appealed.json()["has_evidence"]
    supervisor = make_staff(Role.SUPERVISOR, centre=opened.centre, department=opened.department)
    download = api(supervisor).get(url("evidence", opened))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert DisclosureLog.objects.filter(what="appeal_evidence", viewer=supervisor).exists()
    decided = api(supervisor).post(
        url("decide-appeal", opened), {"uphold": True, "decision": "证据属实"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["state"] == TicketState.VOIDED
    opened.rating.refresh_from_db()
    assert opened.rating.excluded


def test_a_fake_evidence_file_is_refused_naming_it(opened):
    approver = make_staff(Role.APPROVER, department=opened.department)
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = api(approver).post(
        url("appeal", opened), {"reason": "误评", "evidence": fake}, format="multipart"
    )
    assert refused.status_code == 400
    assert "证据.pdf" in refused.content.decode()
    assert RectificationTicket.objects.get(pk=opened.pk).state == TicketState.OPEN


def test_the_list_filters_and_reads_constant_queries(opened, django_assert_max_num_queries):
    supervisor = make_staff(Role.SUPERVISOR, centre=opened.centre)
    client = api(supervisor)
    with django_assert_max_num_queries(20) as one:
        assert client.get(url("list"), {"scope": "supervising"}).status_code == 200
    for _ in range(4):
        extra = ticket(rating(level=Level.DISSATISFIED))
        RectificationTicket.objects.filter(pk=extra.pk).update(
            centre=opened.centre, department=opened.department
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        rows = client.get(url("list"), {"scope": "supervising"}).json()["results"]
    assert len(rows) == 5
    assert client.get(url("list"), {"tab": "closed"}).json()["results"] == []
    assert client.get(url("list"), {"tab": "nonsense"}).status_code == 400
