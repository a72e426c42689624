"""The calling panel's "put a ticket first" form (apps/desks/calling_flags.py): a clerk names a ticket
of their window's centre by its number and why (disabled person, green channel); the panel comes back
with what happened. Driven through the view itself (its route is listed with the panel's)."""

import pytest
import time_machine
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.desks.calling_flags import flag
from apps.visits.models import PriorityReason, Ticket, TicketSource
from apps.visits.ticketing import issue_ticket
from tests.factories import WindowFactory, make_staff
from tests.visits.ticket_setup import Hall, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ten_oclock():
    with time_machine.travel(at(10), tick=False):
        yield


@pytest.fixture
def hall():
    hall = Hall()
    hall.window = WindowFactory(centre=hall.centre)
    hall.area.windows.add(hall.window)
    hall.clerk = make_staff(Role.CLERK, centre=hall.centre, window=hall.window)
    return hall


def _post(user, data, *, htmx=True):
    request = RequestFactory().post(
        "/intake/calling/flag/", data, **({"HTTP_HX_REQUEST": "true"} if htmx else {})
    )
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = HtmxDetails(request)
    return flag(request)


def _walk_in(hall):
    return issue_ticket(centre_id=hall.centre.pk, source=TicketSource.WALK_IN, area_id=hall.area.pk)


def test_a_clerk_puts_a_waiting_ticket_first_and_sees_the_panel_again(hall):
    _walk_in(hall)
    second = _walk_in(hall)
    response = _post(hall.clerk, {"number": "a002", "reason": "disabled", "note": "轮椅"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="calling-panel"' in text and 'data-testid="calling-done"' in text
    assert "A002" in text
    second.refresh_from_db()
    assert second.priority_reasons == [PriorityReason.DISABLED]
    entry = TransitionLog.objects.get(object_id=str(second.pk), transition="flag_priority")
    assert (entry.actor, entry.comment) == (hall.clerk, "轮椅")


def test_an_unknown_number_or_reason_is_said_in_the_panel(hall):
    _walk_in(hall)
    for data in ({"number": "A009", "reason": "disabled"}, {"number": "A001", "reason": "elderly"}):
        text = _post(hall.clerk, data).content.decode()
        assert 'data-testid="calling-error"' in text
    assert Ticket.objects.get().priority == 0


def test_another_centres_ticket_of_the_same_number_is_not_reached(hall):
    there = Hall()
    theirs = _walk_in(there)
    _post(hall.clerk, {"number": theirs.number, "reason": "green_channel"})
    theirs.refresh_from_db()
    assert theirs.priority == 0


def test_without_script_the_desk_gets_the_outcome_as_a_message(hall):
    _walk_in(hall)
    response = _post(hall.clerk, {"number": "A001", "reason": "green_channel"}, htmx=False)
    assert (response.status_code, response["Location"]) == (302, "/intake/")
    assert Ticket.objects.get().priority_reasons == [PriorityReason.GREEN_CHANNEL]


def test_only_the_intake_desk(hall):
    from django.core.exceptions import PermissionDenied

    _walk_in(hall)
    with pytest.raises(PermissionDenied):
        _post(make_staff(Role.SUPERVISOR, centre=hall.centre), {"number": "A001", "reason": "disabled"})
    assert Ticket.objects.get().priority == 0
