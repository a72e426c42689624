"""Each demo role logs in through a real Chromium and lands on its desk."""

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from tests.factories import make_staff
from tests.factories.accounts import PASSWORD

DESK_TITLES = {
    Role.CLERK: "综合受理台",
    Role.APPROVER: "审批台",
    Role.ISSUER: "出证台",
    Role.SEAL_KEEPER: "出证台",
    Role.SUPERVISOR: "督办台",
    Role.CATALOGUE_ADMIN: "事项管理台",
    Role.ASSISTANT: "帮办代办台",
    Role.CITIZEN: "我的办件",
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_each_role_logs_in_and_sees_its_desk(live_server, page):
    for role, title in DESK_TITLES.items():
        user = make_staff(role)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        if role == Role.CITIZEN:
            # A citizen's top bar is the public one: the online hall draws its own nav.
            expect(page.get_by_role("navigation", name="工作台")).to_have_count(0)
            hall_nav = page.get_by_role("navigation", name="网上办事大厅")
            expect(hall_nav.get_by_role("link").first).to_be_visible()
        else:
            nav = page.get_by_role("navigation", name="工作台")
            # The desk, plus the jobs page for supervisors and catalogue admins, plus the
            # administration for catalogue admins (who are staff).
            extra = {Role.SUPERVISOR: 1, Role.CATALOGUE_ADMIN: 2}.get(role, 0)
            expect(nav.get_by_role("link")).to_have_count(1 + extra)
        page.get_by_role("button", name="退出").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("登录")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_desk_fits_a_phone_and_switches_to_english(live_server, page):
    user = make_staff(Role.CLERK)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("综合受理台")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Intake desk")
