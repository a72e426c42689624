"""A case's supervision page (desks:at_risk_case), where the list's rows and every anomaly finding's
"open" link land: a decided case says when it was decided and how late, not days overdue since; its
steps are the filing's and the case's, labelled, in time order; the open escalation is one click
from the escalations list; a refused note is said at its field with what was typed."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.models import Case
from apps.cases.review import services as review
from apps.worktime.warnings import WarningLevel
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import make_case
from tests.supervision.at_risk_world import SWEPT, build, on

pytestmark = pytest.mark.django_db

# November 2026 has no holiday nor make-up day: its working days are Monday to Friday.
MONDAY = dt.date(2026, 11, 2)


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 2, 0), tick=False)  # 10:00


@pytest.fixture
def hall():
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre, name="市场监管局")
    return {
        "department": department,
        "supervisor": make_staff(Role.SUPERVISOR, centre=centre, full_name="督查中心"),
        "approver": make_staff(Role.APPROVER, department=department, full_name="李审"),
    }


def decided(hall, *, limit: int, on: dt.date):
    with at(MONDAY):
        case = make_case(department=hall["department"], promised_limit_days=limit)
    with at(on):
        review.claim(case_id=case.pk, actor=hall["approver"])
        review.decide(
            case_id=case.pk, actor=hall["approver"], outcome="approve", holder="张三", scope="食品销售"
        )
    case.refresh_from_db()
    return case


def page(client, hall, case, day):
    client.force_login(hall["supervisor"])
    with at(day):
        response = client.get(reverse("desks:at_risk_case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_case_decided_on_time_says_so_weeks_after_its_due_date(client, hall, english):
    case = decided(hall, limit=5, on=dt.date(2026, 11, 4))  # Wednesday
    assert case.clock.due_on == dt.date(2026, 11, 9)  # 3, 4, 5, 6, 9 November
    html = page(client, hall, case, dt.date(2026, 11, 26))
    assert "2026-11-04 · decided on time" in html
    assert "overdue" not in html and "days left" not in html
    assert 'data-testid="held-by"' not in html


def test_a_case_decided_late_says_by_how_many_working_days_then(client, hall, english):
    case = decided(hall, limit=1, on=dt.date(2026, 11, 9))  # the Monday after
    assert case.clock.due_on == dt.date(2026, 11, 3)
    Case.objects.filter(pk=case.pk).update(warning=WarningLevel.OVERDUE)  # as the sweep left it
    # Late by 4, 5, 6 and 9 November: the weekend between is no working day, nor are the days since.
    html = page(client, hall, case, dt.date(2026, 11, 26))
    assert "2026-11-09 · decided 4 working days late" in html
    assert "overdue" not in html and 'data-testid="held-by"' not in html
    assert 'data-testid="case-level"' not in html  # the sweep's last badge is no longer the case's


def test_an_open_case_counts_to_today_and_says_who_holds_it(client, hall, english):
    with at(MONDAY):
        case = make_case(department=hall["department"], promised_limit_days=1)  # due Tuesday 3rd
    html = page(client, hall, case, dt.date(2026, 11, 6))  # Friday: 4, 5, 6 November past it
    assert "Working days overdue: 3" in html
    assert 'data-testid="held-by"' in html and 'data-testid="stopped-on"' not in html


def steps_of(html: str) -> list[str]:
    """The labels of the Steps list, in the page's order."""
    return re.findall(r'<span data-testid="step-label">([^<]*)</span>', html)


def test_a_case_accepted_today_shows_how_its_filing_came(client, hall, english):
    with at(MONDAY):
        case = make_case(department=hall["department"], promised_limit_days=5)
    html = page(client, hall, case, MONDAY)
    # The filing's own steps, labelled: the case itself has none yet.
    assert steps_of(html)[0] == "Opened" and steps_of(html)[-1] == "Accepted"
    assert "case-history-empty" not in html


def test_the_filings_steps_and_the_cases_in_time_order(client, hall, english):
    case = decided(hall, limit=5, on=dt.date(2026, 11, 4))
    labels = steps_of(page(client, hall, case, dt.date(2026, 11, 26)))
    assert labels[0] == "Opened"
    assert labels.index("Accepted") < labels.index("Claimed") < labels.index("Approved")
    # The filing's step that followed the decision comes after it.
    assert labels[-1] == "Every case decided: ready for issue"
    assert not {"open", "accept", "claim", "approve"} & set(labels)  # words, not the log's codes


def test_the_open_escalation_is_one_click_from_its_row_on_the_escalations_list(client):
    world = build(limits_x=(5,), limits_y=(), limit_z=0, decided=False)
    case = world.cases["x5"]
    with on(SWEPT):
        escalation = review.escalate_early(case_id=case.pk, actor=world.centre_supervisor, note="请说明进度")
    client.force_login(world.centre_supervisor)
    with on(SWEPT):
        html = client.get(reverse("desks:at_risk_case", args=[case.pk])).content.decode()
    [href] = re.findall(r'<a href="([^"]*)" data-testid="escalation-followed">', html)
    address, anchor = unescape(href).split("#")
    assert anchor == f"escalation-{escalation.pk}"
    with on(SWEPT):
        listed = client.get(address)
    assert listed.status_code == 200
    assert f'<tr id="{anchor}"' in listed.content.decode()


def test_a_blank_note_is_said_at_its_field_keeping_what_was_typed(client, english):
    world = build(limits_x=(5,), limits_y=(), limit_z=0, decided=False)
    case = world.cases["x5"]
    client.force_login(world.centre_supervisor)
    with on(SWEPT):
        shown = client.get(reverse("desks:at_risk_case", args=[case.pk])).content.decode()
        # The browser asks for the note before sending (spaces only still pass it: the server's).
        assert re.search(r"<textarea[^>]* required", shown)
        response = client.post(reverse("desks:at_risk_escalate", args=[case.pk]), {"note": "   \n  "})
    assert response.status_code == 400
    html = response.content.decode()
    form = html.split('data-testid="escalate-form"', 1)[1].split("</form>", 1)[0]
    assert "This field is required." in form  # at the field, in the form
    assert re.search(r'<textarea[^>]*aria-invalid="true"', form)
    assert 'class="messages' not in html and "Why escalate: This field is required." not in html
    assert not case.escalations.exists()
    # Too long: the text typed comes back in the field to be shortened, not lost.
    with on(SWEPT):
        typed = "请说明进度" * 2000
        response = client.post(reverse("desks:at_risk_escalate", args=[case.pk]), {"note": typed})
    assert response.status_code == 400
    assert f">\n{typed}</textarea>" in response.content.decode()
