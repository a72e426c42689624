"""Calling at the window through the API (/api/v1/windows/<id>/…, /api/v1/tickets/<id>/…): the same
services as the panel, refused the same way (400 naming the field, 403, 404, 409)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.visits.models import Ticket, TicketCall, TicketState
from tests.factories import make_staff
from tests.factories.cases import make_filing
from tests.factories.visits import make_ticket
from tests.visits.calling_setup import CallingHall

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]


@pytest.fixture
def hall():
    return CallingHall()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def call_next(client, window, **body):
    return client.post(reverse("api-window-call-next", args=[window.pk]), body, format="json")


def on(client, ticket, action: str, **body):
    return client.post(reverse(f"api-ticket-{action}", args=[ticket.pk]), body, format="json")


def test_a_visit_through_the_api(hall):
    clerk = api(hall.clerk)
    make_ticket(hall.area, name="李四")
    response = call_next(clerk, hall.window)
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["state"], body["window"], body["name"]) == (
        "A001",
        "called",
        hall.window.number,
        "李四",
    )
    assert body["actions"] == ["recall", "start", "skip", "transfer"]
    ticket = Ticket.objects.get(pk=body["id"])
    assert on(clerk, ticket, "recall").json()["call_count"] == 2
    assert on(clerk, ticket, "start").json()["state"] == "serving"
    filing = make_filing(centre=hall.centre, window=hall.window, clerk=hall.clerk)
    assert on(clerk, ticket, "filings", filing=filing.pk).json()["filings"] == [filing.pk]
    assert on(clerk, ticket, "finish").json()["state"] == "done"
    assert call_next(clerk, hall.window).status_code == 204  # nobody waits


def test_skip_recall_skipped_and_transfer(hall):
    clerk = api(hall.clerk)
    make_ticket(hall.area)
    ticket = Ticket.objects.get(pk=call_next(clerk, hall.window).json()["id"])
    assert on(clerk, ticket, "skip").json()["state"] == "skipped"
    # The other window's clerk calls it back to their window.
    body = on(api(hall.other_clerk), ticket, "recall-skipped").json()
    assert (body["state"], body["window"]) == ("called", hall.other_window.number)
    body = on(api(hall.other_clerk), ticket, "transfer", area=hall.other_area.pk).json()
    assert (body["state"], body["area_prefix"], body["window"]) == ("waiting", "B", None)
    assert TicketCall.objects.filter(ticket=ticket).count() == 2


def test_refusals(hall):
    clerk = api(hall.clerk)
    make_ticket(hall.area)
    response = call_next(clerk, hall.window, area=hall.unserved_area.pk)
    assert response.status_code == 400 and "不办理该服务区" in response.json()["area"][0]
    ticket = Ticket.objects.get(pk=call_next(clerk, hall.window).json()["id"])
    response = call_next(clerk, hall.window)
    assert response.status_code == 409 and "还有 A001 号未办完" in response.json()["detail"]
    assert on(clerk, ticket, "finish").status_code == 409  # not started
    assert on(api(hall.other_clerk), ticket, "start").status_code == 400  # not their window
    assert on(clerk, ticket, "transfer", area="x").status_code == 400
    assert call_next(api(hall.other_clerk), hall.window).status_code == 400  # not their window
    supervisor = api(make_staff(Role.SUPERVISOR, centre=hall.centre))
    assert call_next(supervisor, hall.window).status_code == 403
    assert on(supervisor, ticket, "skip").status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.CALLED


def test_another_centres_windows_and_tickets_are_not_found(hall):
    elsewhere = CallingHall()
    foreign = make_ticket(elsewhere.area)
    clerk = api(hall.clerk)
    assert call_next(clerk, elsewhere.window).status_code == 404
    assert on(clerk, foreign, "recall").status_code == 404
    assert clerk.get(reverse("api-window-queue", args=[elsewhere.window.pk])).status_code == 404


def test_the_windows_queue(hall):
    clerk = api(hall.clerk)
    make_ticket(hall.area)
    make_ticket(hall.area)
    make_ticket(hall.other_area)
    skipped = Ticket.objects.get(pk=call_next(clerk, hall.window).json()["id"])
    on(clerk, skipped, "skip")
    call_next(clerk, hall.window)
    body = clerk.get(reverse("api-window-queue", args=[hall.window.pk])).json()
    assert body["window"] == hall.window.number
    assert body["current"]["number"] == "A002"
    assert {area["prefix"]: area["waiting"] for area in body["areas"]} == {"A": 0, "B": 1}
    assert [ticket["number"] for ticket in body["recallable"]] == ["A001"]
    assert api(hall.other_clerk).get(reverse("api-window-queue", args=[hall.window.pk])).status_code == 400
