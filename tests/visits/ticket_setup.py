"""What the ticket tests share: a hall open on a known working day, bookings planted in its slots,
resident IDs with a chosen birth date."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from apps.accounts.identifiers import resident_id_check_char
from apps.visits.models import Appointment, AppointmentSlot, AppointmentState
from tests.factories import DepartmentFactory, ServiceCentreFactory, UserFactory
from tests.factories.catalogue import make_item
from tests.factories.visits import ServiceAreaFactory, open_hall

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday, a working day in a year without a calendar entered (Monday–Friday).
DAY = dt.date(2026, 12, 2)

_serial = itertools.count(100)
_numbers = itertools.count(1)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def resident_id(born: dt.date, region: str = "110105") -> str:
    """A valid resident ID number of someone born on ``born`` (a new sequence number each time)."""
    first17 = f"{region}{born:%Y%m%d}{next(_serial) % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def aged(years: int, *, on: dt.date = DAY, days_short: int = 0) -> str:
    """The ID of someone ``years`` old on ``on`` (their birthday that day), or ``days_short`` days
    before turning it."""
    born = on.replace(year=on.year - years) + dt.timedelta(days=days_short)
    return resident_id(born)


class Hall:
    """A centre open 09:00–12:00 and 13:30–17:00, with areas A and B."""

    def __init__(self, centre=None):
        self.centre = centre or ServiceCentreFactory()
        open_hall(self.centre)
        self.area = ServiceAreaFactory(centre=self.centre, prefix="A")
        self.other_area = ServiceAreaFactory(centre=self.centre, prefix="B")
        self.item = make_item(
            department=DepartmentFactory(centre=self.centre), approval_category=self.area.category
        )

    def booking(
        self,
        *,
        day: dt.date = DAY,
        starts: dt.time = dt.time(10, 0),
        minutes: int = 30,
        id_number: str = "",
        name: str = "张三",
        state: str = AppointmentState.BOOKED,
        area=None,
    ) -> Appointment:
        """A booking of a slot of area A (planted: the booking service is the appointments' own)."""
        area = area or self.area
        ends = (dt.datetime.combine(day, starts) + dt.timedelta(minutes=minutes)).time()
        slot, _created = AppointmentSlot.objects.get_or_create(
            area=area, date=day, starts_at=starts, defaults={"ends_at": ends, "capacity": 4}
        )
        AppointmentSlot.objects.filter(pk=slot.pk).update(booked=slot.booked + 1)
        return Appointment.objects.create(
            number=f"YY{next(_numbers):06d}",
            citizen=UserFactory(),
            slot=slot,
            item=self.item,
            name=name,
            id_number=id_number or aged(40),
            phone="13812343210",
            state=state,
        )
