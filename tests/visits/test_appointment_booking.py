"""Booking a place (预约): a real-name citizen books a slot of the area serving the item or bundle;
each refusal says why, in Chinese; the place is counted on the slot; the number is gap-free."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.core.errors import error_text
from apps.visits import appointments
from apps.visits.models import Appointment, AppointmentSlot, AppointmentState, BookingSuspension
from apps.worktime import calendar
from apps.worktime.services import add_closure
from tests.factories import make_staff
from tests.factories.catalogue import BundleFactory
from tests.factories.visits import ServiceAreaFactory, bookable_item, make_slot, real_name_citizen
from tests.visits.appointment_setup import MONDAY, TUESDAY, make_hall, monday_morning, said

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with monday_morning():
        yield


@pytest.fixture
def hall():
    return make_hall()


@pytest.fixture
def citizen():
    return real_name_citizen()


def refusal(**kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        appointments.book(**kwargs)
    return error_text(refused.value)


def test_a_booking_takes_a_place_and_is_numbered_and_logged(hall, citizen):
    slot = hall.slot()
    first = appointments.book(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk, client_ip="10.0.0.1")
    assert first.state == AppointmentState.BOOKED
    assert (first.name, first.id_number, first.phone) == (citizen.full_name, citizen.id_number, citizen.phone)
    assert first.number == "YY2026120800001"
    assert len(first.token) >= 20
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == 1
    assert list(history_of(first).values_list("transition", flat=True)) == ["book"]
    other = appointments.book(citizen=real_name_citizen(), slot_id=slot.pk, item_id=hall.item.pk)
    assert other.number == "YY2026120800002"


def test_the_last_place_is_refused_to_the_next_person(hall, citizen):
    slot = hall.slot(capacity=1)
    appointments.book(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk)
    assert refusal(citizen=real_name_citizen(), slot_id=slot.pk, item_id=hall.item.pk) in said(
        "该时段已约满，请选择其他时段。", "This time is fully booked: choose another."
    )
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == 1
    assert Appointment.objects.count() == 1


def test_a_past_time_is_refused(hall, citizen):
    earlier_today = hall.slot(day=MONDAY, starts_at=dt.time(9, 30))
    assert refusal(citizen=citizen, slot_id=earlier_today.pk, item_id=hall.item.pk) in said(
        "该时段已过，请选择较晚的时段。", "This time has passed: choose a later one."
    )


def test_a_day_beyond_the_booking_days_is_refused(hall, citizen, settings):
    settings.HALL_BOOKING_DAYS = 7
    far = hall.slot(day=MONDAY + dt.timedelta(days=9))  # the 8th working day counting today
    assert refusal(citizen=citizen, slot_id=far.pk, item_id=hall.item.pk) in said(
        "只能预约 7 个工作日内的时段，请选择较早的日期。",
        "Appointments open 7 working days ahead: choose an earlier day.",
    )


def test_a_time_the_hall_has_no_slot_for_is_refused(hall, citizen):
    assert refusal(citizen=citizen, slot_id=999999, item_id=hall.item.pk) in said(
        "大厅该时间不受理预约，请选择列出的时段。",
        "The hall takes no appointments at that time: choose a listed time.",
    )


def test_a_closure_entered_after_the_slots_were_made_is_refused(hall, citizen):
    slot = hall.slot()
    add_closure(centre=hall.centre, first=TUESDAY, last=TUESDAY, name="搬迁闭厅")
    calendar.invalidate()
    assert refusal(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk) in said(
        "大厅 2026-12-08 不办公，请选择其他日期。", "The hall is closed on 2026-12-08: choose another day."
    )


def test_a_slot_of_another_area_is_refused(hall, citizen):
    other_area = ServiceAreaFactory(centre=hall.centre)
    slot = make_slot(other_area, date=TUESDAY)
    message = refusal(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk)
    assert message in said(
        f"该时段属于其他服务区，请选择“{hall.area}”的时段。",
        f"This time is for another service area: choose a time of {hall.area}.",
    )


def test_an_item_not_offered_for_booking_is_refused(hall, citizen):
    walk_in_only = bookable_item(hall.area, appointment_supported=False)
    message = refusal(citizen=citizen, slot_id=hall.slot().pk, item_id=walk_in_only.pk)
    assert message in said(
        "该事项不能预约，请按办事指南办理。", "This service cannot be booked: its guide says how to file it."
    )


def test_an_item_no_area_serves_is_refused(hall, citizen):
    elsewhere = bookable_item(ServiceAreaFactory(centre=hall.centre, is_active=False))
    message = refusal(citizen=citizen, slot_id=hall.slot().pk, item_id=elsewhere.pk)
    assert message in said(
        "大厅暂无受理该事项预约的服务区。",
        "No service area of the hall takes appointments for this service yet.",
    )


def test_a_bundle_is_booked_in_the_area_of_its_first_item(hall, citizen):
    bundle = BundleFactory(centre=hall.centre, state="published")
    bundle.entries.create(lineage=hall.item.lineage, order=0)
    booked = appointments.book(citizen=citizen, slot_id=hall.slot().pk, bundle_id=bundle.pk)
    assert (booked.bundle, booked.item) == (bundle, None)


def test_the_same_time_twice_is_refused(hall, citizen):
    slot = hall.slot()
    appointments.book(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk)
    assert refusal(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk) in said(
        "您已预约该时段。", "You have booked this time already."
    )
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == 1


def test_a_suspended_citizen_is_refused_with_the_end_date(hall, citizen):
    BookingSuspension.objects.create(
        citizen=citizen, starts_on=MONDAY, ends_on=MONDAY + dt.timedelta(days=29), no_shows=3
    )
    message = refusal(citizen=citizen, slot_id=hall.slot().pk, item_id=hall.item.pk)
    assert message in said(
        "您有 3 次预约未到场，网上预约已暂停至 2027-01-05。",
        "Online booking is suspended until 2027-01-05: 3 booked visits were missed.",
    )


def test_an_account_without_a_resident_id_is_refused(hall):
    anonymous = make_staff(Role.CITIZEN)
    message = refusal(citizen=anonymous, slot_id=hall.slot().pk, item_id=hall.item.pk)
    assert message in said(
        "预约须使用实名账户：请先补充您的身份证号码。",
        "Booking needs a real-name account: add your resident ID number first.",
    )


def test_staff_do_not_book(hall):
    clerk = make_staff(Role.CLERK, centre=hall.centre)
    with pytest.raises(PermissionDenied):
        appointments.book(citizen=clerk, slot_id=hall.slot().pk, item_id=hall.item.pk)
