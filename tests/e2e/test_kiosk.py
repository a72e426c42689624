"""The ticket kiosk (取号机) in a real Chromium, as a touch screen: portrait 1080×1920 and landscape
1920×1080. A walk-in ticket by the area's big button; a 70-year-old's ID typed on the digit pad, no
booking, so the area is asked; a booking's QR code typed by the scanner (and Enter); an expired
booking refused with the reason. The ticket as the 58 mm receipt printer prints it (print media,
58 mm wide); never a name or an ID number; back to the start by itself. axe on each page."""

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from apps.visits import kiosk
from apps.visits.devices import DEVICE_COOKIE
from apps.visits.models import DeviceKind, Ticket
from tests.e2e.receipt_printer import COUNT_PRINTS, prints
from tests.factories.visits import make_device
from tests.visits.ticket_setup import Hall, aged, at

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
# 58 mm at 96 CSS pixels to the inch: the receipt's width.
RECEIPT = {"width": 219, "height": 700}
FULL_NAME = "欧阳娜娜"


def words(chinese: str, english: str) -> re.Pattern:
    """A string of this issue: its Chinese (var/po-pending/b.tsv) once merged, else its English msgid."""
    return re.compile(f"{re.escape(chinese)}|{re.escape(english)}")


def _kiosk_page(browser, live_server, key, viewport):
    context = browser.new_context(viewport=viewport, has_touch=True, locale="zh-CN")
    context.add_cookies([{"name": DEVICE_COOKIE, "value": key, "url": live_server.url}])
    page = context.new_page()
    page.add_init_script(COUNT_PRINTS)
    return context, page


