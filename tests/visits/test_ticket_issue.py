"""Taking a ticket (取号): the three ways, numbering per area and day, the refusals at the kiosk, staff
flags, the end of the day."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.core.errors import Conflict
from apps.visits import ticketing
from apps.visits.models import (
    AppointmentState,
    DeviceKind,
    PriorityReason,
    Ticket,
    TicketSource,
    TicketState,
)
from apps.worktime import calendar
from apps.worktime.services import add_closure
from tests.factories import ServiceCentreFactory, make_staff
from tests.factories.visits import ServiceAreaFactory, make_device
from tests.visits.ticket_setup import DAY, Hall, aged, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return Hall()


def walk_in(hall, area=None, when=None):
    return ticketing.issue_ticket(
        centre_id=hall.centre.pk,
        source=TicketSource.WALK_IN,
        area_id=(area or hall.area).pk,
        now=when or at(10),
    )


def by_token(hall, booking, when=None, **kw):
    return ticketing.issue_ticket(
        centre_id=hall.centre.pk,
        source=TicketSource.APPOINTMENT,
        appointment_token=booking.token,
        now=when or at(10),
        **kw,
    )


# --- numbering ------------------------------------------------------------------------------------------


def test_numbers_run_per_area_and_start_again_each_day(hall):
    assert [walk_in(hall).number for _ in range(3)] == ["A001", "A002", "A003"]
    assert walk_in(hall, hall.other_area).number == "B001"
    tomorrow = walk_in(hall, when=at(10, day=DAY + dt.timedelta(days=1)))
    assert (tomorrow.number, tomorrow.day) == ("A001", DAY + dt.timedelta(days=1))


def test_a_walk_in_waits_without_priority_and_is_logged(hall):
    ticket = walk_in(hall, when=at(9, 5))
    assert ticket.state == TicketState.WAITING
    assert (ticket.source, ticket.priority, ticket.priority_reasons) == (TicketSource.WALK_IN, 0, [])
    assert ticket.issued_at == ticket.waiting_since == at(9, 5)
    assert (ticket.name, ticket.id_number, ticket.appointment) == ("", "", None)
    entry = TransitionLog.objects.get(object_id=str(ticket.pk), transition="issue")
    assert (entry.from_state, entry.to_state, entry.context["source"]) == ("", "waiting", "walk_in")


def test_a_walk_in_needs_an_open_area_of_this_centre(hall):
    with pytest.raises(ValidationError) as refused:
        ticketing.issue_ticket(centre_id=hall.centre.pk, source=TicketSource.WALK_IN, now=at(10))
    assert "area" in refused.value.message_dict
    elsewhere = ServiceAreaFactory(prefix="C")
    hall.other_area.is_active = False
    hall.other_area.save()
    for area in (elsewhere, hall.other_area):
        with pytest.raises(ValidationError, match="本中心没有开放该服务区"):
            walk_in(hall, area)
    assert not Ticket.objects.exists()


# --- a resident ID --------------------------------------------------------------------------------------


def test_an_id_without_a_booking_today_asks_for_the_area_then_takes_it(hall):
    id_number = aged(40)
    with pytest.raises(ticketing.AreaNeeded):
        ticketing.issue_ticket(
            centre_id=hall.centre.pk, source=TicketSource.ID_NUMBER, id_number=id_number, now=at(10)
        )
    ticket = ticketing.issue_ticket(
        centre_id=hall.centre.pk,
        source=TicketSource.ID_NUMBER,
        id_number=id_number.lower(),
        area_id=hall.other_area.pk,
        now=at(10),
    )
    assert (ticket.number, ticket.source, ticket.id_number) == ("B001", TicketSource.ID_NUMBER, id_number)


def test_a_mistyped_id_is_refused_by_its_checksum(hall):
    bad = aged(40)[:-1] + ("0" if aged(40)[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        ticketing.issue_ticket(
            centre_id=hall.centre.pk,
            source=TicketSource.ID_NUMBER,
            id_number=bad,
            area_id=hall.area.pk,
            now=at(10),
        )


def test_an_id_with_a_booking_today_takes_the_bookings_ticket(hall):
    booking = hall.booking(id_number=aged(35), starts=dt.time(10, 0))
    ticket = ticketing.issue_ticket(
        centre_id=hall.centre.pk,
        source=TicketSource.ID_NUMBER,
        id_number=booking.id_number,
        now=at(9, 50),
    )
    booking.refresh_from_db()
    assert ticket.appointment == booking
    assert (ticket.source, ticket.area, ticket.name) == (TicketSource.APPOINTMENT, hall.area, "张三")
    assert ticket.priority_reasons == [PriorityReason.APPOINTMENT]
    assert booking.state == AppointmentState.CHECKED_IN


def test_an_id_whose_booking_expired_is_told_so_and_may_then_choose_an_area(hall):
    booking = hall.booking(id_number=aged(35), starts=dt.time(9, 0))
    with pytest.raises(Conflict, match="已过期|expired"):
        ticketing.issue_ticket(
            centre_id=hall.centre.pk, source=TicketSource.ID_NUMBER, id_number=booking.id_number, now=at(11)
        )
    ticket = ticketing.issue_ticket(
        centre_id=hall.centre.pk,
        source=TicketSource.ID_NUMBER,
        id_number=booking.id_number,
        area_id=hall.area.pk,
        now=at(11),
    )
    assert (ticket.source, ticket.appointment, ticket.priority) == (TicketSource.ID_NUMBER, None, 0)


# --- a booking's QR code --------------------------------------------------------------------------------


def test_a_booking_on_time_is_checked_in_and_goes_first(hall):
    booking = hall.booking(starts=dt.time(10, 0))
    ticket = by_token(hall, booking, when=at(10, 40))  # the slot's end + 10 minutes: within the grace
    booking.refresh_from_db()
    assert booking.state == AppointmentState.CHECKED_IN
    assert (ticket.source, ticket.appointment, ticket.id_number) == (
        TicketSource.APPOINTMENT,
        booking,
        booking.id_number,
    )
    assert (ticket.priority, ticket.priority_reasons) == (1, [PriorityReason.APPOINTMENT])


def test_a_booking_too_early_gets_a_ticket_without_priority(hall):
    booking = hall.booking(starts=dt.time(11, 0))
    ticket = by_token(hall, booking, when=at(10, 44))  # 16 minutes before the slot
    assert (ticket.appointment, ticket.priority, ticket.priority_reasons) == (booking, 0, [])


@pytest.mark.parametrize(
    ("plant", "when", "words"),
    [
        ({"day": DAY + dt.timedelta(days=1)}, at(10), "不是今天|not today"),
        ({"starts": dt.time(9, 0)}, at(9, 46), "已过期|expired"),
        ({"state": AppointmentState.NO_SHOW}, at(10), "已过期|expired"),
        ({"state": AppointmentState.CANCELLED}, at(10), "已取消|cancelled"),
    ],
    ids=["tomorrow", "past-its-slot", "no-show", "cancelled"],
)
def test_a_booking_that_gives_no_ticket_now_is_refused_with_the_reason(hall, plant, when, words):
    booking = hall.booking(**plant)
    with pytest.raises(Conflict, match=words):
        by_token(hall, booking, when=when)
    assert not Ticket.objects.exists()


def test_another_centres_booking_names_that_centre(hall):
    there = Hall()
    booking = there.booking()
    with pytest.raises(Conflict, match=there.centre.name):
        by_token(hall, booking)


def test_a_booking_used_once_names_its_ticket_the_second_time(hall):
    booking = hall.booking()
    ticket = by_token(hall, booking)
    with pytest.raises(Conflict, match=ticket.number):
        by_token(hall, booking)
    assert Ticket.objects.count() == 1


def test_an_unknown_code_and_another_persons_id_are_refused(hall):
    booking = hall.booking()
    booking.token = "x" * 22
    with pytest.raises(Conflict, match="未找到该预约码对应的预约"):
        by_token(hall, booking)
    booking.refresh_from_db()
    with pytest.raises(Conflict, match="他人|another person"):
        by_token(hall, booking, id_number=aged(50))


# --- the hall and the kiosk -----------------------------------------------------------------------------


def test_no_tickets_on_a_closed_day_or_after_closing(hall):
    saturday = DAY + dt.timedelta(days=3)
    with pytest.raises(Conflict, match="今天大厅不办公"):
        walk_in(hall, when=at(10, day=saturday))
    with pytest.raises(Conflict, match="已停止|closed for today"):
        walk_in(hall, when=at(17, 0))
    assert walk_in(hall, when=at(8, 30)).number == "A001"  # before opening: the queue forms


@pytest.fixture
def fresh_calendar():
    """The calendar is cached per process: a closure planted here must not outlive the test."""
    calendar.invalidate()
    yield
    calendar.invalidate()


def test_no_tickets_on_a_local_closure(hall, fresh_calendar):
    add_closure(centre=hall.centre, first=DAY, last=DAY, name="停电检修")
    with pytest.raises(Conflict, match="今天大厅不办公"):
        walk_in(hall)


def test_a_kiosk_issues_only_for_its_own_centre(hall):
    kiosk, _key = make_device(ServiceCentreFactory(), DeviceKind.KIOSK)
    with pytest.raises(PermissionDenied):
        ticketing.issue_ticket(
            centre_id=hall.centre.pk,
            source=TicketSource.WALK_IN,
            area_id=hall.area.pk,
            device=kiosk,
            now=at(10),
        )


# --- staff flags -----------------------------------------------------------------------------------------


def test_a_clerk_of_the_centre_flags_a_disabled_person_first(hall):
    ticket = walk_in(hall)
    clerk = make_staff(Role.CLERK, centre=hall.centre)
    flagged = ticketing.flag_priority(
        ticket_id=ticket.pk, reason=PriorityReason.DISABLED, actor=clerk, note="轮椅"
    )
    assert (flagged.priority, flagged.priority_reasons) == (1, [PriorityReason.DISABLED])
    entry = TransitionLog.objects.get(object_id=str(ticket.pk), transition="flag_priority")
    assert (entry.actor, entry.comment, entry.context["reason"]) == (clerk, "轮椅", "disabled")
    supervisor = make_staff(Role.SUPERVISOR, centre=hall.centre)
    flagged = ticketing.flag_priority(
        ticket_id=ticket.pk, reason=PriorityReason.GREEN_CHANNEL, actor=supervisor
    )
    assert flagged.priority_reasons == [PriorityReason.DISABLED, PriorityReason.GREEN_CHANNEL]
    with pytest.raises(Conflict):
        ticketing.flag_priority(ticket_id=ticket.pk, reason=PriorityReason.DISABLED, actor=clerk)


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.APPROVER, Role.CITIZEN])
def test_nobody_else_flags_a_ticket(hall, role):
    ticket = walk_in(hall)
    elsewhere = ServiceCentreFactory()
    actor = make_staff(role, centre=hall.centre if role == Role.APPROVER else elsewhere)
    with pytest.raises(PermissionDenied):
        ticketing.flag_priority(ticket_id=ticket.pk, reason=PriorityReason.DISABLED, actor=actor)
    ticket.refresh_from_db()
    assert ticket.priority == 0


def test_only_staff_reasons_are_flagged(hall):
    ticket = walk_in(hall)
    clerk = make_staff(Role.CLERK, centre=hall.centre)
    for reason in (PriorityReason.ELDERLY, PriorityReason.APPOINTMENT, "vip"):
        with pytest.raises(ValidationError):
            ticketing.flag_priority(ticket_id=ticket.pk, reason=reason, actor=clerk)


# --- the end of the day ---------------------------------------------------------------------------------


def test_close_day_abandons_what_was_left_once_the_hall_closed(hall):
    yesterday = DAY - dt.timedelta(days=1)
    old = walk_in(hall, when=at(10, day=yesterday))
    waiting = walk_in(hall)
    skipped = walk_in(hall)
    serving = walk_in(hall)
    Ticket.objects.filter(pk=skipped.pk).update(state=TicketState.SKIPPED)
    Ticket.objects.filter(pk=serving.pk).update(state=TicketState.SERVING)
    elsewhere = Hall()  # closes at 17:00 too, but has no tickets
    late_centre = ServiceCentreFactory()  # open until 20:00: its tickets wait on
    late_area = ServiceAreaFactory(centre=late_centre)
    from tests.factories.visits import OpeningPeriodFactory

    OpeningPeriodFactory(centre=late_centre, starts_at=dt.time(9), ends_at=dt.time(20))
    evening = ticketing.issue_ticket(
        centre_id=late_centre.pk, source=TicketSource.WALK_IN, area_id=late_area.pk, now=at(16)
    )
    assert elsewhere.centre.pk

    assert ticketing.close_day(at(16, 59)) == 1  # only yesterday's
    assert ticketing.close_day(at(17, 0)) == 2
    assert ticketing.close_day(at(17, 5)) == 0
    states = dict(Ticket.objects.values_list("pk", "state"))
    assert states == {
        old.pk: TicketState.ABANDONED,
        waiting.pk: TicketState.ABANDONED,
        skipped.pk: TicketState.ABANDONED,
        serving.pk: TicketState.SERVING,
        evening.pk: TicketState.WAITING,
    }
    logged = TransitionLog.objects.filter(transition="abandon").values_list("object_id", "from_state")
    assert sorted(logged) == sorted(
        [(str(old.pk), "waiting"), (str(waiting.pk), "waiting"), (str(skipped.pk), "skipped")]
    )


def test_issue_and_people_ahead_read_a_constant_number_of_queries(hall, django_assert_max_num_queries):
    booking = hall.booking()
    walk_in(hall)
    with django_assert_max_num_queries(11):
        ticket = by_token(hall, booking)
    for _ in range(20):
        walk_in(hall)
    second = hall.booking(id_number=aged(30))
    with django_assert_max_num_queries(11):
        later = by_token(hall, second, when=at(10, 5))
    with django_assert_max_num_queries(1):
        assert ticketing.people_ahead(later) == 1
    assert ticketing.people_ahead(ticket) == 0


def test_time_machine_now_is_used_when_no_time_is_given(hall):
    with time_machine.travel(at(9, 30), tick=False):
        ticket = ticketing.issue_ticket(
            centre_id=hall.centre.pk, source=TicketSource.WALK_IN, area_id=hall.area.pk
        )
    assert (ticket.day, ticket.issued_at) == (DAY, at(9, 30))
