"""The demo hall's flow: areas A/B/C at the city centre with its windows, the hours, the slots, the
filing assistant and, while the hall takes tickets, a few waiting ones — idempotent."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role
from apps.demo.seeding.catalogue import seed_catalogue
from apps.demo.seeding.hall_flow import seed_hall_flow
from apps.demo.seeding.organisation import CITY, seed_organisation
from apps.visits.models import AppointmentSlot, OpeningPeriod, ServiceArea, Ticket
from apps.worktime import calendar

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
THURSDAY_TEN = dt.datetime(2026, 9, 24, 10, tzinfo=SHANGHAI)
HOLIDAY = dt.datetime(2026, 9, 26, 10, tzinfo=SHANGHAI)  # Mid-Autumn


@pytest.fixture(autouse=True)
def demo():
    calendar.invalidate()
    seed_organisation()
    seed_catalogue()
    yield
    calendar.invalidate()


def _state():
    return (
        sorted(
            (a.prefix, a.category.name, tuple(sorted(w.number for w in a.windows.all())), a.slot_capacity)
            for a in ServiceArea.objects.all()
        ),
        sorted(OpeningPeriod.objects.values_list("starts_at", "ends_at")),
        AppointmentSlot.objects.count(),
        sorted(Ticket.objects.values_list("number", flat=True)),
    )


def test_the_demo_hall_flow_is_seeded_once_with_waiting_tickets_while_open():
    with time_machine.travel(THURSDAY_TEN, tick=False):
        lines = seed_hall_flow(CITY["name"])
        first = _state()
        seed_hall_flow(CITY["name"])  # again: nothing new
        assert _state() == first
    areas, hours, slots, tickets = first
    assert areas == [
        ("A", "市场准入", ("A01", "A02"), 4),
        ("B", "投资建设", ("A01", "A03"), 4),
        ("C", "社会事务", ("A01", "A04"), 4),
    ]
    assert hours == [(dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17))]
    # 7 working days from Thursday (24, 28, 29, 30 September, 8, 9, 10 October) × 13 slots × 3 areas.
    assert slots == 7 * 13 * 3
    assert tickets == ["A001", "A002", "A003", "B001"]
    elder = Ticket.objects.get(number="A003")
    assert "elderly" in elder.priority_reasons and elder.state == "waiting"
    assert StaffMembership.objects.get(user__username="assistant").role == Role.ASSISTANT
    assert any("A001, A002, A003, B001" in line for line in lines)


def test_no_tickets_on_a_day_off():
    with time_machine.travel(HOLIDAY, tick=False):
        lines = seed_hall_flow(CITY["name"])
    assert not Ticket.objects.exists()
    assert lines[-1].startswith("No tickets seeded")
    assert AppointmentSlot.objects.exists()


def test_the_command_needs_the_demo_and_refuses_production(settings):
    ServiceArea.objects.all().delete()
    from apps.catalogue.models import ApprovalCategory

    ApprovalCategory.objects.filter(code="social").update(code="social_gone")
    with pytest.raises(CommandError, match="run seed_demo"):
        call_command("seed_hall_flow", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_hall_flow")
