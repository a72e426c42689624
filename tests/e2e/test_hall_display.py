"""The hall display (大屏) in a real Chromium at 1920×1080: a supervisor pairs it on the supervision
desk, the screen types the code and shows the centre's hall; a clerk's call appears on it within 2
seconds without a reload — the number big, the window, the name masked, the announcement — and the
waiting counts follow. Never the full name or the ID number. axe on each of its pages."""

import re
import time

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.visits.models import HallDevice
from tests.e2e.staff_login import log_in
from tests.factories.accounts import ServiceCentreFactory, make_staff
from tests.factories.visits import make_ticket
from tests.visits.display_setup import call_ticket, hall_areas

DISPLAY = {"width": 1920, "height": 1080}
DESK = {"width": 1280, "height": 900}
FULL_NAME = "欧阳娜娜"
ID_NUMBER = "350102198506010018"


def words(chinese: str, english: str) -> re.Pattern:
    """A string of this issue: its Chinese (var/po-pending/d.tsv) once merged into the catalogue, its
    English msgid until then."""
    return re.compile(f"{re.escape(chinese)}|{re.escape(english)}")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # pairing attempts are counted per address
    yield
    cache.clear()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_paired_display_shows_a_call_within_two_seconds(live_server, browser, shot, axe, settings):
    settings.HALL_PUBLIC_BASE_URL = live_server.url
    centre = ServiceCentreFactory(name="鼓楼区政务服务中心")
    market, building, _social = hall_areas(centre)
    window = market.windows.get()
    supervisor = make_staff(Role.SUPERVISOR, centre=centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    now = timezone.now()
    ticket = make_ticket(market, at=now, name=FULL_NAME, id_number=ID_NUMBER)
    make_ticket(market, at=now)
    make_ticket(building, at=now)

    desk_context = browser.new_context(viewport=DESK)
    screen_context = browser.new_context(viewport=DISPLAY)
    desk, screen = desk_context.new_page(), screen_context.new_page()
    try:
        # Not paired: the screen says so and links to the pairing page.
        screen.goto(f"{live_server.url}/display/")
        expect(screen.get_by_test_id("device-not-paired")).to_be_visible()
        shot(screen, "display-not-paired")
        axe(screen, "display not paired")

        # The supervisor pairs a display and is shown its one-time code.
        log_in(desk, live_server, supervisor)
        desk.goto(f"{live_server.url}/supervision/hall-devices/")
        form = desk.get_by_test_id("device-pair-form")
        form.locator("select[name=kind]").select_option("display")
        form.locator("input[name=name]").fill("大厅大屏")
        form.get_by_role("button").click()
        code = desk.get_by_test_id("pairing-code")
        expect(code).to_have_text(re.compile(r"^\d{4} \d{4}$"))
        shot(desk, "supervisor-pairing-code")
        axe(desk, "hall device pairing code")

        # The screen follows the link, types the code, and shows the hall before any call.
        screen.get_by_test_id("device-pair-link").click()
        expect(screen).to_have_url(re.compile(r"/display/pair/$"))
        axe(screen, "display pairing")
        screen.get_by_test_id("pair-code").fill(code.inner_text())
        screen.get_by_test_id("pair-submit").click()
        expect(screen).to_have_url(f"{live_server.url}/display/")
        expect(screen.locator("h1")).to_have_text("鼓楼区政务服务中心")
        areas = screen.get_by_test_id("display-areas")
        expect(areas.locator("li").nth(0)).to_contain_text("市场准入")
        expect(areas.locator("li").nth(0).locator("[data-waiting]")).to_have_text("2")
        expect(areas.locator("li").nth(1).locator("[data-waiting]")).to_have_text("1")
        shot(screen, "display-before-any-call")
        axe(screen, "display before any call")
        assert HallDevice.objects.get().last_seen_at is not None

        # A clerk calls A001: the display shows it within 2 seconds, without reloading.
        screen.evaluate("() => { window.__notReloaded = true; }")
        call_ticket(ticket, window=window, at=timezone.now(), clerk=clerk)
        called = time.monotonic()
        latest = screen.get_by_test_id("display-latest")
        expect(latest.get_by_test_id("display-latest-number")).to_have_text("A001", timeout=2000)
        assert time.monotonic() - called < 2.0
        expect(latest.get_by_test_id("display-latest-window")).to_have_text(window.number)
        expect(latest).to_contain_text("欧***")
        expect(screen.get_by_test_id("display-announcement")).to_have_text(
            words(
                f"请 A001 号 到 {window.number} 号窗口办理",
                f"Number A001, please go to window {window.number}",
            )
        )
        expect(screen.get_by_test_id("display-calls").locator("tbody tr")).to_have_count(1)
        expect(areas.locator("li").nth(0).locator("[data-waiting]")).to_have_text("1")
        assert screen.evaluate("() => window.__notReloaded === true")
        body = screen.locator("body")
        expect(body).not_to_contain_text(FULL_NAME)
        expect(body).not_to_contain_text(ID_NUMBER)
        shot(screen, "display-shows-the-call")
        axe(screen, "display with a call")

        # Revoked: the screen goes to its "not paired" page by itself.
        desk.goto(f"{live_server.url}/supervision/hall-devices/")
        desk.get_by_test_id("hall-device-revoke").click()
        expect(screen.get_by_test_id("device-not-paired")).to_be_visible(timeout=5000)
        shot(screen, "display-revoked")
    finally:
        desk_context.close()
        screen_context.close()
