"""Appointment slots (预约时段): cut from a centre's opening periods into ``HALL_SLOT_MINUTES`` pieces,
one row per active service area, working day and piece, each taking ``area.slot_capacity`` bookings.

``generate_slots`` is the only writer of slot rows. It is idempotent and set-based (a handful of
queries whatever the number of slots): run again, it creates the slots missing, brings the capacity of
the others to the area's (never below what is booked), and removes the slots nobody booked that the
set-up no longer gives (a closure entered since, an opening period changed, an area closed). A slot
that has ever had a booking is never removed: the booking points at it (and its history with it).

Which days are bookable is read from the calendar at the time of reading too (``bookable_slots``), so a
closure entered after the slots were generated closes them at once, before the next generation.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.accounts.models import ServiceCentre
from apps.visits.models import Appointment, AppointmentSlot, OpeningPeriod, ServiceArea
from apps.worktime import calendar


def slot_times(periods, minutes: int | None = None) -> list[tuple[dt.time, dt.time]]:
    """The (start, end) of each slot cut from ``periods`` (pairs of times), in order. A period that
    does not divide evenly ends with a shorter slot: the hall is open then, and people can be booked."""
    step = dt.timedelta(minutes=minutes or settings.HALL_SLOT_MINUTES)
    day = dt.date(2000, 1, 1)  # any day: time arithmetic goes through datetimes
    times = []
    for opens, closes in sorted(periods):
        at, end = dt.datetime.combine(day, opens), dt.datetime.combine(day, closes)
        while at < end:
            until = min(at + step, end)
            times.append((at.time(), until.time()))
            at = until
    return times


def booking_horizon(centre_id: int, today: dt.date) -> dt.date:
    """The last day that can be booked at the centre: the ``HALL_BOOKING_DAYS``-th working day
    counting today (when today is one) and the working days after it."""
    first = calendar.next_working_day(today, centre_id)
    days = max(settings.HALL_BOOKING_DAYS, 1)
    last = calendar.add_working_days(first, days - 1, centre_id) if days > 1 else first
    return dt.date(last.year, last.month, last.day)


def is_bookable_day(centre_id: int, day: dt.date, today: dt.date) -> bool:
    """Whether ``day`` may be booked at the centre today: a working day (closures included), not in
    the past, within the booking horizon."""
    return today <= day <= booking_horizon(centre_id, today) and calendar.is_working_day(day, centre_id)


@transaction.atomic
def generate_slots(centre_id: int, *, start: dt.date, days: int) -> int:
    """Bring the centre's slots of ``days`` days from ``start`` in line with its set-up (see the
    module); returns the number of slots created."""
    # One generation of a centre at a time (the hourly job, beat's start, a set-up change): two would
    # delete, resize and insert the same rows in different orders. Bookings lock their slot only.
    ServiceCentre.objects.select_for_update().filter(pk=centre_id).values_list("pk", flat=True).first()
    calendar.refresh()  # the slots stored now must follow the calendar as it is now
    end = start + dt.timedelta(days=days)
    areas = dict(
        ServiceArea.objects.filter(centre_id=centre_id, is_active=True).values_list("pk", "slot_capacity")
    )
    times = slot_times(OpeningPeriod.objects.filter(centre_id=centre_id).values_list("starts_at", "ends_at"))
    dates = [
        start + dt.timedelta(days=i)
        for i in range(days)
        if calendar.is_working_day(start + dt.timedelta(days=i), centre_id)
    ]
    wanted = {(area, day, opens): closes for area in areas for day in dates for opens, closes in times}

    existing = AppointmentSlot.objects.filter(area__centre_id=centre_id, date__gte=start, date__lt=end)
    rows = list(existing.values_list("pk", "area_id", "date", "starts_at", "ends_at"))
    stale = [pk for pk, area, day, opens, closes in rows if wanted.get((area, day, opens)) != closes]
    if stale:
        AppointmentSlot.objects.filter(pk__in=stale, booked=0).exclude(
            Exists(Appointment.objects.filter(slot=OuterRef("pk")))
        ).delete()
    # What is left of the rows read (the stale ones someone booked stay, and keep their place).
    kept = set(
        AppointmentSlot.objects.filter(area__centre_id=centre_id, date__gte=start, date__lt=end).values_list(
            "area_id", "date", "starts_at"
        )
    )
    # Each slot of an active area takes its area's capacity, in one UPDATE; Greatest: a lowered
    # capacity never drops below the bookings already taken (the CHECK).
    existing.filter(area__is_active=True).exclude(capacity=F("area__slot_capacity")).update(
        capacity=Greatest(
            Subquery(ServiceArea.objects.filter(pk=OuterRef("area_id")).values("slot_capacity")[:1]),
            F("booked"),
        )
    )
    new = [
        AppointmentSlot(area_id=area, date=day, starts_at=opens, ends_at=closes, capacity=areas[area])
        for (area, day, opens), closes in wanted.items()
        if (area, day, opens) not in kept
    ]
    # ignore_conflicts: a second generation running at once (the start-up run and the beat's) wins
    # nothing twice; the unique (area, date, starts_at) decides.
    AppointmentSlot.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def generate_ahead(centre_id: int, *, today: dt.date | None = None) -> int:
    """The centre's slots from today to the end of its booking horizon (what the daily job runs, and
    what a change of the hall's set-up runs at once)."""
    today = today or timezone.localdate()
    return generate_slots(centre_id, start=today, days=(booking_horizon(centre_id, today) - today).days + 1)


def bookable_slots(
    area_id: int, day: dt.date, *, now: dt.datetime | None = None
) -> QuerySet[AppointmentSlot]:
    """The slots of an active area on ``day`` that can still be booked, in order: a bookable day at the
    area's centre, and today only the slots not started yet. Full slots are included (``left`` 0) so
    that a page can show them as full; none at all when the day is not bookable."""
    now = timezone.localtime(now)
    centre_id = (
        ServiceArea.objects.filter(pk=area_id, is_active=True).values_list("centre_id", flat=True).first()
    )
    if centre_id is None or not is_bookable_day(centre_id, day, now.date()):
        return AppointmentSlot.objects.none()
    slots = AppointmentSlot.objects.filter(area_id=area_id, date=day)
    if day == now.date():
        slots = slots.filter(starts_at__gt=now.time())
    return slots.order_by("starts_at")


def slot_overview(centre_ids, first: dt.date, last: dt.date) -> list[dict]:
    """Per area and day from ``first`` to ``last``: ``slots``, ``places``, ``taken`` and ``left``
    (one query), for the set-up page's view of the days ahead."""
    return list(
        AppointmentSlot.objects.filter(area__centre_id__in=centre_ids, date__gte=first, date__lte=last)
        .values("area_id", "date")
        .annotate(
            slots=Count("pk"),
            places=Sum("capacity"),
            taken=Sum("booked"),
            left=Sum(F("capacity") - F("booked")),
        )
        .order_by("date", "area_id")
    )


def generate_all(today: dt.date | None = None) -> int:
    """Every centre's slots to the end of its booking horizon (the daily job): the centres with a
    service area, closed ones included, so that a closed area's unbooked slots go too."""
    centres = ServiceArea.objects.order_by("centre_id").values_list("centre_id", flat=True).distinct()
    return sum(generate_ahead(centre_id, today=today) for centre_id in centres)
