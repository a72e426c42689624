"""The order a service area's queue is called in, on a known set of tickets (优先).

One area, one morning. Taken in this order (time, who):

    09:00  walk-in                                  → no priority
    09:05  B001 taken at area B, called there and transferred here at 09:40: waits from 09:40 → none
    09:10  resident ID, 70 today                    → elderly
    09:15  resident ID, 70 tomorrow                 → none (69 today)
    09:20  walk-in, then flagged disabled by a clerk → disabled
    09:30  walk-in, then flagged green channel      → green channel
    09:50  booking 10:00–10:30 (10 minutes early: within the grace) → appointment
    09:55  booking 11:00–11:30 (65 minutes early)   → none

Priority first (each reason counts the same), then the longest wait:
    elderly 09:10, disabled 09:20, green 09:30, appointment 09:50,
    then walk-in 09:00, 69-year-old 09:15, transferred 09:40, too early 09:55.
"""

import datetime as dt

import pytest

from apps.accounts.roles import Role
from apps.visits import calling, ticketing
from apps.visits.calling_selectors import waiting_in
from apps.visits.models import PriorityReason, Ticket, TicketSource
from tests.factories import WindowFactory, make_staff
from tests.visits.ticket_setup import DAY, Hall, aged, at

pytestmark = pytest.mark.django_db


def _walk_in(hall, when, area=None):
    return ticketing.issue_ticket(
        centre_id=hall.centre.pk, source=TicketSource.WALK_IN, area_id=(area or hall.area).pk, now=when
    )


def _by_id(hall, id_number, when):
    return ticketing.issue_ticket(
        centre_id=hall.centre.pk,
        source=TicketSource.ID_NUMBER,
        id_number=id_number,
        area_id=hall.area.pk,
        now=when,
    )


def _by_booking(hall, starts, when):
    booking = hall.booking(starts=starts, id_number=aged(45))
    return ticketing.issue_ticket(
        centre_id=hall.centre.pk,
        source=TicketSource.APPOINTMENT,
        appointment_token=booking.token,
        now=when,
    )


@pytest.fixture
def morning():
    hall = Hall()
    clerk = make_staff(Role.CLERK, centre=hall.centre)
    b_window = WindowFactory(centre=hall.centre)
    hall.other_area.windows.add(b_window)
    b_clerk = make_staff(Role.CLERK, centre=hall.centre, window=b_window)
    t = {}
    t["walk_in"] = _walk_in(hall, at(9, 0))
    t["moved"] = _walk_in(hall, at(9, 5), area=hall.other_area)  # B001, while A001 is the walk-in's
    t["seventy"] = _by_id(hall, aged(70), at(9, 10))
    t["sixty_nine"] = _by_id(hall, aged(70, days_short=1), at(9, 15))
    t["disabled"] = _walk_in(hall, at(9, 20))
    t["green"] = _walk_in(hall, at(9, 30))
    # Called at area B's window, and sent to area A: it waits there anew, its number kept.
    assert calling.call_next(window_id=b_window.pk, actor=b_clerk, now=at(9, 39)).pk == t["moved"].pk
    calling.transfer(ticket_id=t["moved"].pk, area_id=hall.area.pk, actor=b_clerk, now=at(9, 40))
    t["on_time"] = _by_booking(hall, dt.time(10, 0), at(9, 50))
    t["too_early"] = _by_booking(hall, dt.time(11, 0), at(9, 55))
    ticketing.flag_priority(ticket_id=t["disabled"].pk, reason=PriorityReason.DISABLED, actor=clerk)
    ticketing.flag_priority(ticket_id=t["green"].pk, reason=PriorityReason.GREEN_CHANNEL, actor=clerk)
    return hall, {name: Ticket.objects.get(pk=ticket.pk) for name, ticket in t.items()}


def test_a_transferred_ticket_keeps_its_number_beside_the_areas_own(morning):
    hall, t = morning
    assert (t["moved"].number, t["moved"].area, t["walk_in"].number) == ("B001", hall.area, "A001")
    assert t["moved"].waiting_since == at(9, 40)


EXPECTED = ["seventy", "disabled", "green", "on_time", "walk_in", "sixty_nine", "moved", "too_early"]


def test_each_ticket_has_the_reasons_the_rules_give(morning):
    _hall, t = morning
    reasons = {name: ticket.priority_reasons for name, ticket in t.items()}
    assert reasons == {
        "walk_in": [],
        "moved": [],
        "seventy": [PriorityReason.ELDERLY],
        "sixty_nine": [],
        "disabled": [PriorityReason.DISABLED],
        "green": [PriorityReason.GREEN_CHANNEL],
        "on_time": [PriorityReason.APPOINTMENT],
        "too_early": [],
    }
    assert {name for name, ticket in t.items() if ticket.priority} == {
        "seventy",
        "disabled",
        "green",
        "on_time",
    }


def test_the_queue_is_in_the_expected_order(morning):
    hall, t = morning
    names = {ticket.pk: name for name, ticket in t.items()}
    assert [names[ticket.pk] for ticket in waiting_in([hall.area.pk], DAY)] == EXPECTED


def test_a_window_calls_them_in_that_order(morning):
    hall, t = morning
    names = {ticket.pk: name for name, ticket in t.items()}
    window = WindowFactory(centre=hall.centre)
    hall.area.windows.add(window)
    clerk = make_staff(Role.CLERK, centre=hall.centre, window=window)
    called = []
    for minute in range(len(EXPECTED)):
        ticket = calling.call_next(window_id=window.pk, actor=clerk, now=at(10, minute))
        called.append(names[ticket.pk])
        calling.skip(ticket_id=ticket.pk, actor=clerk, now=at(10, minute))
    assert called == EXPECTED
    assert calling.call_next(window_id=window.pk, actor=clerk, now=at(10, 30)) is None


def test_people_ahead_of_each_is_its_place_in_that_order(morning):
    _hall, t = morning
    assert [ticketing.people_ahead(t[name]) for name in EXPECTED] == list(range(len(EXPECTED)))


def test_a_flag_moves_a_ticket_ahead_of_everyone_without_priority(morning):
    _hall, t = morning
    clerk = make_staff(Role.CLERK, centre=t["too_early"].centre)
    assert ticketing.people_ahead(t["too_early"]) == 7
    ticketing.flag_priority(ticket_id=t["too_early"].pk, reason=PriorityReason.GREEN_CHANNEL, actor=clerk)
    t["too_early"].refresh_from_db()
    # Behind the four with priority who waited longer, ahead of the four without.
    assert ticketing.people_ahead(t["too_early"]) == 4
    assert ticketing.people_ahead(t["walk_in"]) == 5
