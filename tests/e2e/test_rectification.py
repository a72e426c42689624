"""Rectification (整改) in a real Chromium: a bad rating opens a ticket; the department's approver
sees it on the approval desk, records the follow-up call and the cause and measures, and submits it;
a supervisor of the centre verifies and closes it."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.feedback.models import ActKind, Channel, Level, Reason, RectificationTicket, TicketState
from apps.feedback.services import rate
from tests.e2e.staff_login import log_in
from tests.factories import make_staff
from tests.factories.feedback import visited_filing


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_department_rectifies_and_a_supervisor_closes(live_server, page, shot, axe):
    filing = visited_filing()
    rating = rate(
        filing_id=filing.pk,
        act=ActKind.WINDOW_VISIT,
        level=Level.DISSATISFIED,
        reason=Reason.WAITING,
        comment="排队等了一个多小时",
        channel=Channel.QR,
    )
    ticket = RectificationTicket.objects.get(rating=rating)
    approver = make_staff(Role.APPROVER, department=ticket.department)
    supervisor = make_staff(Role.SUPERVISOR, centre=ticket.centre)

    # The approval desk says how many of the department's tickets are open, and links them.
    log_in(page, live_server, approver)
    summary = page.get_by_test_id("rectification-summary")
    expect(summary.get_by_test_id("open-tickets")).to_have_text("1")
    shot(page, "approval-desk-summary")
    summary.get_by_role("link").first.click()
    row = page.get_by_test_id(f"ticket-{ticket.pk}")
    expect(row).to_contain_text(filing.number)
    shot(page, "department-list")
    axe(page, "rectification list")
    row.get_by_role("link", name=str(ticket.pk)).click()

    # The ticket page: the rating and its comment; submitting waits for the three records.
    expect(page.get_by_test_id("rating-comment")).to_have_text("排队等了一个多小时")
    expect(page.get_by_test_id("submit-waits")).to_be_visible()
    expect(page.get_by_test_id("action-submit")).to_have_count(0)
    shot(page, "ticket-open")
    axe(page, "rectification ticket")
    follow_up = page.get_by_test_id("action-follow_up")
    follow_up.locator("select[name=method]").select_option("phone")
    follow_up.locator("textarea[name=note]").fill("已电话致歉，申请人表示理解")
    follow_up.get_by_role("button").click()
    expect(page.get_by_test_id("follow-up")).to_contain_text("已电话致歉")
    rectify = page.get_by_test_id("action-rectify")
    rectify.locator("textarea[name=cause]").fill("上午高峰期窗口开放不足")
    rectify.locator("textarea[name=measures]").fill("高峰时段增开两个弹性窗口")
    rectify.get_by_role("button").click()
    expect(page.get_by_test_id("measures")).to_have_text("高峰时段增开两个弹性窗口")
    shot(page, "follow-up-and-measures")
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("ticket-state")).to_have_text(re.compile("待核实|Awaiting verification"))
    expect(page.get_by_test_id("action-follow_up")).to_have_count(0)
    shot(page, "submitted")
    page.get_by_role("button", name="退出").click()

    # The supervisor: the tickets' section of the supervision desk, then the ticket, verified.
    log_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/rectification/?tab=submitted")
    expect(page.locator(".desk-sections [aria-current=page]")).to_have_count(1)
    page.get_by_test_id(f"ticket-{ticket.pk}").get_by_role("link", name=str(ticket.pk)).click()
    expect(page.get_by_test_id("measures")).to_have_text("高峰时段增开两个弹性窗口")
    shot(page, "supervisor-ticket")
    close = page.get_by_test_id("action-close")
    close.locator("input[name=note]").fill("已电话抽查申请人，整改属实")
    close.get_by_role("button").click()
    expect(page.get_by_test_id("ticket-state")).to_have_text(re.compile("整改办结|Rectified and closed"))
    expect(page.get_by_test_id("verification")).to_contain_text("整改属实")
    expect(page.get_by_test_id("history")).to_contain_text("整改属实")
    shot(page, "closed")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
