"""Appointment slots: cut from the opening periods on the centre's working days (holidays, make-up
working days, closures), idempotent, capacity from the area, never removing a booked slot."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from apps.visits import slots
from apps.visits.models import Appointment, AppointmentSlot, OpeningPeriod
from apps.worktime import calendar
from apps.worktime.services import add_closure
from tests.factories import ServiceCentreFactory, UserFactory
from tests.factories.catalogue import make_item
from tests.factories.visits import OpeningPeriodFactory, ServiceAreaFactory, open_hall

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Thursday 24 September 2026: the 25th–27th are the Mid-Autumn holiday, 1–7 October National Day,
# Sunday 20 September and Saturday 10 October make-up working days (the statutory calendar).
THURSDAY = dt.date(2026, 9, 24)
MONDAY = dt.date(2026, 9, 28)
PER_DAY = 13  # 09:00–12:00 and 13:30–17:00 in 30-minute slots: 6 + 7


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test sees the calendar as its database holds it."""
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def hall():
    centre = ServiceCentreFactory()
    open_hall(centre)
    return centre, ServiceAreaFactory(centre=centre, slot_capacity=4), ServiceAreaFactory(centre=centre)


def _dates(area) -> dict[dt.date, int]:
    days = {}
    for day in AppointmentSlot.objects.filter(area=area).values_list("date", flat=True):
        days[day] = days.get(day, 0) + 1
    return days


def test_slots_are_cut_from_the_opening_periods_with_a_shorter_last_one():
    times = slots.slot_times([(dt.time(13, 30), dt.time(15, 0)), (dt.time(9, 0), dt.time(10, 45))], 30)
    assert [f"{a:%H:%M}-{b:%H:%M}" for a, b in times] == [
        "09:00-09:30",
        "09:30-10:00",
        "10:00-10:30",
        "10:30-10:45",
        "13:30-14:00",
        "14:00-14:30",
        "14:30-15:00",
    ]


def test_slots_only_on_working_days_make_up_days_included(hall):
    centre, first, second = hall
    created = slots.generate_slots(centre.pk, start=THURSDAY, days=7)
    # 24 (Thu), then 25–27 the holiday, then 28, 29, 30: four working days, two areas.
    assert created == 4 * PER_DAY * 2
    assert _dates(first) == {
        day: PER_DAY for day in (THURSDAY, MONDAY, MONDAY.replace(day=29), MONDAY.replace(day=30))
    }
    assert _dates(second) == _dates(first)
    # Sunday the 20th is a make-up working day (调休上班): slots that Sunday.
    assert slots.generate_slots(centre.pk, start=dt.date(2026, 9, 20), days=1) == 2 * PER_DAY
    slot = AppointmentSlot.objects.filter(area=first, date=THURSDAY).order_by("starts_at").first()
    assert (slot.starts_at, slot.ends_at, slot.capacity, slot.booked) == (dt.time(9), dt.time(9, 30), 4, 0)


def test_generating_again_changes_nothing(hall):
    centre, _first, _second = hall
    slots.generate_slots(centre.pk, start=THURSDAY, days=7)
    before = list(
        AppointmentSlot.objects.order_by("pk").values_list("pk", "area", "date", "starts_at", "capacity")
    )
    assert slots.generate_slots(centre.pk, start=THURSDAY, days=7) == 0
    after = list(
        AppointmentSlot.objects.order_by("pk").values_list("pk", "area", "date", "starts_at", "capacity")
    )
    assert after == before


def test_generation_costs_the_same_queries_for_one_area_or_many(django_assert_max_num_queries):
    small, large = ServiceCentreFactory(), ServiceCentreFactory()
    for centre, areas in ((small, 1), (large, 6)):
        open_hall(centre)
        for _ in range(areas):
            ServiceAreaFactory(centre=centre)
    # One day each (one INSERT batch on SQLite too): the first generation, then a second one.
    for start in (THURSDAY, THURSDAY):
        calendar.invalidate()
        with django_assert_max_num_queries(13) as few:
            slots.generate_slots(small.pk, start=start, days=1)
        calendar.invalidate()
        with django_assert_max_num_queries(len(few.captured_queries)):
            slots.generate_slots(large.pk, start=start, days=1)
    assert AppointmentSlot.objects.filter(area__centre=large).count() == 6 * PER_DAY


