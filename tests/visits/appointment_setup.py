"""What the appointment tests share: a hall with one area, a bookable item of it, a real-name
citizen, and the time of day they book at (Monday 7 December 2026, 10:00 in Fuzhou)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import time_machine

from apps.worktime import calendar
from tests.factories import ServiceCentreFactory
from tests.factories.visits import ServiceAreaFactory, bookable_item, make_slot, open_hall

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 12, 7)
TUESDAY = dt.date(2026, 12, 8)
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@dataclass
class Hall:
    centre: object
    area: object
    item: object

    def slot(self, day=TUESDAY, starts_at=dt.time(9, 0), **kwargs):
        return make_slot(self.area, date=day, starts_at=starts_at, **kwargs)


def make_hall() -> Hall:
    calendar.invalidate()
    centre = ServiceCentreFactory()
    open_hall(centre)
    area = ServiceAreaFactory(centre=centre, slot_capacity=2)
    return Hall(centre, area, bookable_item(area))


def monday_morning():
    """Travel to Monday 10:00 (a context manager: ``with monday_morning() as traveller``)."""
    return time_machine.travel(NOW, tick=False)


def said(chinese: str, english: str) -> set[str]:
    """A new string of this issue: its Chinese (var/po-pending/a2.tsv) once the lead has merged it
    into the catalogue, its English msgid until then."""
    return {chinese, english}
