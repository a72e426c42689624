"""Booking a visit on a phone (预约办理; issue 18), in a real Chromium emulating a 390×844 phone: the
guide's button, a day, a time with its places left (a full one not offered), the confirmation, the
booking's page with its number and a QR code that loads, my appointments, the elder-friendly mode,
and the cancellation. axe-core on each page; nothing scrolls sideways."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.visits import appointment_selectors
from apps.visits.models import Appointment, AppointmentSlot, AppointmentState
from tests.e2e import elder
from tests.factories.visits import real_name_citizen
from tests.visits.appointment_setup import make_hall

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    }


def words(chinese: str, english: str) -> re.Pattern:
    """A new string of this issue: its Chinese (var/po-pending/a2.tsv) once the lead has merged it
    into the catalogue, its English msgid until then."""
    return re.compile(f"({re.escape(chinese)}|{re.escape(english)})")


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_books_a_visit_on_a_phone_and_cancels_it(live_server, page, shot, axe):
    hall = make_hall()
    today = timezone.localdate()
    day = next(d for d in appointment_selectors.bookable_dates(hall.centre.pk) if d > today)
    hall.slot(day=day, starts_at=dt.time(9, 0), booked=2)  # full (capacity 2)
    chosen = hall.slot(day=day, starts_at=dt.time(9, 30), booked=1)
    hall.slot(day=day, starts_at=dt.time(10, 0))
    citizen = real_name_citizen(full_name="李四")
    logged_in(page, live_server, citizen)

    page.goto(live_server.url + reverse("guides:item", args=[hall.item.lineage.code]))
    page.get_by_test_id("book-visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words("预约办理", "Book a visit"))
    expect(page.get_by_test_id("booking-service")).to_have_text(hall.item.name)
    fits(page)
    axe(page, "booking: the days")
    shot(page, "days")

    page.get_by_test_id(f"day-{day:%Y-%m-%d}").click()
    expect(page.get_by_test_id("slot-09:00")).to_contain_text(words("已约满", "Fully booked"))
    expect(page.get_by_test_id("slot-09:00")).not_to_have_attribute("href", re.compile("."))
    expect(page.get_by_test_id("slot-09:30")).to_contain_text(words("余 1 个名额", "1 place left"))
    fits(page)
    axe(page, "booking: the times")
    shot(page, "times")

    page.get_by_test_id("slot-09:30").click()
    confirm = page.get_by_test_id("booking-confirm")
    expect(confirm).to_be_visible()
    expect(page.get_by_test_id("confirm-when")).to_contain_text(f"{day:%Y-%m-%d}")
    expect(page.get_by_test_id("confirm-when")).to_contain_text("09:30–10:00")
    fits(page)
    axe(page, "booking: confirm")
    shot(page, "confirm")
    page.get_by_test_id("booking-submit").click()

    booked = Appointment.objects.get(citizen=citizen)
    assert booked.slot_id == chosen.pk and AppointmentSlot.objects.get(pk=chosen.pk).booked == 2
    expect(page.get_by_test_id("appointment-number")).to_have_text(booked.number)
    expect(page.get_by_test_id("appointment-when")).to_contain_text("09:30–10:00")
    qr = page.get_by_test_id("appointment-qr")
    expect(qr).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=appointment-qr]').naturalWidth > 0")
    box = qr.bounding_box()
    assert box["width"] >= 200, f"the QR code is {box['width']}px wide: too small to scan"
    fits(page)
    axe(page, "the booking")
    shot(page, "booked")

    page.get_by_role("link", name=words("我的预约", "My appointments")).first.click()
    expect(page.get_by_test_id("appointments-coming").get_by_test_id("appointment-card")).to_have_count(1)
    fits(page)
    axe(page, "my appointments")
    shot(page, "my-appointments")

    # The elder-friendly mode: larger type, still a phone's width, the QR code still whole.
    page.get_by_test_id("appointment-card").click()
    elder.switch_on(page)
    expect(page.get_by_test_id("appointment-qr")).to_be_visible()
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.booking-ticket .when')).fontSize)"
    )
    assert size >= 24, f"the elder-friendly mode's time is {size}px"
    fits(page)
    axe(page, "the booking, elder mode")
    shot(page, "booked-elder")

    expect(page.get_by_test_id("appointment-cancel")).to_be_hidden()  # one tap does not cancel
    page.get_by_test_id("appointment-cancel-open").locator("summary").click()
    shot(page, "cancel-open")
    page.get_by_test_id("appointment-cancel").click()
    expect(page.get_by_test_id("appointment-state")).to_have_text(words("已取消", "Cancelled"))
    expect(page.get_by_test_id("appointment-qr")).to_have_count(0)
    assert Appointment.objects.get(pk=booked.pk).state == AppointmentState.CANCELLED
    assert AppointmentSlot.objects.get(pk=chosen.pk).booked == 1
    fits(page)
    shot(page, "cancelled")
