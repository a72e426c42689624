"""The hall's flow from end to end (issue 18, "Done when"), in a real Chromium, each person in a browser
context of their own over one live server:

1. the day before, a citizen books 企业设立登记 on a phone (390×844): from the guide's 预约 button, a
   day and a time with places left, confirmed; the booking's page shows its number and QR code;
2. on the day, a supervisor pairs the hall's ticket kiosk and its display on the supervision desk
   (大厅设备); each screen claims its one-time code;
3. twenty minutes before the booked time, the kiosk (a touch screen) takes the booking's QR code: the
   scanner types the code and Enter into the scan input; the ticket shows its number, area, nobody
   ahead, the time, and the appointment's priority;
4. the window's clerk calls the next ticket on the intake desk's calling panel (叫号): it is that one;
   the display shows the call (ticket → window, the name masked, the announcement) within seconds
   by its own poll, never the full name;
5. the clerk starts serving, opens the filing from the ticket (the applicant's ID carried over),
   records the materials and accepts it, and finishes the visit: the ticket is linked to the filing;
6. the window's evaluation pad offers the visit for rating (一次一评), and the applicant rates it.

Each step is read off the page; each new page is screenshotted and checked by axe-core.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone, translation
from playwright.sync_api import expect

from apps.accounts.models import RealNameLevel
from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from apps.catalogue.models import ApprovalCategory, ServiceItem
from apps.catalogue.selectors import bundle_items
from apps.feedback.models import ActKind, Channel, Level, Rating
from apps.visits import slots
from apps.visits.models import (
    Appointment,
    AppointmentState,
    HallDevice,
    PriorityReason,
    Ticket,
    TicketCall,
    TicketState,
)
from apps.worktime import calendar
from tests.cases.clerk_window import restaurant_hall
from tests.e2e.receipt_printer import COUNT_PRINTS, prints
from tests.e2e.staff_login import log_in
from tests.factories import make_staff
from tests.factories.feedback import claimed_pad_key
from tests.factories.visits import ServiceAreaFactory, open_hall

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1080, "height": 1920}  # a portrait touch screen
DISPLAY = {"width": 1920, "height": 1080}
TABLET = {"width": 1024, "height": 768}
# The shared machine is slow at times: the screens' polls and the pages are given room; nothing waits
# by sleeping. The display itself must show a call within 2 s (tests/visits, tests/e2e/test_hall_display).
WAIT_MS = 30_000
# The citizen: a real-name account (self-declared resident ID), 36 years old (no priority for age).
CITIZEN_NAME = "王小明"
CITIZEN_ID = "350102199003010028"
CITIZEN_PHONE = "13912345678"


def zh(msgid: str) -> str:
    """A text as the Chinese pages show it (the English msgid until its translation is merged)."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def working_days_from(day: dt.date, count: int) -> list[dt.date]:
    """The first ``count`` working days of the hall's calendar from ``day`` on."""
    days = []
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def fits(page, width: int):
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url} scrolls sideways: {scrolled}px wide"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # throttles (pairing, rating) count per address: every context here is 127.0.0.1
    yield
    cache.clear()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_booking_becomes_a_ticket_a_call_a_filing_and_a_rating(
    live_server, new_context, settings, shot, axe
):
    settings.HALL_PUBLIC_BASE_URL = live_server.url

    def context_of(**kw):
        """A browser of its own, as the hall's people have them: Chinese, in the hall's time zone."""
        return new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **kw)

    # The days: the browsers' clocks are not travelled, so the journey happens ahead of them (their
    # cookies then stay valid): booked on a working day, visited on the next.
    booking_day, visit_day = working_days_from(timezone.localdate() + dt.timedelta(days=2), 2)

    hall = restaurant_hall(clerk_name="李受理")
    item = bundle_items(hall.bundle, prepare=lambda queryset: queryset)[0]  # 企业设立登记
    ServiceItem.objects.filter(pk=item.pk).update(appointment_supported=True)
    category = item.approval_category
    ApprovalCategory.objects.filter(pk=category.pk).update(name="市场准入")
    area = ServiceAreaFactory(centre=hall.centre, category=category, prefix="A", windows=[hall.window])
    open_hall(hall.centre)
    supervisor = make_staff(Role.SUPERVISOR, centre=hall.centre, full_name="孙督办")
    citizen = make_staff(
        Role.CITIZEN,
        full_name=CITIZEN_NAME,
        id_number=CITIZEN_ID,
        phone=CITIZEN_PHONE,
        real_name_level=RealNameLevel.DECLARED,
    )
    # The window's evaluation pad, set up as the rating journey does it (tests/e2e/test_rating_journey).
    pad_key = claimed_pad_key(hall.window, supervisor=supervisor)

    # --- 1. The day before: the citizen books on a phone. ------------------------------------------
    with time_machine.travel(at(booking_day, 16, 0), tick=True):
        slots.generate_slots(hall.centre.pk, start=booking_day, days=(visit_day - booking_day).days + 1)
        phone = context_of(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
        phone.set_default_timeout(WAIT_MS)
        log_in(phone, live_server, citizen)
        expect(phone).to_have_url(f"{live_server.url}/portal/")
        phone.goto(f"{live_server.url}/guide/items/{item.lineage.code}/")
        phone.get_by_test_id("book-visit").click()
        shot(phone, "phone-booking-start")
        axe(phone, "booking: the day")
        phone.get_by_test_id(f"day-{visit_day.isoformat()}").click()
        slot = phone.get_by_test_id("slot-09:30")
        expect(slot).to_contain_text(str(area.slot_capacity))  # places left
        fits(phone, PHONE["width"])
        shot(phone, "phone-booking-times")
        axe(phone, "booking: the times")
        slot.click()
        shot(phone, "phone-booking-confirm")
        axe(phone, "booking: confirm")
        expect(phone.get_by_test_id("confirm-when")).to_contain_text(f"{visit_day.isoformat()}")
        phone.get_by_test_id("booking-submit").click()
        expect(phone.get_by_test_id("appointment-number")).to_be_visible()
        appointment = Appointment.objects.get(citizen=citizen)
        expect(phone.get_by_test_id("appointment-number")).to_have_text(appointment.number)
        expect(phone.get_by_test_id("appointment-when")).to_contain_text(f"{visit_day.isoformat()}")
        qr = phone.get_by_test_id("appointment-qr")
        expect(qr).to_be_visible()
        # Shown means loaded: the <img> has its size before its picture arrives.
        phone.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=qr.element_handle())
        fits(phone, PHONE["width"])
        shot(phone, "phone-booked")
        axe(phone, "booking: booked")
        assert (appointment.state, appointment.slot.date, appointment.slot.starts_at) == (
            AppointmentState.BOOKED,
            visit_day,
            dt.time(9, 30),
        )

    # --- 2. On the day: the supervisor pairs the kiosk and the display. ------------------------------
    with time_machine.travel(at(visit_day, 9, 10), tick=True):
        desk = context_of(viewport=DESK).new_page()
        desk.set_default_timeout(WAIT_MS)
        log_in(desk, live_server, supervisor)
        expect(desk.locator("[data-desk='supervision']")).to_be_visible()

        def pair(kind: str, viewport: dict, name: str, **screen):
            desk.goto(f"{live_server.url}/supervision/hall-devices/")
            form = desk.get_by_test_id("device-pair-form")
            form.locator("select[name=kind]").select_option(kind)
            form.locator("input[name=name]").fill(name)
            form.get_by_role("button").click()
            code = desk.get_by_test_id("pairing-code")
            expect(code).to_have_text(re.compile(r"^\d{4} \d{4}$"))
            shot(desk, f"supervisor-pairs-the-{kind}")
            axe(desk, f"pairing code of the {kind}")
            page = context_of(viewport=viewport, **screen).new_page()
            page.add_init_script(COUNT_PRINTS)
            page.set_default_timeout(WAIT_MS)
            page.goto(f"{live_server.url}/display/pair/")
            page.get_by_test_id("pair-code").fill(code.inner_text())
            page.get_by_test_id("pair-submit").click()
            return page

        kiosk = pair("kiosk", KIOSK, "东门取号机", has_touch=True)
        expect(kiosk).to_have_url(f"{live_server.url}/kiosk/")
        expect(kiosk.get_by_test_id("kiosk-choose-scan")).to_be_visible()
        shot(kiosk, "kiosk-home")
        axe(kiosk, "kiosk home")
        display = pair("display", DISPLAY, "大厅大屏")
        expect(display).to_have_url(f"{live_server.url}/display/")
        shot(display, "display-before-any-call")
        axe(display, "display")
        assert HallDevice.objects.filter(centre=hall.centre, last_seen_at__isnull=False).count() == 2

    with time_machine.travel(at(visit_day, 9, 20), tick=True):
        # --- 3. Ten minutes before the time booked: the kiosk takes the booking's QR code. -----------
        kiosk.get_by_test_id("kiosk-choose-scan").tap()
        scan = kiosk.get_by_test_id("kiosk-scan-input")
        expect(scan).to_be_focused()  # the scanner types into it without a touch
        shot(kiosk, "kiosk-scan")
        axe(kiosk, "kiosk scan")
        kiosk.keyboard.type(appointment.token)
        kiosk.keyboard.press("Enter")
        ticket_card = kiosk.get_by_test_id("kiosk-ticket")
        expect(kiosk.get_by_test_id("kiosk-ticket-number")).to_have_text("A001")
        expect(kiosk.get_by_test_id("kiosk-ticket-area")).to_have_text("市场准入")
        expect(kiosk.get_by_test_id("kiosk-ticket-ahead")).to_have_text("0")
        expect(kiosk.get_by_test_id("kiosk-ticket-time")).to_contain_text(f"{visit_day.isoformat()} 09:2")
        expect(kiosk.get_by_test_id("kiosk-ticket-priority")).to_be_visible()
        expect(ticket_card).to_contain_text(hall.centre.name)
        shot(kiosk, "kiosk-ticket")
        axe(kiosk, "kiosk ticket")
        assert prints(kiosk) == 1  # printed by itself, once
        kiosk.emulate_media(media="print")  # the 58 mm receipt: the ticket, without the screen's buttons
        shot(kiosk, "kiosk-ticket-print")
        expect(kiosk.get_by_test_id("kiosk-finish")).to_be_hidden()
        kiosk.emulate_media(media="screen")
        ticket = Ticket.objects.get()
        appointment.refresh_from_db()
        assert (ticket.number, ticket.area_id, ticket.appointment_id, ticket.state) == (
            "A001",
            area.pk,
            appointment.pk,
            TicketState.WAITING,
        )
        assert ticket.priority_reasons == [PriorityReason.APPOINTMENT]
        assert appointment.state == AppointmentState.CHECKED_IN

        # --- 4. The clerk calls the next ticket; the display shows the call. -------------------------
        clerk = context_of(viewport=DESK).new_page()
        clerk.set_default_timeout(WAIT_MS)
        log_in(clerk, live_server, hall.clerk)
        expect(clerk.locator("[data-desk='intake']")).to_be_visible()
        panel = clerk.get_by_test_id("calling-panel")
        expect(panel.get_by_test_id("calling-waiting-A")).to_have_text("1")
        shot(clerk, "clerk-before-calling")
        axe(clerk, "intake desk with the calling panel")
        panel.get_by_test_id("calling-call-next").click()
        current = clerk.get_by_test_id("calling-current")
        expect(current.get_by_test_id("calling-number")).to_have_text("A001")
        expect(current).to_have_attribute("data-state", TicketState.CALLED)
        # The clerk's screen names the person in full (the display never does).
        expect(current.get_by_test_id("calling-holder")).to_contain_text(CITIZEN_NAME)
        expect(current.get_by_test_id("calling-priority")).to_be_visible()
        shot(clerk, "clerk-called")
        axe(clerk, "calling panel, called")
        call = TicketCall.objects.get()
        assert (call.window_id, call.ticket_id) == (hall.window.pk, ticket.pk)

        latest = display.get_by_test_id("display-latest")
        expect(latest.get_by_test_id("display-latest-number")).to_have_text("A001")
        expect(latest.get_by_test_id("display-latest-window")).to_contain_text(hall.window.number)
        expect(latest).to_contain_text(CITIZEN_NAME[0] + "*")
        # 「请 A001 号 到 A01 号窗口办理」 once the Chinese is merged: the words the page is served in.
        announcement = zh("Number %(number)s, please go to window %(window)s") % {
            "number": "A001",
            "window": hall.window.number,
        }
        expect(display.get_by_test_id("display-announcement")).to_contain_text(announcement)
        body = display.locator("body")
        expect(body).not_to_contain_text(CITIZEN_NAME)
        expect(body).not_to_contain_text(CITIZEN_ID)
        shot(display, "display-shows-the-call")
        axe(display, "display with a call")

        # --- 5. Served: the filing from the ticket, accepted; the visit finished. --------------------
        current.get_by_test_id("calling-start").click()
        expect(current).to_have_attribute("data-state", TicketState.SERVING)
        shot(clerk, "clerk-serving")
        axe(clerk, "calling panel, serving")
        clerk.get_by_test_id("item-search").fill("企业设立登记")
        clerk.get_by_role("link", name="企业设立登记").click()
        expect(clerk.locator("#id_applicant_id_number")).to_have_value(CITIZEN_ID)  # from the ticket
        expect(clerk.locator("#id_applicant_name")).to_have_value(CITIZEN_NAME)
        shot(clerk, "clerk-new-filing-from-the-ticket")
        axe(clerk, "new filing from the ticket")
        clerk.get_by_role("button", name="建立收件").click()
        expect(clerk.get_by_test_id("filing-state")).to_have_text("草稿")
        filing = Filing.objects.get()
        clerk.wait_for_load_state("networkidle")  # htmx set up: each row is then saved in place
        clerk.keyboard.press("Alt+KeyO")  # all required originals received
        required = clerk.locator(f"#material-{hall.required.pk}").locator("select.material-status")
        expect(required).to_have_value("original")
        for material, status in ((hall.copy_only, "copy"),):
            row = clerk.locator(f"#material-{material.pk}")
            row.locator("select.material-status").select_option(status)
            expect(row.get_by_test_id("row-result")).to_contain_text("✓")
        clerk.locator("#accept-button").click()
        expect(clerk.get_by_test_id("filing-state")).to_have_text("已受理")
        shot(clerk, "clerk-accepted")
        axe(clerk, "intake desk, accepted")
        filing.refresh_from_db()
        assert filing.state == FilingState.ACCEPTED
        assert list(ticket.filings.values_list("pk", flat=True)) == [filing.pk]

        clerk.goto(f"{live_server.url}/intake/")
        current = clerk.get_by_test_id("calling-current")
        expect(current.get_by_test_id("calling-filing")).to_have_text(filing.number)
        current.get_by_test_id("calling-finish").click()
        expect(clerk.get_by_test_id("calling-current")).to_have_count(0)
        expect(clerk.get_by_test_id("calling-call-next")).to_be_visible()
        shot(clerk, "clerk-finished")
        axe(clerk, "calling panel, finished")
        ticket.refresh_from_db()
        assert ticket.state == TicketState.DONE
        assert ticket.first_called_at <= ticket.started_at <= ticket.finished_at

        # --- 6. The window's pad offers the visit for rating; the applicant rates it. ----------------
        tablet_context = context_of(viewport=TABLET, has_touch=True)
        tablet_context.add_cookies([{"name": "hall_pad", "value": pad_key, "url": live_server.url}])
        tablet = tablet_context.new_page()
        tablet.set_default_timeout(WAIT_MS)
        tablet.goto(f"{live_server.url}/pad/")
        pad = tablet.get_by_test_id("pad-current")
        expect(pad).to_have_attribute("data-state", "act")
        expect(pad).to_have_attribute("data-act", f"{filing.pk}:{ActKind.WINDOW_VISIT}")
        expect(tablet.get_by_test_id("pad-staff")).to_have_text(str(hall.clerk))
        expect(tablet.locator("body")).not_to_contain_text(CITIZEN_NAME)
        shot(tablet, "pad-offers-the-visit")
        axe(tablet, "pad offering the visit")
        tablet.get_by_test_id(f"level-{Level.VERY_SATISFIED}").tap()
        tablet.get_by_test_id("pad-submit").tap()
        expect(tablet.get_by_test_id("pad-thanks")).to_be_visible()
        shot(tablet, "pad-thanks")
        rating = Rating.objects.get()
        assert (rating.filing_id, rating.level, rating.channel, rating.window_id, rating.staff_id) == (
            filing.pk,
            Level.VERY_SATISFIED,
            Channel.PAD,
            hall.window.pk,
            hall.clerk.pk,
        )