def _appointment(slot, **fields) -> Appointment:
    return Appointment.objects.create(
        number=f"YY{slot.pk}",
        citizen=UserFactory(),
        slot=slot,
        item=make_item(),
        name="张三",
        id_number="11010519491231002X",
        phone="13800000000",
        **fields,
    )


def test_a_closure_removes_the_days_slots_except_those_ever_booked(hall):
    centre, first, second = hall
    tuesday = dt.date(2026, 9, 29)
    slots.generate_slots(centre.pk, start=THURSDAY, days=7)
    ten = AppointmentSlot.objects.get(area=first, date=tuesday, starts_at=dt.time(10))
    AppointmentSlot.objects.filter(pk=ten.pk).update(booked=1)
    _appointment(ten)
    # A booking cancelled since: the place is free again, but the booking's history points at the slot.
    eleven = AppointmentSlot.objects.get(area=second, date=tuesday, starts_at=dt.time(11))
    _appointment(eleven, state="cancelled")

    add_closure(centre=centre, first=tuesday, last=tuesday, name="搬迁")
    # Closed at once for booking, before the slots are generated again.
    assert (
        list(slots.bookable_slots(first.pk, tuesday, now=dt.datetime(2026, 9, 24, 8, tzinfo=SHANGHAI))) == []
    )

    assert slots.generate_slots(centre.pk, start=THURSDAY, days=7) == 0
    assert set(AppointmentSlot.objects.filter(date=tuesday).values_list("pk", flat=True)) == {
        ten.pk,
        eleven.pk,
    }
    assert _dates(first)[MONDAY] == PER_DAY  # the other days untouched


def test_capacity_follows_the_area_but_never_below_the_bookings(hall):
    centre, first, second = hall
    slots.generate_slots(centre.pk, start=THURSDAY, days=1)
    taken = AppointmentSlot.objects.filter(area=first).order_by("starts_at").first()
    AppointmentSlot.objects.filter(pk=taken.pk).update(booked=3)

    first.slot_capacity = 2
    first.save()
    assert slots.generate_slots(centre.pk, start=THURSDAY, days=1) == 0
    capacities = dict(AppointmentSlot.objects.filter(area=first).values_list("pk", "capacity"))
    assert capacities.pop(taken.pk) == 3
    assert set(capacities.values()) == {2}
    assert set(AppointmentSlot.objects.filter(area=second).values_list("capacity", flat=True)) == {4}

    first.slot_capacity = 6
    first.save()
    slots.generate_slots(centre.pk, start=THURSDAY, days=1)
    assert set(AppointmentSlot.objects.filter(area=first).values_list("capacity", flat=True)) == {6}


def test_changed_hours_and_a_closed_area_remove_their_unbooked_slots_only(hall):
    centre, first, second = hall
    other = ServiceCentreFactory()
    open_hall(other)
    elsewhere = ServiceAreaFactory(centre=other)
    slots.generate_slots(other.pk, start=THURSDAY, days=1)
    slots.generate_slots(centre.pk, start=THURSDAY, days=1)
    late = AppointmentSlot.objects.get(area=first, date=THURSDAY, starts_at=dt.time(16, 30))
    AppointmentSlot.objects.filter(pk=late.pk).update(booked=1)

    # The afternoon now ends at 16:00; the second area is closed.
    afternoon = OpeningPeriod.objects.get(centre=centre, starts_at=dt.time(13, 30))
    afternoon.ends_at = dt.time(16)
    afternoon.save()
    second.is_active = False
    second.save()
    assert slots.generate_slots(centre.pk, start=THURSDAY, days=1) == 0

    starts = sorted(AppointmentSlot.objects.filter(area=first).values_list("starts_at", flat=True))
    assert starts[-3:] == [dt.time(15), dt.time(15, 30), dt.time(16, 30)]  # 16:00 gone, the booked 16:30 kept
    assert not AppointmentSlot.objects.filter(area=second).exists()
    assert AppointmentSlot.objects.filter(area=elsewhere).count() == PER_DAY  # another centre: untouched


def test_a_period_added_adds_its_slots(hall):
    centre, first, _second = hall
    slots.generate_slots(centre.pk, start=THURSDAY, days=1)
    OpeningPeriodFactory(centre=centre, starts_at=dt.time(18), ends_at=dt.time(19))
    assert slots.generate_slots(centre.pk, start=THURSDAY, days=1) == 2 * 2
    assert AppointmentSlot.objects.filter(area=first, date=THURSDAY).count() == PER_DAY + 2


