"""Clerks pressing "call next" at the same moment, on PostgreSQL where the presses really run
together (each thread its own connection): no ticket is ever called to two windows, and nobody who
waits is passed over while a window calls nobody."""

from __future__ import annotations

import functools

import pytest

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.core.errors import Conflict
from apps.visits import calling
from apps.visits.models import Ticket, TicketCall, TicketState
from tests.concurrency import together
from tests.factories import make_staff
from tests.factories.cases import comprehensive_window
from tests.factories.visits import make_ticket
from tests.visits.calling_setup import CallingHall

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def at_once(presses) -> list:
    """Each (window, clerk) presses call-next at the same moment; what each got, in the presses'
    order (a ticket's id, None, or the exception's class)."""
    got = together(
        *(functools.partial(calling.call_next, window_id=window.pk, actor=clerk) for window, clerk in presses)
    )
    return [type(r) if isinstance(r, Exception) else (r.pk if r else None) for r in got]


def test_two_clerks_calling_at_once_never_get_the_same_ticket():
    hall = CallingHall()
    tickets = [make_ticket(hall.area) for _n in range(2)]
    for _round in range(5):  # a few rounds: a race that happens to serialise would hide the bug
        got = at_once([(hall.window, hall.clerk), (hall.other_window, hall.other_clerk)])
        assert sorted(got) == sorted(t.pk for t in tickets)
        for ticket_id, window in zip(got, (hall.window, hall.other_window), strict=True):
            assert Ticket.objects.get(pk=ticket_id).window_id == window.pk
            calling.skip(ticket_id=ticket_id, actor=hall.clerk if window == hall.window else hall.other_clerk)
        tickets = [make_ticket(hall.area) for _n in range(2)]
    assert TicketCall.objects.count() == 10
    assert TicketCall.objects.values("ticket").distinct().count() == 10


def test_many_windows_calling_at_once_share_the_queue_without_a_double_call():
    hall = CallingHall()
    presses = [(hall.window, hall.clerk), (hall.other_window, hall.other_clerk)]
    for _n in range(4):
        window = comprehensive_window(hall.centre)
        hall.area.windows.add(window)
        presses.append((window, make_staff(Role.CLERK, centre=hall.centre, window=window)))
    waiting = [make_ticket(hall.area) for _n in range(4)]  # fewer than the windows
    got = at_once(presses)
    called = [result for result in got if isinstance(result, int)]
    assert sorted(called) == sorted(t.pk for t in waiting)
    assert got.count(None) == 2
    assert Ticket.objects.filter(state=TicketState.CALLED).count() == 4
    assert TransitionLog.objects.filter(content_type__model="ticket", transition="call").count() == 4


def test_two_presses_at_one_window_call_one_ticket():
    hall = CallingHall()
    for _n in range(3):
        make_ticket(hall.area)
    got = at_once([(hall.window, hall.clerk), (hall.window, hall.clerk)])
    assert sorted(got, key=str).count(Conflict) == 1
    assert Ticket.objects.filter(window=hall.window, state=TicketState.CALLED).count() == 1
