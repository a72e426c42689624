"""The appointments API (/api/v1/appointments/): a citizen's own bookings, booking with a reason on
refusal, cancelling, the QR code carrying the token, availability of an item; another account's
booking a 404; staff refused."""

import datetime as dt
import subprocess

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.visits.models import Appointment, AppointmentState, BookingSuspension
from tests.capabilities import require
from tests.factories import make_staff
from tests.factories.visits import real_name_citizen
from tests.visits.appointment_setup import MONDAY, NOW, TUESDAY, at, make_hall, said

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
def api(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client


def book(api, hall, slot):
    return api.post(reverse("appointment-list"), {"slot": slot.pk, "item": hall.item.pk}, format="json")


def test_book_list_detail_and_cancel(api, hall, citizen):
    slot = hall.slot()
    response = book(api, hall, slot)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == AppointmentState.BOOKED and body["number"].startswith("YY20261208")
    assert (body["date"], body["starts_at"], body["area"]) == ("2026-12-08", "09:00:00", hall.area.pk)
    assert body["can_cancel"] is True and body["service"] == hall.item.name
    [listed] = api.get(reverse("appointment-list")).json()
    assert listed["id"] == body["id"]
    assert api.get(reverse("appointment-detail", args=[body["id"]])).json()["token"] == body["token"]
    cancelled = api.post(reverse("appointment-cancel", args=[body["id"]]))
    assert cancelled.status_code == 200 and cancelled.json()["state"] == AppointmentState.CANCELLED
    again = api.post(reverse("appointment-cancel", args=[body["id"]]))
    assert again.status_code == 409


def test_a_full_slot_is_refused_with_the_reason(api, hall):
    slot = hall.slot(capacity=1, booked=1)
    response = book(api, hall, slot)
    assert response.status_code == 400
    assert response.json()["slot"][0] in said(
        "该时段已约满，请选择其他时段。", "This time is fully booked: choose another."
    )
    assert not Appointment.objects.exists()


def test_the_qr_code_is_a_png_of_the_token(api, hall, tmp_path):
    require("zbarimg")
    body = book(api, hall, hall.slot()).json()
    response = api.get(body["qr_url"])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    (tmp_path / "qr.png").write_bytes(response.content)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "qr.png")], capture_output=True, text=True, check=True
    )
    assert decoded.stdout.strip() == body["token"]


def test_another_accounts_booking_is_not_found(api, hall):
    other = APIClient()
    other.force_authenticate(real_name_citizen())
    body = book(api, hall, hall.slot()).json()
    for name in ("appointment-detail", "appointment-qr"):
        assert other.get(reverse(name, args=[body["id"]])).status_code == 404
    assert other.post(reverse("appointment-cancel", args=[body["id"]])).status_code == 404
    assert other.get(reverse("appointment-list")).json() == []
    assert Appointment.objects.get().state == AppointmentState.BOOKED


def test_staff_are_refused(hall):
    clerk = APIClient()
    clerk.force_authenticate(make_staff(Role.CLERK, centre=hall.centre))
    assert clerk.get(reverse("appointment-list")).status_code == 403
    assert (
        clerk.post(reverse("appointment-list"), {"slot": hall.slot().pk, "item": hall.item.pk}).status_code
        == 403
    )


def test_anonymous_is_refused(hall):
    assert APIClient().get(reverse("appointment-list")).status_code in (401, 403)


def test_availability_lists_the_days_and_the_slots_with_places_left(api, hall, citizen):
    hall.slot(day=MONDAY, starts_at=dt.time(9, 30))  # begun: not listed
    later = hall.slot(day=MONDAY, starts_at=dt.time(14, 0), booked=2)
    tuesday = hall.slot(day=TUESDAY, starts_at=dt.time(9, 0), booked=1)
    url = reverse("appointment-availability")
    body = api.get(url, {"item": hall.item.pk}).json()
    assert body["area"] == hall.area.pk and body["service"] == hall.item.name
    assert body["dates"][:2] == ["2026-12-07", "2026-12-08"] and len(body["dates"]) == 7
    assert body["days"][:3] == [
        {"date": "2026-12-07", "left": 0},
        {"date": "2026-12-08", "left": 1},
        {"date": "2026-12-09", "left": 0},
    ]
    assert body["date"] == "2026-12-08"  # the first day with a place
    monday = api.get(url, {"item": hall.item.pk, "date": "2026-12-07"}).json()
    assert monday["slots"] == [{"id": later.pk, "starts_at": "14:00:00", "ends_at": "14:30:00", "left": 0}]
    tuesday_body = api.get(url, {"item": hall.item.pk, "date": "2026-12-08"}).json()
    assert tuesday_body["slots"] == [
        {"id": tuesday.pk, "starts_at": "09:00:00", "ends_at": "09:30:00", "left": 1}
    ]
    assert tuesday_body["suspended_until"] is None
    BookingSuspension.objects.create(
        citizen=citizen, starts_on=MONDAY, ends_on=at(TUESDAY, 0).date(), no_shows=3
    )
    assert api.get(url, {"item": hall.item.pk}).json()["suspended_until"] == "2026-12-08"


def test_availability_of_a_service_not_booked_is_not_found(api, hall):
    from tests.factories.visits import bookable_item

    walk_in = bookable_item(hall.area, appointment_supported=False)
    assert api.get(reverse("appointment-availability"), {"item": walk_in.pk}).status_code == 404
    assert api.get(reverse("appointment-availability")).status_code == 404


def test_the_answers_are_what_the_schema_says(api, hall, citizen):
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from tests.hall.test_api_schema import assert_conforms

    schema = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    created = book(api, hall, hall.slot())
    assert_conforms(schema, "/api/v1/appointments/", "post", created)
    refused = book(api, hall, hall.slot(starts_at=dt.time(10, 0), capacity=1, booked=1))
    assert refused.status_code == 400
    assert_conforms(schema, "/api/v1/appointments/", "post", refused)
    pk = created.json()["id"]
    assert_conforms(schema, "/api/v1/appointments/", "get", api.get(reverse("appointment-list")))
    assert_conforms(
        schema, "/api/v1/appointments/{id}/", "get", api.get(reverse("appointment-detail", args=[pk]))
    )
    availability = api.get(reverse("appointment-availability"), {"item": hall.item.pk})
    assert_conforms(schema, "/api/v1/appointments/availability/", "get", availability)
    BookingSuspension.objects.create(citizen=citizen, starts_on=MONDAY, ends_on=TUESDAY, no_shows=3)
    suspended = api.get(reverse("appointment-availability"), {"item": hall.item.pk, "date": "2026-12-20"})
    assert suspended.json()["slots"] == [] and suspended.json()["date"] == "2026-12-20"  # not bookable: none
    assert_conforms(schema, "/api/v1/appointments/availability/", "get", suspended)
    cancelled = api.post(reverse("appointment-cancel", args=[pk]))
    assert_conforms(schema, "/api/v1/appointments/{id}/cancel/", "post", cancelled)
    assert_conforms(
        schema,
        "/api/v1/appointments/{id}/cancel/",
        "post",
        api.post(reverse("appointment-cancel", args=[pk])),
    )