def test_the_booking_horizon_counts_working_days_today_included(settings, hall):
    centre, _first, _second = hall
    settings.HALL_BOOKING_DAYS = 7
    # 24, 28, 29, 30 September; 1–7 October the holiday; 8, 9 and the make-up Saturday the 10th.
    assert slots.booking_horizon(centre.pk, THURSDAY) == dt.date(2026, 10, 10)
    # From a holiday, the first working day after it is the first counted: 28, 29, 30, 8, 9, 10, 12.
    assert slots.booking_horizon(centre.pk, dt.date(2026, 9, 26)) == dt.date(2026, 10, 12)
    settings.HALL_BOOKING_DAYS = 1
    assert slots.booking_horizon(centre.pk, THURSDAY) == THURSDAY


def test_bookable_slots_of_a_day(hall, settings):
    centre, first, second = hall
    settings.HALL_BOOKING_DAYS = 3
    slots.generate_slots(centre.pk, start=THURSDAY, days=14)
    full = AppointmentSlot.objects.get(area=first, date=MONDAY, starts_at=dt.time(9))
    AppointmentSlot.objects.filter(pk=full.pk).update(booked=4)
    now = dt.datetime(2026, 9, 24, 10, 10, tzinfo=SHANGHAI)

    # Today: only the slots not started yet (10:30 on).
    today = list(slots.bookable_slots(first.pk, THURSDAY, now=now))
    assert today[0].starts_at == dt.time(10, 30) and len(today) == PER_DAY - 3
    # A full slot is listed, with no place left.
    monday = list(slots.bookable_slots(first.pk, MONDAY, now=now))
    assert (monday[0].pk, monday[0].left) == (full.pk, 0) and len(monday) == PER_DAY
    assert [s.starts_at for s in monday] == sorted(s.starts_at for s in monday)
    # Not bookable: the past, a holiday, beyond the horizon (24, 28, 29), a closed area.
    assert not slots.bookable_slots(first.pk, dt.date(2026, 9, 23), now=now).exists()
    assert not slots.bookable_slots(first.pk, dt.date(2026, 9, 25), now=now).exists()
    assert slots.bookable_slots(first.pk, dt.date(2026, 9, 29), now=now).exists()
    assert not slots.bookable_slots(first.pk, dt.date(2026, 9, 30), now=now).exists()
    second.is_active = False
    second.save()
    assert not slots.bookable_slots(second.pk, MONDAY, now=now).exists()


def test_generate_ahead_covers_the_booking_horizon(hall, settings):
    centre, first, _second = hall
    settings.HALL_BOOKING_DAYS = 3
    with time_machine.travel(dt.datetime(2026, 9, 24, 7, tzinfo=SHANGHAI), tick=False):
        slots.generate_ahead(centre.pk)
    assert set(_dates(first)) == {THURSDAY, MONDAY, dt.date(2026, 9, 29)}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_generations_at_once_make_each_slot_once():
    """Beat's start and a supervisor's change may generate a centre's slots together: on PostgreSQL,
    where they really run at once, the second waits for the first and finds nothing left to do."""
    import threading

    from django.db import connection

    centre = ServiceCentreFactory()
    open_hall(centre)
    area = ServiceAreaFactory(centre=centre)
    slots.generate_slots(centre.pk, start=THURSDAY, days=1)
    AppointmentSlot.objects.filter(area=area, starts_at=dt.time(9)).update(booked=1)
    area.slot_capacity = 2
    area.save()
    ServiceAreaFactory(centre=centre)
    barrier = threading.Barrier(2)
    created = []

    def generate():
        try:
            barrier.wait()
            created.append(slots.generate_slots(centre.pk, start=THURSDAY, days=7))
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            created.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The first: three more days of the first area and four of the new one; the second: nothing.
    assert sorted(created) == [0, 3 * PER_DAY + 4 * PER_DAY]
    keys = list(AppointmentSlot.objects.values_list("area", "date", "starts_at"))
    assert len(keys) == len(set(keys)) == 2 * 4 * PER_DAY
    assert set(AppointmentSlot.objects.filter(area=area).values_list("capacity", flat=True)) == {2}
