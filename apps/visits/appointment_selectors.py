"""Reads of appointments (预约): what a citizen may book and has booked, a booking by its QR token,
the suspension in force. The actions are in ``apps.visits.appointments``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from apps.accounts.models import ServiceCentre
from apps.catalogue import selectors as catalogue
from apps.catalogue.codes import ItemState
from apps.catalogue.models import Bundle, ServiceItem
from apps.visits import slots
from apps.visits.areas import area_for
from apps.visits.models import Appointment, AppointmentSlot, AppointmentState, BookingSuspension, ServiceArea


@dataclass(frozen=True)
class BookingTarget:
    """What is booked (an item or a bundle), where (its centre) and in which service area (None when
    no active area of the centre serves it)."""

    item: ServiceItem | None
    bundle: Bundle | None
    centre: ServiceCentre | None
    area: ServiceArea | None

    @property
    def name(self) -> str:
        return (self.item or self.bundle).name

    @property
    def query(self) -> str:
        return f"item={self.item.pk}" if self.item is not None else f"bundle={self.bundle.pk}"


def bookable(item: ServiceItem | None, bundle: Bundle | None) -> bool:
    """An item its guide offers for booking (预约办理: 是); a bundle whose every item is."""
    if item is not None:
        return item.appointment_supported
    items = catalogue.bundle_items(bundle, prepare=lambda qs: qs.only("appointment_supported"))
    return bool(items) and all(i.appointment_supported for i in items)


def booking_target(*, item_id: int | None = None, bundle_id: int | None = None) -> BookingTarget | None:
    """The published item (its lineage's current version, for a guide opened before a new version)
    or bundle asked for, with its centre and area; None when there is no such published thing."""
    if bool(item_id) == bool(bundle_id):
        return None
    if bundle_id:
        bundle = catalogue.published_bundles().filter(pk=bundle_id).first()
        if bundle is None:
            return None
        return BookingTarget(None, bundle, bundle.centre, area_for(bundle.centre_id, bundle=bundle))
    asked = ServiceItem.objects.filter(pk=item_id).values_list("lineage_id", flat=True).first()
    item = (
        ServiceItem.objects.select_related("lineage__centre")
        .filter(lineage_id=asked, state=ItemState.PUBLISHED)
        .first()
        if asked
        else None
    )
    if item is None:
        return None
    centre = item.lineage.centre
    area = area_for(centre.pk, item=item) if centre is not None else None
    return BookingTarget(item, None, centre, area)


def slot_starts(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.date, slot.starts_at))


def bookable_dates(centre_id: int, today: dt.date | None = None) -> list[dt.date]:
    """The days a booking may be made for at the centre from today: its working days up to the
    booking horizon (``slots.booking_horizon``)."""
    today = today or timezone.localdate()
    last = slots.booking_horizon(centre_id, today)
    days = (today + dt.timedelta(days=n) for n in range((last - today).days + 1))
    return [day for day in days if slots.is_bookable_day(centre_id, day, today)]


def places_by_day(area_id: int, dates: list[dt.date], now: dt.datetime | None = None) -> dict[dt.date, int]:
    """The places still free in the area on each of ``dates`` (today: in the slots not begun), one
    query; a day with no slot is 0."""
    now = timezone.localtime(now or timezone.now())
    free = (
        AppointmentSlot.objects.filter(area_id=area_id, date__in=dates)
        .exclude(date=now.date(), starts_at__lte=now.time())
        .order_by()
        .values("date")
        .annotate(left=Sum(F("capacity") - F("booked")))
    )
    left = {row["date"]: row["left"] for row in free}
    return {day: left.get(day) or 0 for day in dates}


def first_open_day(places: dict[dt.date, int]) -> dt.date | None:
    """The first day with a place left, else the first day (the page and the API open on it)."""
    return next((day for day, left in places.items() if left), next(iter(places), None))


def appointments_of(citizen) -> QuerySet[Appointment]:
    """The account's bookings, the coming ones first, each with what its card shows (one query)."""
    return (
        Appointment.objects.filter(citizen=citizen)
        .select_related("slot__area__category", "slot__area__centre", "item", "bundle")
        .order_by("-slot__date", "-slot__starts_at", "-pk")
    )


def appointment_of(citizen, pk: int) -> Appointment | None:
    return appointments_of(citizen).filter(pk=pk).first()


def appointment_of_token(token: str) -> Appointment | None:
    """The booking a QR code carries (what the kiosk's scanner types in)."""
    if not token:
        return None
    return Appointment.objects.select_related("slot__area").filter(token=token.strip()).first()


def suspension_of(citizen, day: dt.date | None = None) -> BookingSuspension | None:
    """The booking suspension in force for the account on ``day`` (today), the longest if several."""
    day = day or timezone.localdate()
    return (
        BookingSuspension.objects.filter(citizen=citizen, starts_on__lte=day, ends_on__gte=day)
        .order_by("-ends_on")
        .first()
    )


def live_booking(citizen, slot_id: int) -> bool:
    return Appointment.objects.filter(
        citizen=citizen, slot_id=slot_id, state=AppointmentState.BOOKED
    ).exists()