def _no_personal_data(page, *secrets):
    html = page.content()
    for secret in secrets:
        assert secret not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tickets_at_a_touch_kiosk(live_server, browser, shot, axe, monkeypatch):
    with time_machine.travel(at(9, 50), tick=True):
        hall = Hall()
        _device, key = make_device(hall.centre, DeviceKind.KIOSK)
        elder_id = aged(72)
        booking = hall.booking(starts=dt.time(10, 0), name=FULL_NAME, id_number=aged(40))
        expired = hall.booking(starts=dt.time(9, 0), id_number=aged(41))
        monkeypatch.setattr(kiosk, "KIOSK_TICKET_SECONDS", 3)

        context, page = _kiosk_page(browser, live_server, key, PORTRAIT)
        try:
            page.goto(f"{live_server.url}/kiosk/")
            expect(page.get_by_test_id("kiosk-centre")).to_have_text(hall.centre.name)
            for choice in ("kiosk-choose-id", "kiosk-choose-scan", "kiosk-choose-walk-in"):
                box = page.get_by_test_id(choice).bounding_box()
                assert box["height"] >= 200 and box["width"] >= 900  # a target for a finger, portrait
            shot(page, "portrait-start")
            axe(page, "kiosk start")

            # A walk-in: the area's big button, then the ticket.
            page.get_by_test_id("kiosk-choose-walk-in").tap()
            expect(page.get_by_test_id(f"kiosk-area-{hall.area.prefix}")).to_be_visible()
            shot(page, "walk-in-areas")
            axe(page, "kiosk walk-in areas")
            page.get_by_test_id(f"kiosk-area-{hall.area.prefix}").tap()
            expect(page.get_by_test_id("kiosk-ticket-number")).to_have_text("A001")
            expect(page.get_by_test_id("kiosk-ticket-area")).to_have_text(hall.area.category.name)
            expect(page.get_by_test_id("kiosk-ticket-ahead")).to_have_text("0")
            expect(page.get_by_test_id("kiosk-ticket-time")).to_have_text(re.compile(r"^2026-12-02 09:5\d$"))
            expect(page.get_by_test_id("kiosk-print")).to_be_visible()  # the script ran, printing once
            assert prints(page) == 1
            shot(page, "walk-in-ticket")
            axe(page, "kiosk ticket")

            # The receipt as printed: 58 mm wide, only the ticket.
            page.emulate_media(media="print")
            page.set_viewport_size(RECEIPT)
            expect(page.get_by_test_id("kiosk-centre")).to_be_hidden()
            expect(page.get_by_test_id("kiosk-print")).to_be_hidden()
            ticket_box = page.get_by_test_id("kiosk-ticket").bounding_box()
            assert ticket_box["width"] <= RECEIPT["width"]
            number_box = page.get_by_test_id("kiosk-ticket-number").bounding_box()
            assert number_box["width"] <= RECEIPT["width"]
            shot(page, "walk-in-receipt-58mm")
            page.emulate_media(media="screen")
            page.set_viewport_size(PORTRAIT)

            # Left alone, the ticket page goes back to the start.
            expect(page.get_by_test_id("kiosk-choose-walk-in")).to_be_visible(timeout=8000)

            # A 72-year-old types the ID on the pad: no booking today, so the area is asked.
            page.get_by_test_id("kiosk-choose-id").tap()
            expect(page.get_by_test_id("kiosk-key-1")).to_be_visible()
            for char in elder_id[:-1]:
                page.get_by_test_id(f"kiosk-key-{char}").tap()
            page.get_by_test_id("kiosk-key-9").tap()
            page.get_by_test_id("kiosk-key-delete").tap()
            page.get_by_test_id(f"kiosk-key-{elder_id[-1]}").tap()
            expect(page.get_by_test_id("kiosk-id-input")).to_have_value(elder_id)
            shot(page, "id-typed-on-the-pad")
            axe(page, "kiosk ID pad")
            page.get_by_test_id("kiosk-id-submit").tap()
            expect(page.get_by_test_id(f"kiosk-area-{hall.other_area.prefix}")).to_be_visible()
            shot(page, "id-choose-area")
            axe(page, "kiosk choose area")
            page.get_by_test_id(f"kiosk-area-{hall.other_area.prefix}").tap()
            expect(page.get_by_test_id("kiosk-ticket-number")).to_have_text("B001")
            expect(page.get_by_test_id("kiosk-ticket-priority")).to_have_text(words("70", "Aged 70 or over"))
            _no_personal_data(page, elder_id)
            shot(page, "elderly-ticket")

            # The booking's QR code: the scanner types the code and Enter into the focused input.
            page.goto(f"{live_server.url}/kiosk/")
            page.get_by_test_id("kiosk-choose-scan").tap()
            expect(page.get_by_test_id("kiosk-scan-input")).to_be_focused()
            page.keyboard.type(expired.token)
            page.keyboard.press("Enter")
            expect(page.get_by_test_id("kiosk-error")).to_have_text(words("过期", "expired"))
            expect(page.get_by_test_id("kiosk-scan-input")).to_be_focused()
            shot(page, "expired-booking-refused")
            axe(page, "kiosk booking refused")
            page.keyboard.type(booking.token)
            page.keyboard.press("Enter")
            expect(page.get_by_test_id("kiosk-ticket-number")).to_have_text("A002")
            # On time: ahead of the walk-in A001.
            expect(page.get_by_test_id("kiosk-ticket-ahead")).to_have_text("0")
            expect(page.get_by_test_id("kiosk-ticket-priority")).to_be_visible()
            _no_personal_data(page, FULL_NAME, booking.id_number)
            shot(page, "booking-ticket")
            page.emulate_media(media="print")
            page.set_viewport_size(RECEIPT)
            shot(page, "booking-receipt-58mm")
        finally:
            context.close()

        # Landscape: the three choices side by side.
        context, page = _kiosk_page(browser, live_server, key, LANDSCAPE)
        try:
            page.goto(f"{live_server.url}/kiosk/")
            boxes = [
                page.get_by_test_id(c).bounding_box() for c in ("kiosk-choose-id", "kiosk-choose-walk-in")
            ]
            assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[1]["x"] > boxes[0]["x"]
            shot(page, "landscape-start")
            axe(page, "kiosk start, landscape")
        finally:
            context.close()

    numbers = sorted(Ticket.objects.values_list("number", "priority_reasons"))
    assert numbers == [("A001", []), ("A002", ["appointment"]), ("B001", ["elderly"])]
