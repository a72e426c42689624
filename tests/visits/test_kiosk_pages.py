"""The kiosk's pages (/kiosk/): a paired kiosk only; the three ways to a ticket; refusals said on the
page; the printed ticket shows no name or ID number."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.urls import reverse

from apps.visits.devices import DEVICE_COOKIE
from apps.visits.models import AppointmentState, DeviceKind, Ticket
from tests.factories.visits import make_device
from tests.visits.ticket_setup import Hall, aged, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return Hall()


@pytest.fixture
def kiosk(client, hall):
    _device, key = make_device(hall.centre, DeviceKind.KIOSK)
    client.cookies[DEVICE_COOKIE] = key
    return client


@pytest.fixture(autouse=True)
def ten_oclock():
    with time_machine.travel(at(10), tick=False):
        yield


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("name", ["kiosk:home", "kiosk:id", "kiosk:scan", "kiosk:walk_in"])
def test_an_unpaired_screen_or_a_display_is_shown_the_pairing_link(client, hall, name):
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert reverse("display:pair") in _text(response)
    _display, key = make_device(hall.centre, DeviceKind.DISPLAY)
    client.cookies[DEVICE_COOKIE] = key
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("kiosk:walk_in"), {"area": hall.area.pk}).status_code == 403
    assert not Ticket.objects.exists()


def test_the_start_offers_the_three_ways(kiosk, hall):
    text = _text(kiosk.get(reverse("kiosk:home")))
    for name in ("kiosk:id", "kiosk:scan", "kiosk:walk_in"):
        assert f'href="{reverse(name)}"' in text
    assert hall.centre.name in text


def test_a_walk_in_ticket_is_printed_with_number_area_people_ahead_and_time(kiosk, hall):
    page = _text(kiosk.get(reverse("kiosk:walk_in")))
    assert hall.area.category.name in page and hall.other_area.category.name in page
    kiosk.post(reverse("kiosk:walk_in"), {"area": hall.area.pk})
    response = kiosk.post(reverse("kiosk:walk_in"), {"area": hall.area.pk}, follow=True)
    ticket = Ticket.objects.get(number="A002")
    assert response.redirect_chain[-1][0] == reverse("kiosk:ticket", args=[ticket.pk])
    text = _text(response)
    assert 'data-testid="kiosk-ticket-number">A002<' in text
    assert 'data-testid="kiosk-ticket-ahead">1<' in text
    assert "2026-12-02 10:00" in text
    assert hall.area.category.name in text and hall.centre.name in text


def test_the_ticket_is_laid_out_for_a_58_mm_receipt():
    css = Path(finders.find("css/kiosk.css")).read_text()
    assert re.search(r"@media print\s*{\s*@page\s*{\s*size:\s*58mm auto", css)


def test_an_id_without_a_booking_chooses_the_area_and_its_ticket_shows_no_id(kiosk, hall):
    id_number = aged(75)
    response = kiosk.post(reverse("kiosk:id"), {"id_number": id_number})
    assert response.status_code == 200
    text = _text(response)
    assert f'data-testid="kiosk-area-{hall.area.prefix}"' in text
    assert f'name="id_number" value="{id_number}"' in text
    response = kiosk.post(
        reverse("kiosk:id"), {"id_number": id_number, "area": hall.other_area.pk}, follow=True
    )
    text = _text(response)
    assert 'data-testid="kiosk-ticket-number">B001<' in text
    assert 'data-testid="kiosk-ticket-priority"' in text  # 75 years old
    assert id_number not in text and id_number[-4:] + "<" not in text


def test_a_mistyped_id_is_said_on_the_id_page(kiosk):
    response = kiosk.post(reverse("kiosk:id"), {"id_number": "12345"})
    assert response.status_code == 400
    assert 'data-testid="kiosk-error"' in _text(response)
    assert not Ticket.objects.exists()


def test_a_booking_scanned_gives_its_ticket_without_the_name(kiosk, hall):
    booking = hall.booking(starts=dt.time(10, 0), name="欧阳娜娜")
    response = kiosk.post(reverse("kiosk:scan"), {"code": f"  {booking.token}\n"}, follow=True)
    text = _text(response)
    assert 'data-testid="kiosk-ticket-number">A001<' in text
    assert "欧阳" not in text and booking.id_number not in text
    booking.refresh_from_db()
    assert booking.state == AppointmentState.CHECKED_IN


def test_an_expired_booking_is_refused_with_the_reason_on_the_scan_page(kiosk, hall):
    booking = hall.booking(starts=dt.time(9, 0))  # ended 09:30, grace to 09:45
    response = kiosk.post(reverse("kiosk:scan"), {"code": booking.token})
    assert response.status_code == 409
    text = _text(response)
    assert 'data-testid="kiosk-error"' in text
    assert re.search("过期|expired", text)
    assert 'data-testid="kiosk-scan-input"' in text
    assert not Ticket.objects.exists()


def test_another_centres_booking_is_refused_naming_that_centre(kiosk, hall):
    there = Hall()
    response = kiosk.post(reverse("kiosk:scan"), {"code": there.booking().token})
    assert response.status_code == 409
    assert there.centre.name in _text(response)


def test_an_id_whose_booking_expired_is_told_and_offered_the_areas(kiosk, hall):
    booking = hall.booking(starts=dt.time(9, 0), id_number=aged(30))
    response = kiosk.post(reverse("kiosk:id"), {"id_number": booking.id_number})
    assert response.status_code == 409
    text = _text(response)
    assert re.search("过期|expired", text)
    assert f'data-testid="kiosk-area-{hall.area.prefix}"' in text


def test_a_ticket_page_is_only_its_centres_and_only_for_a_few_minutes(kiosk, client, hall):
    kiosk.post(reverse("kiosk:walk_in"), {"area": hall.area.pk})
    ticket = Ticket.objects.get()
    url = reverse("kiosk:ticket", args=[ticket.pk])
    assert kiosk.get(url).status_code == 200
    there = Hall()
    _device, key = make_device(there.centre, DeviceKind.KIOSK)
    other = type(client)()
    other.cookies[DEVICE_COOKIE] = key
    assert other.get(url).status_code == 404
    with time_machine.travel(at(10, 6), tick=False):
        assert kiosk.get(url).status_code == 404


def test_the_ticket_page_goes_back_to_the_start_and_loads_no_inline_script(kiosk, hall):
    response = kiosk.post(reverse("kiosk:walk_in"), {"area": hall.area.pk}, follow=True)
    text = _text(response)
    assert 'data-idle-seconds="15"' in text
    assert f"url={reverse('kiosk:home')}" in text  # <noscript> refresh
    assert re.findall(r"<script(?![^>]*\bsrc=)", text) == []


def test_pages_read_a_constant_number_of_queries(kiosk, hall, django_assert_max_num_queries):
    for _ in range(3):
        kiosk.post(reverse("kiosk:walk_in"), {"area": hall.area.pk})
    last = Ticket.objects.order_by("-pk").first()
    with django_assert_max_num_queries(6):
        kiosk.get(reverse("kiosk:walk_in"))
    with django_assert_max_num_queries(6):
        kiosk.get(reverse("kiosk:ticket", args=[last.pk]))


def test_after_closing_the_start_says_so_and_no_ticket_is_taken(kiosk, hall):
    with time_machine.travel(at(17, 5), tick=False):
        text = _text(kiosk.get(reverse("kiosk:home")))
        assert 'data-testid="kiosk-closed"' in text
        assert re.search("已停止|closed for today", text)
        response = kiosk.post(reverse("kiosk:id"), {"id_number": aged(40)})
        assert response.status_code == 409
        assert 'data-testid="kiosk-id-input"' in _text(response)  # not offered the areas
        assert kiosk.post(reverse("kiosk:walk_in"), {"area": hall.area.pk}).status_code == 409
    assert not Ticket.objects.exists()
    assert 'data-testid="kiosk-closed"' not in _text(kiosk.get(reverse("kiosk:home")))
