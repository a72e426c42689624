"""Two citizens booking the last place of a slot at once, on PostgreSQL where the two transactions
really overlap: one gets it, the other is refused as full; the slot is never overbooked."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.core.errors import error_text
from apps.visits import appointments
from apps.visits.models import Appointment, AppointmentSlot
from tests.concurrency import together
from tests.factories.visits import real_name_citizen
from tests.visits.appointment_setup import NOW, make_hall, said

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(3))
def test_two_citizens_booking_the_last_place_at_once_one_gets_it(attempt):
    with time_machine.travel(NOW, tick=False):
        hall = make_hall()
        slot = hall.slot(capacity=3, booked=2)  # one place left
        first, second = real_name_citizen(), real_name_citizen()

        def booking(citizen):
            return lambda: appointments.book(citizen=citizen, slot_id=slot.pk, item_id=hall.item.pk)

        results = together(booking(first), booking(second))
    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert error_text(refused[0]) in said(
        "该时段已约满，请选择其他时段。", "This time is fully booked: choose another."
    )
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == 3
    assert list(Appointment.objects.values_list("citizen_id", flat=True)) == [booked[0].citizen_id]
