"""An overdue rectification ticket on the supervision desk, through a real Chromium: the sweep has
escalated it (督办); its department's supervisor sees it among the escalations with the ticket's
department and due date, acknowledges it, and follows its link to the ticket's page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases.models import EscalationState
from apps.feedback import sweeps
from apps.feedback.escalation import escalations_of_ticket
from apps.feedback.models import Level
from tests.e2e.staff_login import log_in
from tests.factories import make_staff
from tests.factories.feedback import rating, ticket


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_sees_acknowledges_and_opens_an_overdue_ticket(live_server, page, shot, axe):
    due = timezone.localdate() - dt.timedelta(days=3)
    late = ticket(rating(level=Level.DISSATISFIED), due_on=due)
    supervisor = make_staff(Role.SUPERVISOR, centre=late.centre, department=late.department)
    assert sweeps.run()["rectifications_escalated"] == 1

    log_in(page, live_server, supervisor)
    expect(page.get_by_role("heading", level=1)).to_have_text("督办台")
    page.get_by_role("button", name="English").click()

    row = (
        page.get_by_test_id("escalations")
        .get_by_role("row")
        .filter(has=page.get_by_test_id("escalation-subject"))
    )
    expect(row).to_contain_text(late.department.name)
    expect(row).to_contain_text(due.isoformat())
    expect(row).to_contain_text("Rectification overdue")
    shot(page, "escalated")
    axe(page, "supervision desk with a ticket's escalation")

    row.get_by_label("What will be done").fill("已约谈科室负责人")
    row.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_be_visible()
    row = (
        page.get_by_test_id("escalations")
        .get_by_role("row")
        .filter(has=page.get_by_test_id("escalation-subject"))
    )
    expect(row).to_contain_text("已约谈科室负责人")
    assert escalations_of_ticket(late.pk).get().state == EscalationState.ACKNOWLEDGED
    shot(page, "acknowledged")

    row.get_by_test_id("escalation-subject").click()
    expect(page).to_have_url(f"{live_server.url}/rectification/{late.pk}/")
    expect(page.get_by_role("heading", level=2).first).to_contain_text(late.rating.filing.number)
    shot(page, "ticket-page")
