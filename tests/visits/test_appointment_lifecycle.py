"""After booking: cancelling until HALL_BOOKING_CANCEL_HOURS before (the place freed; another
account's booking not found), checking in once with a ticket, the reminder the working day before
(idempotent), no-shows recorded after the slot and its grace, and N no-shows in M days suspending
online booking for K days."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.audit.selectors import history_of
from apps.core.errors import Conflict, error_text
from apps.notifications.models import Channel, Outbox
from apps.visits import appointments
from apps.visits.models import Appointment, AppointmentSlot, AppointmentState, BookingSuspension
from tests.factories.visits import real_name_citizen
from tests.visits.appointment_setup import MONDAY, NOW, TUESDAY, at, make_hall, said

pytestmark = pytest.mark.django_db
S = AppointmentState
FRIDAY = dt.date(2026, 12, 4)


@pytest.fixture
def hall():
    return make_hall()


@pytest.fixture
def citizen():
    return real_name_citizen()


def booked(hall, citizen, *, day=TUESDAY, starts_at=dt.time(9, 0), when=NOW):
    with time_machine.travel(when, tick=False):
        slot = hall.slot(day=day, starts_at=starts_at)
        return appointments.book(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk)


# --- cancelling ---


def test_a_booking_is_cancelled_until_the_hours_before_and_frees_the_place(hall, citizen, settings):
    settings.HALL_BOOKING_CANCEL_HOURS = 2
    appointment = booked(hall, citizen)
    with time_machine.travel(at(TUESDAY, 6, 59), tick=False):
        cancelled = appointments.cancel(appointment_id=appointment.pk, actor=citizen)
    assert cancelled.state == S.CANCELLED and cancelled.cancelled_at is not None
    assert AppointmentSlot.objects.get(pk=appointment.slot_id).booked == 0
    assert list(history_of(cancelled).values_list("transition", flat=True)) == ["book", "cancel"]
    # Cancelled, the same time can be booked again by the same person.
    with time_machine.travel(NOW, tick=False):
        again = appointments.book(citizen=citizen, slot_id=appointment.slot_id, item_id=hall.item.pk)
    assert again.state == S.BOOKED


def test_too_late_to_cancel(hall, citizen, settings):
    settings.HALL_BOOKING_CANCEL_HOURS = 2
    appointment = booked(hall, citizen)
    with time_machine.travel(at(TUESDAY, 7, 0), tick=False), pytest.raises(Conflict) as refused:
        appointments.cancel(appointment_id=appointment.pk, actor=citizen)
    assert error_text(refused.value) in said(
        "预约须在预约时间 2 小时前取消。", "A booking can be cancelled until 2 hours before its time."
    )
    assert Appointment.objects.get(pk=appointment.pk).state == S.BOOKED
    assert AppointmentSlot.objects.get(pk=appointment.slot_id).booked == 1


def test_a_cancelled_booking_is_not_cancelled_twice(hall, citizen):
    appointment = booked(hall, citizen)
    with time_machine.travel(NOW, tick=False):
        appointments.cancel(appointment_id=appointment.pk, actor=citizen)
        with pytest.raises(Conflict):
            appointments.cancel(appointment_id=appointment.pk, actor=citizen)
    assert AppointmentSlot.objects.get(pk=appointment.slot_id).booked == 0


def test_another_accounts_booking_is_not_found(hall, citizen):
    appointment = booked(hall, citizen)
    with time_machine.travel(NOW, tick=False), pytest.raises(Http404):
        appointments.cancel(appointment_id=appointment.pk, actor=real_name_citizen())
    assert Appointment.objects.get(pk=appointment.pk).state == S.BOOKED


# --- checking in (ticketing calls it) ---


def test_a_booking_checks_in_once(hall, citizen):
    appointment = booked(hall, citizen)
    when = at(TUESDAY, 8, 50)
    appointments.check_in(appointment, when)
    stored = Appointment.objects.get(pk=appointment.pk)
    assert (stored.state, stored.checked_in_at) == (S.CHECKED_IN, when)
    with pytest.raises(Conflict):
        appointments.check_in(Appointment.objects.get(pk=appointment.pk), when)


# --- reminders ---


def reminders() -> list[tuple[str, str]]:
    return sorted(Outbox.objects.filter(event=appointments.REMINDER).values_list("channel", "address"))


def test_the_reminder_goes_the_working_day_before_once(hall, citizen):
    appointment = booked(hall, citizen, day=dt.date(2026, 12, 9))  # Wednesday
    with time_machine.travel(NOW, tick=False):  # Monday: not yet
        assert appointments.send_reminders() == 0
    assert reminders() == []
    with time_machine.travel(at(TUESDAY, 17, 0), tick=False):
        assert appointments.send_reminders() == 1
        assert appointments.send_reminders() == 0  # idempotent
    assert reminders() == [(Channel.SITE, ""), (Channel.SMS, citizen.phone)]
    sms = Outbox.objects.get(event=appointments.REMINDER, channel=Channel.SMS)
    assert sms.context["number"] == appointment.number
    assert sms.context["day"] == "2026-12-09" and sms.context["time"] == "09:00–09:30"
    assert Appointment.objects.get(pk=appointment.pk).reminded_at == at(TUESDAY, 17, 0)


def test_a_monday_booking_is_reminded_on_the_friday(hall, citizen):
    booked(hall, citizen, day=MONDAY, when=at(FRIDAY, 9, 0))
    with time_machine.travel(at(FRIDAY, 17, 0), tick=False):
        assert appointments.send_reminders() == 1


def test_cancelled_bookings_are_not_reminded(hall, citizen):
    appointment = booked(hall, citizen)
    with time_machine.travel(NOW, tick=False):
        appointments.cancel(appointment_id=appointment.pk, actor=citizen)
        assert appointments.send_reminders() == 0
    assert reminders() == []


# --- no-shows and the suspension ---


def test_a_no_show_is_recorded_after_the_slot_and_its_grace(hall, citizen, settings):
    settings.HALL_APPOINTMENT_GRACE_MINUTES = 15
    appointment = booked(hall, citizen)  # Tuesday 09:00–09:30
    with time_machine.travel(at(TUESDAY, 9, 44), tick=False):
        assert appointments.record_no_shows() == 0
    with time_machine.travel(at(TUESDAY, 9, 45), tick=False):
        assert appointments.record_no_shows() == 1
        assert appointments.record_no_shows() == 0  # idempotent
    stored = Appointment.objects.get(pk=appointment.pk)
    assert (stored.state, stored.no_show_at) == (S.NO_SHOW, at(TUESDAY, 9, 45))
    assert list(history_of(stored).values_list("transition", flat=True)) == ["book", "record_no_show"]
    assert not BookingSuspension.objects.exists()


def test_a_checked_in_booking_is_no_no_show(hall, citizen):
    appointment = booked(hall, citizen)
    appointments.check_in(appointment, at(TUESDAY, 8, 55))
    with time_machine.travel(at(TUESDAY, 12, 0), tick=False):
        assert appointments.record_no_shows() == 0


def miss(hall, citizen, day):
    """A booking of ``day`` 09:00 made the day before, missed (recorded at 10:00)."""
    appointment = booked(hall, citizen, day=day, when=at(day - dt.timedelta(days=1), 9, 0))
    with time_machine.travel(at(day, 10, 0), tick=False):
        appointments.record_no_shows()
    return appointment


def test_n_no_shows_in_m_days_suspend_booking_for_k_days(hall, citizen, settings):
    settings.HALL_NO_SHOW_LIMIT, settings.HALL_NO_SHOW_WINDOW_DAYS, settings.HALL_NO_SHOW_SUSPEND_DAYS = (
        3,
        30,
        30,
    )
    old = miss(hall, citizen, dt.date(2026, 10, 27))  # more than 30 days before the third: not counted
    miss(hall, citizen, dt.date(2026, 11, 17))
    miss(hall, citizen, dt.date(2026, 12, 1))
    assert not BookingSuspension.objects.exists()  # two within the window, one too old
    assert Appointment.objects.get(pk=old.pk).state == S.NO_SHOW
    miss(hall, citizen, dt.date(2026, 12, 3))
    suspension = BookingSuspension.objects.get(citizen=citizen)
    assert (suspension.starts_on, suspension.ends_on, suspension.no_shows) == (
        dt.date(2026, 12, 3),
        dt.date(2027, 1, 1),
        3,
    )
    told = Outbox.objects.get(event=appointments.SUSPENDED, channel=Channel.SITE)
    assert told.user_id == citizen.pk and told.context == {"count": 3, "until": "2027-01-01"}
    # Suspended: the next booking is refused with the end date; the last day still is, the day after not.
    with (
        time_machine.travel(at(dt.date(2027, 1, 1), 10, 0), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        appointments.book(
            citizen=citizen, slot_id=hall.slot(day=dt.date(2027, 1, 4)).pk, item_id=hall.item.pk
        )
    assert "2027-01-01" in error_text(refused.value)
    with time_machine.travel(at(dt.date(2027, 1, 2), 10, 0), tick=False):
        slot = hall.slot(day=dt.date(2027, 1, 4), starts_at=dt.time(10, 0))
        assert appointments.book(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk).state == S.BOOKED


def test_no_shows_counted_once_for_a_suspension(hall, citizen, settings):
    settings.HALL_NO_SHOW_LIMIT, settings.HALL_NO_SHOW_WINDOW_DAYS, settings.HALL_NO_SHOW_SUSPEND_DAYS = (
        2,
        30,
        3,
    )
    miss(hall, citizen, dt.date(2026, 11, 30))
    miss(hall, citizen, dt.date(2026, 12, 1))
    assert BookingSuspension.objects.filter(citizen=citizen).count() == 1
    # After the suspension, one more no-show does not suspend again: the earlier two were counted.
    miss(hall, citizen, dt.date(2026, 12, 8))
    assert BookingSuspension.objects.filter(citizen=citizen).count() == 1
    miss(hall, citizen, dt.date(2026, 12, 9))
    assert BookingSuspension.objects.filter(citizen=citizen).count() == 2
