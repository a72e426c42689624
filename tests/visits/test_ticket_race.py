"""Tickets taken at once, on PostgreSQL where the transactions really overlap: two kiosks reading the
same booking's QR code give one ticket (the other is told its number); walk-ins at once are numbered
without a gap or a repeat."""

import pytest
import time_machine

from apps.core.errors import Conflict
from apps.visits import ticketing
from apps.visits.models import AppointmentState, Ticket, TicketSource
from tests.visits.test_appointment_race import together
from tests.visits.ticket_setup import Hall, at

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(3))
def test_one_booking_read_at_two_kiosks_at_once_gives_one_ticket(attempt):
    with time_machine.travel(at(9, 55), tick=False):
        hall = Hall()
        booking = hall.booking()

        def scan():
            return ticketing.issue_ticket(
                centre_id=hall.centre.pk, source=TicketSource.APPOINTMENT, appointment_token=booking.token
            )

        results = together(scan, scan)
    tickets = [r for r in results if isinstance(r, Ticket)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(tickets) == 1 and len(refused) == 1, results
    assert tickets[0].number in str(refused[0].message)
    assert Ticket.objects.count() == 1
    booking.refresh_from_db()
    assert booking.state == AppointmentState.CHECKED_IN


def test_walk_ins_at_once_are_numbered_without_a_gap_or_a_repeat():
    with time_machine.travel(at(10), tick=False):
        hall = Hall()

        def walk_in():
            return ticketing.issue_ticket(
                centre_id=hall.centre.pk, source=TicketSource.WALK_IN, area_id=hall.area.pk
            )

        results = together(*[walk_in] * 6)
    assert all(isinstance(r, Ticket) for r in results), results
    assert sorted(t.number for t in results) == [f"A{n:03d}" for n in range(1, 7)]
