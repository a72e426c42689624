"""Calling at the window (apps.visits.calling): who is called next, what each action may do and
refuses, what the display and the audit log are given."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.core.errors import Conflict
from apps.visits import calling
from apps.visits.models import CallKind, PriorityReason, Ticket, TicketCall, TicketState
from tests.factories import make_staff
from tests.factories.cases import make_filing
from tests.factories.visits import make_ticket
from tests.visits.calling_setup import CallingHall

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 12, 2)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def hall():
    return CallingHall()


@pytest.fixture(autouse=True)
def ten_o_clock():
    with time_machine.travel(at(10, 30), tick=False):
        yield


def logged(ticket) -> list[str]:
    return list(
        TransitionLog.objects.filter(content_type__model="ticket", object_id=str(ticket.pk))
        .order_by("pk")
        .values_list("transition", flat=True)
    )


def test_call_next_takes_priority_first_then_the_longest_wait_of_the_windows_areas(hall):
    early = make_ticket(hall.area, at=at(9, 0))
    later_other_area = make_ticket(hall.other_area, at=at(9, 5))
    elderly = make_ticket(hall.area, at=at(9, 20), priority_reasons=[PriorityReason.ELDERLY])
    make_ticket(hall.unserved_area, at=at(8, 50))  # not this window's
    make_ticket(hall.area, at=at(9, 0, day=DAY - dt.timedelta(days=1)))  # yesterday's
    order = []
    for _n in range(3):
        ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
        order.append(ticket.number)
        calling.skip(ticket_id=ticket.pk, actor=hall.clerk)
    assert order == [elderly.number, early.number, later_other_area.number]
    assert calling.call_next(window_id=hall.window.pk, actor=hall.clerk) is None


def test_a_call_is_written_for_the_display_and_to_the_audit_log(hall):
    waiting = make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk, client_ip="10.0.0.8")
    assert ticket.pk == waiting.pk
    ticket.refresh_from_db()
    assert (ticket.state, ticket.window_id, ticket.served_by_id) == (
        TicketState.CALLED,
        hall.window.pk,
        hall.clerk.pk,
    )
    assert ticket.first_called_at == ticket.called_at == at(10, 30)
    assert ticket.call_count == 1
    call = TicketCall.objects.get(ticket=ticket)
    assert (call.kind, call.window_id, call.by_id, call.centre_id) == (
        CallKind.CALL,
        hall.window.pk,
        hall.clerk.pk,
        hall.centre.pk,
    )
    entry = TransitionLog.objects.get(object_id=str(ticket.pk), transition="call")
    assert (entry.from_state, entry.to_state, entry.client_ip) == ("waiting", "called", "10.0.0.8")
    assert entry.context["window"] == hall.window.number


def test_a_window_holding_a_ticket_finishes_or_skips_it_before_calling_the_next(hall):
    make_ticket(hall.area, at=at(9, 0))
    second = make_ticket(hall.area, at=at(9, 1))
    first = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    with pytest.raises(Conflict, match=f"still has ticket {first.number}"):
        calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    calling.start(ticket_id=first.pk, actor=hall.clerk)
    with pytest.raises(Conflict):
        calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    calling.finish(ticket_id=first.pk, actor=hall.clerk)
    assert calling.call_next(window_id=hall.window.pk, actor=hall.clerk).pk == second.pk


def test_calling_for_an_area_the_window_does_not_serve_is_refused(hall):
    make_ticket(hall.unserved_area, at=at(9, 0))
    with pytest.raises(ValidationError, match="does not serve this service area"):
        calling.call_next(window_id=hall.window.pk, actor=hall.clerk, area_id=hall.unserved_area.pk)
    # Naming one of its areas calls from that area only.
    make_ticket(hall.area, at=at(9, 0))
    b = make_ticket(hall.other_area, at=at(9, 30))
    assert (
        calling.call_next(window_id=hall.window.pk, actor=hall.clerk, area_id=hall.other_area.pk).pk == b.pk
    )


def test_a_window_serving_no_area_calls_nobody(hall):
    from tests.factories.cases import comprehensive_window

    bare = comprehensive_window(hall.centre)
    clerk = make_staff(Role.CLERK, centre=hall.centre, window=bare)
    make_ticket(hall.area, at=at(9, 0))
    with pytest.raises(ValidationError, match="serves no service area"):
        calling.call_next(window_id=bare.pk, actor=clerk)


def test_only_a_clerk_at_that_window_calls_to_it(hall):
    waiting = make_ticket(hall.area, at=at(9, 0))
    with pytest.raises(ValidationError, match="Use your own window"):
        calling.call_next(window_id=hall.window.pk, actor=hall.other_clerk)
    with pytest.raises(PermissionDenied):
        calling.call_next(window_id=hall.window.pk, actor=make_staff(Role.SUPERVISOR, centre=hall.centre))
    with pytest.raises(PermissionDenied):
        calling.call_next(window_id=hall.window.pk, actor=make_staff(Role.CLERK))  # another centre's clerk
    waiting.refresh_from_db()
    assert waiting.state == TicketState.WAITING
    assert not TicketCall.objects.exists()
    # Nor does another window's clerk act on a ticket called to this window.
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    for action in (calling.recall, calling.skip, calling.start):
        with pytest.raises(ValidationError, match="Use your own window"):
            action(ticket_id=ticket.pk, actor=hall.other_clerk)


def test_recall_calls_the_same_ticket_again(hall):
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    with time_machine.travel(at(10, 31), tick=False):
        calling.recall(ticket_id=ticket.pk, actor=hall.clerk)
    ticket.refresh_from_db()
    assert ticket.call_count == 2
    assert ticket.first_called_at == at(10, 30)
    assert ticket.called_at == at(10, 31)
    assert list(TicketCall.objects.filter(ticket=ticket).order_by("pk").values_list("kind", flat=True)) == [
        CallKind.CALL,
        CallKind.RECALL,
    ]
    assert logged(ticket) == ["call", "recall"]
    calling.start(ticket_id=ticket.pk, actor=hall.clerk)
    with pytest.raises(Conflict, match="Being served"):
        calling.recall(ticket_id=ticket.pk, actor=hall.clerk)


def test_a_skipped_ticket_is_called_back_by_any_window_of_its_area_within_the_limit(hall, settings):
    settings.HALL_SKIP_RECALL_MINUTES = 30
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    calling.skip(ticket_id=ticket.pk, actor=hall.clerk)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.skipped_at) == (TicketState.SKIPPED, at(10, 30))
    with time_machine.travel(at(11, 0), tick=False):
        calling.recall_skipped(ticket_id=ticket.pk, actor=hall.other_clerk)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.window_id, ticket.call_count) == (
        TicketState.CALLED,
        hall.other_window.pk,
        2,
    )
    assert TicketCall.objects.filter(ticket=ticket, kind=CallKind.RECALL, window=hall.other_window).exists()
    assert logged(ticket) == ["call", "skip", "recall_skipped"]


def test_a_ticket_skipped_too_long_ago_is_not_called_back(hall, settings):
    settings.HALL_SKIP_RECALL_MINUTES = 30
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    calling.skip(ticket_id=ticket.pk, actor=hall.clerk)
    with (
        time_machine.travel(at(11, 1), tick=False),
        pytest.raises(Conflict, match="more than 30 minutes ago"),
    ):
        calling.recall_skipped(ticket_id=ticket.pk, actor=hall.clerk)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.SKIPPED


def test_a_skipped_ticket_is_not_called_back_to_a_window_not_serving_its_area(hall):
    ticket = make_ticket(hall.other_area, at=at(9, 0))  # B: served by the first window only
    calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    calling.skip(ticket_id=ticket.pk, actor=hall.clerk)
    with pytest.raises(ValidationError, match="does not serve"):
        calling.recall_skipped(ticket_id=ticket.pk, actor=hall.other_clerk)


def test_a_skipped_ticket_is_not_called_back_to_a_busy_window(hall):
    make_ticket(hall.area, at=at(9, 0))
    make_ticket(hall.area, at=at(9, 1))
    skipped = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    calling.skip(ticket_id=skipped.pk, actor=hall.clerk)
    calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    with pytest.raises(Conflict, match="still has ticket"):
        calling.recall_skipped(ticket_id=skipped.pk, actor=hall.clerk)


def test_transfer_puts_the_ticket_in_the_other_areas_queue_waiting_anew(hall):
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    calling.start(ticket_id=ticket.pk, actor=hall.clerk)
    with time_machine.travel(at(10, 40), tick=False):
        calling.transfer(ticket_id=ticket.pk, area_id=hall.other_area.pk, actor=hall.clerk)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.area_id, ticket.transferred_from_id) == (
        TicketState.WAITING,
        hall.other_area.pk,
        hall.area.pk,
    )
    assert ticket.waiting_since == at(10, 40)
    assert ticket.number == "A001"  # the number is kept
    assert (ticket.window_id, ticket.first_called_at, ticket.started_at) == (None, None, None)
    entry = TransitionLog.objects.get(object_id=str(ticket.pk), transition="transfer")
    assert (entry.context["from_area"], entry.context["to_area"]) == ("A", "B")
    # The window is free, and the ticket is in B's queue (the first window serves B).
    with time_machine.travel(at(10, 41), tick=False):
        again = calling.call_next(window_id=hall.window.pk, actor=hall.clerk, area_id=hall.other_area.pk)
    assert again.pk == ticket.pk


def test_transfer_is_refused_to_its_own_area_and_to_another_centres(hall):
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    with pytest.raises(ValidationError, match="in this service area already"):
        calling.transfer(ticket_id=ticket.pk, area_id=hall.area.pk, actor=hall.clerk)
    elsewhere = CallingHall()
    with pytest.raises(ValidationError, match="of this service centre"):
        calling.transfer(ticket_id=ticket.pk, area_id=elsewhere.area.pk, actor=hall.clerk)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CALLED


def test_start_and_finish_time_the_visit(hall):
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    with pytest.raises(Conflict, match="Called"):
        calling.finish(ticket_id=ticket.pk, actor=hall.clerk)
    with time_machine.travel(at(10, 32), tick=False):
        calling.start(ticket_id=ticket.pk, actor=hall.clerk)
    with time_machine.travel(at(10, 50), tick=False):
        calling.finish(ticket_id=ticket.pk, actor=hall.clerk)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.started_at, ticket.finished_at) == (TicketState.DONE, at(10, 32), at(10, 50))
    assert logged(ticket) == ["call", "start", "finish"]


def test_a_filing_linked_to_a_called_ticket_starts_serving_it(hall):
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    filing = make_filing(centre=hall.centre, window=hall.window, clerk=hall.clerk)
    calling.link_filing(ticket_id=ticket.pk, filing_id=filing.pk, actor=hall.clerk)
    calling.link_filing(ticket_id=ticket.pk, filing_id=filing.pk, actor=hall.clerk)  # once is enough
    ticket.refresh_from_db()
    assert ticket.state == TicketState.SERVING
    assert list(ticket.filings.all()) == [filing]
    assert logged(ticket) == ["call", "start", "link_filing"]
    assert list(filing.tickets.all()) == [ticket]


def test_a_filing_of_another_centre_is_not_linked(hall):
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    foreign = make_filing()
    with pytest.raises(ValidationError, match="of this service centre"):
        calling.link_filing(ticket_id=ticket.pk, filing_id=foreign.pk, actor=hall.clerk)
    assert not ticket.filings.exists()


def test_a_waiting_ticket_takes_no_action_but_a_call(hall):
    waiting = make_ticket(hall.area, at=at(9, 0))
    for action in (calling.recall, calling.skip, calling.start, calling.finish):
        with pytest.raises(Conflict, match="not at a window"):
            action(ticket_id=waiting.pk, actor=hall.clerk)
    assert Ticket.objects.get(pk=waiting.pk).state == TicketState.WAITING


@pytest.mark.parametrize("rows", [1, 40])
def test_call_next_asks_a_constant_number_of_queries(hall, rows, django_assert_num_queries):
    for n in range(rows):
        make_ticket(hall.area if n % 2 else hall.other_area, at=at(9, 0) + dt.timedelta(minutes=n))
        make_ticket(hall.unserved_area, at=at(9, 0) + dt.timedelta(minutes=n))
    ContentType.objects.get_for_model(Ticket)  # read once per process (the audit log's)
    # The transaction's savepoint and its release; the window locked, the clerk's windows, the
    # window's areas, the ticket it holds, the next ticket, the audit log entry, the call, the update.
    with django_assert_num_queries(10):
        assert calling.call_next(window_id=hall.window.pk, actor=hall.clerk) is not None


def test_a_ticket_made_after_a_transfer_takes_the_next_number_of_its_letter(hall):
    """The test factory numbers as the hall does: a number once per centre and day, so a ticket
    transferred out of A still holds A001 and the next one made in A is A002."""
    make_ticket(hall.area, at=at(9, 0))
    ticket = calling.call_next(window_id=hall.window.pk, actor=hall.clerk)
    calling.transfer(ticket_id=ticket.pk, area_id=hall.other_area.pk, actor=hall.clerk)
    assert make_ticket(hall.area, at=at(9, 5)).number == "A002"
    assert make_ticket(hall.other_area, at=at(9, 6)).number == "B001"
