"""The supervision desk's hall set-up (大厅设置) in a real Chromium: a supervisor adds a service area with
its windows and ticket letter, sees the days ahead's slots appear, changes the afternoon's hours and
closes an area — each step on the page, with screenshots and axe."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import WindowKind
from apps.accounts.roles import Role
from apps.visits.models import AppointmentSlot, ServiceArea
from apps.worktime import calendar
from tests.e2e.staff_login import log_in
from tests.factories import ServiceCentreFactory, WindowFactory, make_staff
from tests.factories.catalogue import ApprovalCategoryFactory
from tests.factories.visits import open_hall

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def words(chinese: str, english: str) -> re.Pattern:
    """A new string of this issue: its Chinese (var/po-pending/a1.tsv) once the lead has merged it
    into the catalogue, its English msgid until then."""
    return re.compile(f"({re.escape(chinese)}|{re.escape(english)})")


def test_a_supervisor_sets_up_the_hall(page, live_server, shot, axe, settings):
    calendar.invalidate()
    settings.HALL_BOOKING_DAYS = 3
    centre = ServiceCentreFactory(name="示范市政务服务中心")
    open_hall(centre)
    for number in ("A01", "A02"):
        WindowFactory(centre=centre, number=number, kind=WindowKind.COMPREHENSIVE)
    WindowFactory(centre=centre, number="C01", kind=WindowKind.ISSUING)
    ApprovalCategoryFactory(name="市场准入")
    supervisor = make_staff(Role.SUPERVISOR, centre=centre)

    log_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/supervision/hall/")
    expect(page.get_by_text(words("尚无服务区", "No service area yet"))).to_be_visible()
    shot(page, "empty")
    axe(page, "hall set-up, empty")

    form = page.get_by_test_id("hall-area-form")
    form.get_by_label(re.compile("后台分类|Approval category")).select_option(label="市场准入")
    form.get_by_label(re.compile("取号字母|Ticket prefix")).fill("a")
    form.get_by_label(re.compile("每时段可预约人数|Appointments per slot")).fill("3")
    form.get_by_label("A01").check()
    expect(form.get_by_label("C01")).to_have_count(0)  # an issuing window serves no area
    form.get_by_role("button").click()

    row = page.get_by_test_id("hall-area-A")
    expect(row).to_contain_text("市场准入")
    expect(row).to_contain_text("A01")
    days = page.get_by_test_id("hall-slots")
    expect(days).to_be_visible()
    # 13 slots of 3 places on each of the next bookable days.
    expect(days.locator("tbody tr").first).to_contain_text(re.compile(r"39"))
    shot(page, "area-added")
    axe(page, "hall set-up, one area")

    # The afternoon now ends at 16:00: two slots a day fewer.
    afternoon = page.get_by_test_id("hall-period").nth(1)
    afternoon.locator('input[name="ends_at"]').fill("16:00")
    afternoon.get_by_role("button", name=re.compile("保存|Save")).click()
    expect(page.get_by_test_id("hall-period").nth(1).locator('input[name="ends_at"]')).to_have_value("16:00")
    expect(page.get_by_test_id("hall-slots").locator("tbody tr").first).to_contain_text("33")
    area = ServiceArea.objects.get(centre=centre)
    assert not AppointmentSlot.objects.filter(area=area, starts_at__gte=dt.time(16)).exists()
    shot(page, "hours-changed")

    page.get_by_test_id("hall-area-A").get_by_role("link").click()
    page.get_by_label(re.compile("在用|In use")).uncheck()
    page.get_by_role("button", name=re.compile("保存|Save")).click()
    expect(page.get_by_test_id("hall-area-A")).to_contain_text(words("已停用", "Not in use"))
    shot(page, "area-closed")
    assert not AppointmentSlot.objects.filter(area=area).exists()
