"""The back office's day in a real Chromium, each person in a browser context of their own: one approver
approves a case outright; a second proposes the decision on an item that needs a second signature and
the decision-maker (签发人) signs it off; the department's supervisor acknowledges the escalation of a
case the deadline sweep found overdue. Each step's result is read off the page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases.codes import CaseState
from apps.cases.models import Escalation
from apps.cases.sweeps import run_all
from tests.factories import DepartmentFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import COMPANY, make_case

SIGNED_ITEM = {"name": "药品零售许可", "requires_second_signoff": True}


def logged_in(new_context, live_server, user, desk: str):
    """A fresh browser context with ``user`` logged in through the login page, on ``desk``."""
    page = new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(f"[data-desk='{desk}']")).to_be_visible()
    return page


def state_label(state) -> str:
    with translation.override("zh-hans"):
        return str(state.label)


def open_case(page, number: str):
    page.get_by_test_id("case-queue").get_by_role("link", name=number).click()
    expect(page.get_by_test_id("case-state")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_approvers_a_signer_and_a_supervisor_work_their_day(live_server, new_context, shot):
    department = DepartmentFactory(name="市场监督管理局")
    centre = department.centre
    first = make_staff(Role.APPROVER, department=department, full_name="李审批")
    second = make_staff(Role.APPROVER, department=department, full_name="周审批")
    signer = make_staff(Role.DECISION_MAKER, department=department, full_name="刘签发")
    supervisor = make_staff(Role.SUPERVISOR, centre=centre, department=department, full_name="孙督办")
    plain = make_case(department=department, applicant=COMPANY, name="食品经营许可")
    signed = make_case(department=department, applicant=COMPANY, **SIGNED_ITEM)
    # A one-day case accepted last week: the sweep has escalated it to the department's supervisor.
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        late = make_case(department=department, name="户外广告设置许可", promised_limit_days=1)
    with time_machine.travel(dt.datetime(2026, 9, 29, 1, 0), tick=False):
        run_all()
    assert Escalation.objects.filter(case=late).exists()

    # The first approver: claim, approve with the certificate's scope.
    page = logged_in(new_context, live_server, first, "backoffice")
    shot(page, "approver-queue")
    open_case(page, plain.filing.number)
    page.get_by_test_id("action-claim").click()
    expect(page.get_by_test_id("case-state")).to_have_text(state_label(CaseState.IN_REVIEW))
    action = page.get_by_test_id("action-approve")
    action.locator("summary").click()
    expect(action.locator("input[name='holder']")).to_have_value(COMPANY.name)
    action.locator("textarea[name='scope']").fill("预包装食品销售")
    action.locator("button[type='submit']").click()
    expect(page.get_by_test_id("case-state")).to_have_text(state_label(CaseState.APPROVED))
    shot(page, "approver-approved")

    # The second approver proposes approving the item that needs a second signature; they are not
    # offered the sign-off themselves.
    page = logged_in(new_context, live_server, second, "backoffice")
    open_case(page, signed.filing.number)
    page.get_by_test_id("action-claim").click()
    expect(page.get_by_test_id("action-approve")).to_have_count(0)
    proposal = page.locator("form[action$='/propose_decision/']")
    page.locator("details", has=proposal).locator("summary").click()
    proposal.locator("textarea[name='scope']").fill("药品零售（不含冷藏冷冻药品）")
    proposal.locator("textarea[name='opinion']").fill("材料齐全，现场核查合格")
    proposal.locator("button[type='submit']").click()
    expect(page.get_by_test_id("case-state")).to_have_text(state_label(CaseState.AWAITING_DECISION))
    expect(page.get_by_test_id("action-sign_off_approval")).to_have_count(0)
    shot(page, "proposer-awaiting-sign-off")

    # The decision-maker finds it under "awaiting sign-off", reads the proposal and signs it off.
    page = logged_in(new_context, live_server, signer, "backoffice")
    page.get_by_test_id("queue-sign_off").click()
    shot(page, "signer-queue")
    open_case(page, signed.filing.number)
    expect(page.get_by_test_id("outcome")).to_have_text("准予许可")
    form = page.get_by_test_id("action-sign_off_approval")
    form.locator("textarea[name='opinion']").fill("同意")
    form.locator("button[type='submit']").click()
    expect(page.get_by_test_id("case-state")).to_have_text(state_label(CaseState.APPROVED))
    shot(page, "signer-signed-off")

    # The supervisor sees the overdue case and acknowledges it, saying what will be done.
    page = logged_in(new_context, live_server, supervisor, "supervision")
    row = page.get_by_test_id("escalations").locator("tr", has_text=late.filing.number)
    expect(row).to_contain_text("逾期")
    row.get_by_test_id("action-acknowledge").locator("input[name='note']").fill("已约谈承办人，今日办结")
    row.get_by_test_id("action-acknowledge").locator("button[type='submit']").click()
    row = page.get_by_test_id("escalations").locator("tr", has_text=late.filing.number)
    expect(row).to_contain_text("已约谈承办人，今日办结")
    expect(row.get_by_test_id("action-acknowledge")).to_have_count(0)
    shot(page, "supervisor-acknowledged")

    plain.refresh_from_db()
    signed.refresh_from_db()
    assert (plain.state, signed.state) == (CaseState.APPROVED, CaseState.APPROVED)
    assert signed.signed_off_by == signer and signed.decided_by == second
