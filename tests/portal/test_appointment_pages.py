"""The online hall's booking pages (预约办理): the guide's button, day → time (places left) → confirm,
the refusal said on the page, the booking's page with its number, QR code and cancellation, the list,
the suspension with its end date; another account's booking a 404; constant queries."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.roles import Role
from apps.visits import appointments
from apps.visits.models import Appointment, AppointmentState, BookingSuspension
from tests.factories import make_staff
from tests.factories.visits import real_name_citizen
from tests.visits.appointment_setup import MONDAY, NOW, TUESDAY, make_hall, said

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def hall():
    return make_hall()


@pytest.fixture
def citizen():
    return real_name_citizen()


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def test_the_guide_offers_booking_where_the_item_supports_it(client, hall):
    page = client.get(reverse("guides:item", args=[hall.item.lineage.code])).content.decode()
    assert 'data-testid="book-visit"' in page and reverse("portal:appointment_new") in page
    from tests.factories.visits import bookable_item

    walk_in = bookable_item(hall.area, appointment_supported=False)
    other = client.get(reverse("guides:item", args=[walk_in.lineage.code])).content.decode()
    assert 'data-testid="book-visit"' not in other


def test_day_time_confirm_and_book(logged_in, hall, citizen):
    full = hall.slot(starts_at=dt.time(9, 0), booked=2)
    free = hall.slot(starts_at=dt.time(9, 30), booked=1)
    url = reverse("portal:appointment_new")
    page = logged_in.get(url, {"item": hall.item.pk, "date": "2026-12-08"}).content.decode()
    assert 'data-testid="day-2026-12-08"' in page and 'data-testid="day-2026-12-07"' in page
    assert f"slot={free.pk}" in page and f"slot={full.pk}" not in page  # full: shown, not a link
    confirm = logged_in.get(
        url, {"item": hall.item.pk, "date": "2026-12-08", "slot": free.pk}
    ).content.decode()
    assert 'data-testid="booking-confirm"' in confirm and "09:30–10:00" in confirm
    response = logged_in.post(f"{url}?item={hall.item.pk}&date=2026-12-08", {"slot": free.pk})
    booked = Appointment.objects.get(citizen=citizen)
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:appointment", args=[booked.pk]
    )
    detail = logged_in.get(response["Location"]).content.decode()
    assert booked.number in detail and reverse("portal:appointment_qr", args=[booked.pk]) in detail
    qr = logged_in.get(reverse("portal:appointment_qr", args=[booked.pk]))
    assert qr["Content-Type"] == "image/png" and qr.content.startswith(b"\x89PNG")
    listed = logged_in.get(reverse("portal:appointments")).content.decode()
    assert 'data-testid="appointments-coming"' in listed and booked.number in listed


def test_a_refusal_is_said_on_the_page(logged_in, hall):
    slot = hall.slot(capacity=1, booked=1)
    url = f"{reverse('portal:appointment_new')}?item={hall.item.pk}"
    page = logged_in.post(url, {"slot": slot.pk}).content.decode()
    assert 'data-testid="booking-error"' in page
    assert any(
        text in page
        for text in said("该时段已约满，请选择其他时段。", "This time is fully booked: choose another.")
    )
    assert not Appointment.objects.exists()


def test_a_suspension_is_shown_with_its_end_date(logged_in, hall, citizen):
    hall.slot()
    BookingSuspension.objects.create(
        citizen=citizen, starts_on=MONDAY, ends_on=dt.date(2027, 1, 5), no_shows=3
    )
    page = logged_in.get(reverse("portal:appointment_new"), {"item": hall.item.pk}).content.decode()
    assert 'data-testid="booking-suspended"' in page and "2027-01-05" in page
    assert 'data-testid="booking-days"' not in page
    assert "2027-01-05" in logged_in.get(reverse("portal:appointments")).content.decode()


def test_cancel_from_the_page(logged_in, hall, citizen):
    booked = appointments.book(citizen=citizen, slot_id=hall.slot().pk, item_id=hall.item.pk)
    page = logged_in.get(reverse("portal:appointment", args=[booked.pk])).content.decode()
    assert 'data-testid="appointment-cancel"' in page
    response = logged_in.post(reverse("portal:appointment_cancel", args=[booked.pk]))
    assert response.status_code == 302
    assert Appointment.objects.get(pk=booked.pk).state == AppointmentState.CANCELLED
    after = logged_in.get(reverse("portal:appointment", args=[booked.pk])).content.decode()
    assert 'data-testid="appointment-cancel"' not in after and 'data-testid="appointment-qr"' not in after


def test_another_accounts_booking_is_not_found(client, hall, citizen):
    booked = appointments.book(citizen=citizen, slot_id=hall.slot().pk, item_id=hall.item.pk)
    client.force_login(real_name_citizen())
    for name in ("portal:appointment", "portal:appointment_qr"):
        assert client.get(reverse(name, args=[booked.pk])).status_code == 404
    assert client.post(reverse("portal:appointment_cancel", args=[booked.pk])).status_code == 404
    assert Appointment.objects.get(pk=booked.pk).state == AppointmentState.BOOKED


def test_staff_get_403_and_visitors_the_login(client, hall):
    url = reverse("portal:appointments")
    assert client.get(url).status_code == 302
    client.force_login(make_staff(Role.CLERK, centre=hall.centre))
    assert client.get(url).status_code == 403


def test_unknown_targets_are_not_found(logged_in):
    url = reverse("portal:appointment_new")
    for query in ({}, {"item": "x"}, {"item": 999999}, {"bundle": 999999}):
        assert logged_in.get(url, query).status_code == 404


def test_the_list_takes_constant_queries(logged_in, hall, citizen, django_assert_max_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert logged_in.get(reverse("portal:appointments")).status_code == 200
        return len(queries)

    appointments.book(citizen=citizen, slot_id=hall.slot().pk, item_id=hall.item.pk)
    one = count()
    for n in range(1, 6):
        appointments.book(
            citizen=citizen,
            slot_id=hall.slot(day=TUESDAY, starts_at=dt.time(9 + n, 0)).pk,
            item_id=hall.item.pk,
        )
    with django_assert_max_num_queries(one):
        logged_in.get(reverse("portal:appointments"))


def test_the_day_page_takes_constant_queries(logged_in, hall, django_assert_max_num_queries):
    hall.slot()
    url = reverse("portal:appointment_new")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        logged_in.get(url, {"item": hall.item.pk, "date": "2026-12-08"})
    for n in range(1, 8):
        hall.slot(starts_at=dt.time(9 + n // 2, 30 * (n % 2)))
    with django_assert_max_num_queries(len(queries)):
        logged_in.get(url, {"item": hall.item.pk, "date": "2026-12-08"})


def test_the_first_day_with_a_place_is_open_and_full_days_say_so(logged_in, hall):
    hall.slot(day=MONDAY, starts_at=dt.time(15, 0), booked=2)  # today: full
    wednesday = dt.date(2026, 12, 9)
    free = hall.slot(day=wednesday, starts_at=dt.time(9, 0), booked=1)
    page = logged_in.get(reverse("portal:appointment_new"), {"item": hall.item.pk}).content.decode()
    assert f"slot={free.pk}" in page  # Wednesday's times: Monday is full, Tuesday has no slot
    days = page.split('data-testid="booking-days"')[1].split("</ul>")[0]
    monday, tuesday, wed = (
        days.split(f'data-testid="day-{d}"')[1].split("</a>")[0]
        for d in ("2026-12-07", "2026-12-08", "2026-12-09")
    )
    assert any(word in monday for word in said("已满", "Full")) and any(
        word in tuesday for word in said("已满", "Full")
    )
    assert any(word in wed for word in said("余 1", "1 left"))
    assert 'aria-current="true"' in days.split('data-testid="day-2026-12-09"')[0].rsplit("<a ", 1)[1]


def test_a_bundle_guide_offers_booking_when_every_item_takes_appointments(client, hall):
    from tests.factories.catalogue import BundleFactory
    from tests.factories.visits import bookable_item

    def bundle_of(*items):
        bundle = BundleFactory(centre=hall.centre, state="published")
        for order, item in enumerate(items):
            bundle.entries.create(lineage=item.lineage, order=order)
        return client.get(reverse("guides:bundle", args=[bundle.code])).content.decode()

    second = bookable_item(hall.area)
    walk_in = bookable_item(hall.area, appointment_supported=False)
    page = bundle_of(hall.item, second)
    assert 'data-testid="book-visit"' in page and 'name="bundle"' in page
    assert 'data-testid="book-visit"' not in bundle_of(hall.item, walk_in)
    assert 'data-testid="book-visit"' not in bundle_of(walk_in, hall.item)
