"""The tickets' API: a kiosk app takes tickets with its device key; staff list their centres' tickets
and flag one first."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.visits.devices import DEVICE_HEADER
from apps.visits.models import DeviceKind, PriorityReason, Ticket, TicketSource
from apps.visits.ticketing import issue_ticket
from tests.factories import make_staff
from tests.factories.visits import make_device
from tests.visits.ticket_setup import Hall, aged, at

pytestmark = pytest.mark.django_db

KIOSK_URL = "/api/v1/kiosk/tickets/"


@pytest.fixture(autouse=True)
def ten_oclock():
    with time_machine.travel(at(10), tick=False):
        yield


@pytest.fixture
def hall():
    return Hall()


@pytest.fixture
def kiosk(hall):
    _device, key = make_device(hall.centre, DeviceKind.KIOSK)
    client = APIClient()
    client.credentials(**{f"HTTP_{DEVICE_HEADER.upper().replace('-', '_')}": key})
    return client


def test_a_kiosk_app_takes_a_walk_in_ticket(kiosk, hall):
    response = kiosk.post(KIOSK_URL, {"source": "walk_in", "area": hall.area.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("number", "area_prefix", "people_ahead", "priority_reasons")} == {
        "number": "A001",
        "area_prefix": "A",
        "people_ahead": 0,
        "priority_reasons": [],
    }
    assert body["centre"] == hall.centre.name
    assert "name" not in body and "id_number" not in body


def test_a_booking_by_its_code_and_the_refusals(kiosk, hall):
    booking = hall.booking(starts=dt.time(10, 0), id_number=aged(40))
    body = {"source": "appointment", "appointment_token": booking.token}
    first = kiosk.post(KIOSK_URL, body, format="json")
    assert (first.status_code, first.json()["priority_reasons"]) == (201, [PriorityReason.APPOINTMENT])
    again = kiosk.post(KIOSK_URL, body, format="json")
    assert again.status_code == 409
    assert first.json()["number"] in again.json()["detail"]


def test_an_id_without_a_booking_is_asked_for_the_area(kiosk, hall):
    response = kiosk.post(KIOSK_URL, {"source": "id_number", "id_number": aged(71)}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "area_needed" and response.json()["area"]
    response = kiosk.post(
        KIOSK_URL, {"source": "id_number", "id_number": aged(71), "area": hall.area.pk}, format="json"
    )
    assert (response.status_code, response.json()["priority_reasons"]) == (201, [PriorityReason.ELDERLY])


def test_the_staff_list_masks_the_id_number(hall):
    id_number = aged(30)
    issue_ticket(
        centre_id=hall.centre.pk, source=TicketSource.ID_NUMBER, id_number=id_number, area_id=hall.area.pk
    )
    client = APIClient()
    client.force_login(make_staff(Role.SUPERVISOR, centre=hall.centre))
    response = client.get("/api/v1/tickets/")
    assert response.json()["results"][0]["id_number"] == id_number[:6] + "********" + id_number[-4:]
    assert id_number not in response.content.decode()


def test_without_a_kiosks_key_no_ticket(hall):
    client = APIClient()
    assert (
        client.post(KIOSK_URL, {"source": "walk_in", "area": hall.area.pk}, format="json").status_code == 403
    )
    _display, key = make_device(hall.centre, DeviceKind.DISPLAY)
    client.credentials(**{f"HTTP_{DEVICE_HEADER.upper().replace('-', '_')}": key})
    assert (
        client.post(KIOSK_URL, {"source": "walk_in", "area": hall.area.pk}, format="json").status_code == 403
    )
    assert not Ticket.objects.exists()


def _walk_in(hall, area=None):
    return issue_ticket(centre_id=hall.centre.pk, source=TicketSource.WALK_IN, area_id=(area or hall.area).pk)


def test_staff_list_their_centres_tickets_of_the_day_with_filters(hall, django_assert_max_num_queries):
    other = Hall()
    mine = [_walk_in(hall), _walk_in(hall, hall.other_area)]
    _walk_in(other)
    clerk = make_staff(Role.CLERK, centre=hall.centre)
    client = APIClient()
    client.force_login(clerk)
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/tickets/")
    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == [t.number for t in mine]
    assert client.get("/api/v1/tickets/", {"area": hall.other_area.pk}).json()["count"] == 1
    assert client.get("/api/v1/tickets/", {"date": "2026-12-01"}).json()["count"] == 0
    for _ in range(5):
        _walk_in(hall)
    with django_assert_max_num_queries(9):  # as for two
        assert client.get("/api/v1/tickets/").json()["count"] == 7


@pytest.mark.parametrize("role", [Role.APPROVER, Role.CITIZEN, Role.ASSISTANT])
def test_others_may_not_list_tickets(hall, role):
    client = APIClient()
    client.force_login(make_staff(role, centre=hall.centre))
    assert client.get("/api/v1/tickets/").status_code == 403


def test_a_clerk_flags_a_ticket_and_another_centres_clerk_gets_a_404(hall):
    ticket = _walk_in(hall)
    client = APIClient()
    client.force_login(make_staff(Role.CLERK, centre=Hall().centre))
    url = f"/api/v1/tickets/{ticket.pk}/priority/"
    assert client.post(url, {"reason": "disabled"}, format="json").status_code == 404
    client.force_login(make_staff(Role.SUPERVISOR, centre=hall.centre))
    assert client.post(url, {"reason": "elderly"}, format="json").status_code == 400
    response = client.post(url, {"reason": "green_channel", "note": "重点项目"}, format="json")
    assert response.status_code == 200
    assert response.json()["priority_reasons"] == [PriorityReason.GREEN_CHANNEL]
    assert client.post(url, {"reason": "green_channel"}, format="json").status_code == 409
