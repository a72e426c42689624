"""Early escalation (提前督办): a supervisor escalates an open case at risk before the sweep would, with
a note — one open escalation per case (the sweep opens no second one), logged in the case's history,
the department's supervisors and the case's holder told; refused outside the scope, for a case no
longer open or not at risk, without a note, or when one is open already (naming it). The desk's
form and the API call the same service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases.models import Escalation
from apps.cases.review import services
from apps.cases.sweeps import run_all
from apps.core.errors import Conflict
from apps.notifications.models import Outbox
from apps.notifications.services import render
from tests.factories import make_staff
from tests.supervision.at_risk_world import SWEPT, build, on

pytestmark = pytest.mark.django_db

NEXT_WORKING_DAY = dt.date(2026, 10, 10)  # a make-up Saturday: the red 5-day cases are overdue


@pytest.fixture
def world():
    # x1 overdue (the sweep escalated it), x5 red (claimed by the approver), x7 yellow, x15 on time;
    # y5 red in the other department; x_decided decided.
    return build(limits_x=(1, 5, 7, 15), limits_y=(5,), limit_z=0)


def escalate(world, name, *, by=None, note="申请人多次来电催办，请部门说明进度"):
    with on(SWEPT):
        return services.escalate_early(
            case_id=world.cases[name].pk, actor=by or world.centre_supervisor, note=note
        )


def test_a_red_case_is_escalated_with_its_note_logged_and_told(world):
    y_approver = make_staff(Role.APPROVER, department=world.x)  # another of x's back office
    escalation = escalate(world, "x5")
    case = world.cases["x5"]
    escalation.refresh_from_db()
    assert (escalation.case, escalation.reason, escalation.level, escalation.state) == (
        case,
        "raised_early",
        "department",
        "open",
    )
    assert (escalation.opened_by, escalation.note, escalation.opened_on) == (
        world.centre_supervisor,
        "申请人多次来电催办，请部门说明进度",
        SWEPT,
    )
    [step] = [h for h in history_of(case) if h.transition == "escalated_early"]
    assert (step.actor, step.comment) == (world.centre_supervisor, escalation.note)
    # x has no department supervisor: the centre's are told — but not the one who escalated — and
    # the approver who holds the case; not x's other approvers (the case is held).
    told = set(Outbox.objects.filter(event="escalated_early").values_list("user_id", flat=True))
    assert told == {world.approver_x.pk}
    assert y_approver.pk not in told
    # In the words of its template (cases 0020), naming the case, its due date and the note.
    [message] = Outbox.objects.filter(event="escalated_early")
    subject, body = render("escalated_early", message.language, message.context)
    assert subject == "督办：办件临近期限"
    assert case.filing.number in body and "2026-10-09" in body and escalation.note in body


def test_a_queued_case_tells_the_departments_supervisors_and_back_office(world):
    escalate(world, "y5")
    told = set(Outbox.objects.filter(event="escalated_early").values_list("user_id", flat=True))
    # y's own supervisor (not the centre's: the department has one); the queued case's back office
    # is y's approvers — none planted beyond the factory's own, so only the supervisor here.
    assert world.y_supervisor.pk in told and world.centre_supervisor.pk not in told


def test_a_note_is_required_naming_the_field(world):
    with pytest.raises(ValidationError) as refused:
        escalate(world, "x5", note="   ")
    assert "note" in refused.value.message_dict
    assert not Escalation.objects.filter(case=world.cases["x5"]).exists()


def test_a_second_escalation_is_refused_naming_the_open_one(world):
    escalate(world, "x5")
    with pytest.raises(Conflict) as refused:
        escalate(world, "x5", by=world.centre_supervisor)
    assert SWEPT.isoformat() in refused.value.message
    # The sweep's own escalation of an overdue case counts as the open one too.
    with pytest.raises(Conflict):
        escalate(world, "x1")
    assert Escalation.objects.filter(case=world.cases["x5"], resolved_at__isnull=True).count() == 1


def test_a_case_not_open_or_not_at_risk_is_refused(world):
    with pytest.raises(Conflict):
        escalate(world, "x_decided")
    with pytest.raises(Conflict):
        escalate(world, "x15")
    assert not Escalation.objects.filter(case__in=[world.cases["x_decided"], world.cases["x15"]]).filter(
        resolved_at__isnull=True
    )


def test_outside_the_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        escalate(world, "x5", by=world.y_supervisor)
    with pytest.raises(PermissionDenied):
        escalate(world, "x5", by=world.other_supervisor)
    with pytest.raises(PermissionDenied):
        escalate(world, "x5", by=world.approver_x)


def test_the_sweep_opens_no_second_escalation_when_the_case_goes_overdue(world):
    early = escalate(world, "x5")
    with on(NEXT_WORKING_DAY):
        changes = run_all()
    case = world.cases["x5"]
    case.refresh_from_db()
    assert case.warning == "overdue"
    assert list(Escalation.objects.filter(case=case)) == [early]
    # The sweep did run: it escalated the other red case gone overdue (y5), and that one only.
    swept = Escalation.objects.filter(reason="overdue", opened_on=NEXT_WORKING_DAY)
    assert changes["escalations_opened"] == 1
    assert list(swept.values_list("case_id", flat=True)) == [world.cases["y5"].pk]


def test_the_desk_form_escalates_and_says_what_is_wrong(world, client, english):
    client.force_login(world.centre_supervisor)
    url = reverse("desks:at_risk_escalate", args=[world.cases["x7"].pk])
    with on(SWEPT):
        response = client.post(url, {"note": ""}, follow=True)
        assert "Why escalate" in response.content.decode()
        assert not Escalation.objects.filter(case=world.cases["x7"]).exists()
        response = client.post(url, {"note": "请说明进度"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Escalated early by a supervisor" in html and "请说明进度" in html
    assert 'data-testid="escalate-form"' not in html and 'data-testid="escalated-already"' in html
    assert Escalation.objects.get(case=world.cases["x7"]).reason == "raised_early"
    # Another scope's case: not found, nothing done.
    client.force_login(world.y_supervisor)
    with on(SWEPT):
        assert client.post(url, {"note": "x"}).status_code == 404


def test_the_api_escalates_and_refuses_as_the_issue_says(world, client):
    client.force_login(world.centre_supervisor)
    url = reverse("case_escalate", args=[world.cases["x5"].pk])
    with on(SWEPT):
        assert client.post(url, {}, content_type="application/json").json().keys() == {"note"}
        created = client.post(url, {"note": "请说明"}, content_type="application/json")
        assert created.status_code == 201, created.content
        assert created.json()["reason"] == "raised_early" and created.json()["note"] == "请说明"
        again = client.post(url, {"note": "再次"}, content_type="application/json")
        assert again.status_code == 409 and SWEPT.isoformat() in again.json()["detail"]
        decided = reverse("case_escalate", args=[world.cases["x_decided"].pk])
        assert client.post(decided, {"note": "x"}, content_type="application/json").status_code == 409
        client.force_login(world.y_supervisor)
        assert client.post(url, {"note": "x"}, content_type="application/json").status_code == 404
        client.force_login(world.approver_x)
        assert client.post(url, {"note": "x"}, content_type="application/json").status_code == 403


def test_every_history_labels_the_early_escalation(world, client, english):
    """CASE_STEPS names the step, so the approval desk's history (not only the supervisor's page)
    says it in words rather than its code."""
    escalate(world, "x5", note="请当日办结")
    client.force_login(world.approver_x)
    with on(SWEPT):
        response = client.get(reverse("desks:backoffice_case", args=[world.cases["x5"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Escalated early" in html
    assert "escalated_early" not in html


def test_the_escalations_list_opens_the_case_and_says_why_and_who_escalated_early(world, client):
    escalate(world, "x7", note="申请人多次来电催办")
    client.force_login(world.centre_supervisor)
    with on(SWEPT):
        html = client.get(reverse("desks:supervision")).content.decode()
    early = Escalation.objects.get(case=world.cases["x7"])
    row = html.split(f'<tr id="escalation-{early.pk}"', 1)[1].split("</tr>", 1)[0]
    case_page = reverse("desks:at_risk_case", args=[world.cases["x7"].pk])
    link = f'<a href="{case_page}" data-testid="escalation-case">'
    assert link + world.cases["x7"].filing.number in row
    assert "督查中心: 申请人多次来电催办" in row
    # The sweep's escalation of the overdue case opens its case page too; it has no note of a person.
    swept = Escalation.objects.get(case=world.cases["x1"])
    row = html.split(f'<tr id="escalation-{swept.pk}"', 1)[1].split("</tr>", 1)[0]
    assert reverse("desks:at_risk_case", args=[world.cases["x1"].pk]) in row
    assert 'data-testid="escalation-note"' not in row


def test_the_escalations_list_reads_who_escalated_early_with_the_rows(
    world, client, django_assert_max_num_queries
):
    # One early escalation, then two more by two other supervisors: the list asks no more of the
    # database for them (who raised each is read with the rows).
    escalate(world, "x7")
    client.force_login(world.centre_supervisor)
    with on(SWEPT), django_assert_max_num_queries(100) as one:
        client.get(reverse("desks:supervision"))
    for name in ("x5", "y5"):
        other = make_staff(Role.SUPERVISOR, centre=world.centre_supervisor.memberships.first().centre)
        escalate(world, name, by=other)
    with on(SWEPT), django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse("desks:supervision")).content.decode()
    assert html.count('data-testid="escalation-note"') == 3
