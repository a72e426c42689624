"""Factories of the hall's flow (apps.visits). One per model; a helper for a centre's usual set-up."""

import datetime as dt

import factory

from apps.visits.models import OpeningPeriod, ServiceArea
from tests.factories.accounts import ServiceCentreFactory
from tests.factories.catalogue import ApprovalCategoryFactory


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        skip_postgeneration_save = True  # the windows hook writes the M2M rows itself

    centre = factory.SubFactory(ServiceCentreFactory)
    category = factory.SubFactory(ApprovalCategoryFactory)
    prefix = factory.Sequence(lambda n: "ABCDEFGHJKLMNPQRSTUVWXYZ"[n % 24])
    slot_capacity = 4

    @factory.post_generation
    def windows(self, create, extracted, **kwargs):
        if create and extracted:
            self.windows.add(*extracted)


class OpeningPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningPeriod

    centre = factory.SubFactory(ServiceCentreFactory)
    starts_at = dt.time(9, 0)
    ends_at = dt.time(12, 0)


def open_hall(centre) -> list[OpeningPeriod]:
    """The usual hours: 09:00–12:00 and 13:30–17:00 on each working day."""
    return [
        OpeningPeriodFactory(centre=centre, starts_at=dt.time(9, 0), ends_at=dt.time(12, 0)),
        OpeningPeriodFactory(centre=centre, starts_at=dt.time(13, 30), ends_at=dt.time(17, 0)),
    ]


# --- hall devices (helper D) ---


def make_device(centre, kind, *, name="", paired_by=None):
    """A kiosk or display of ``centre`` already paired and in use; returns ``(device, key)``: send the
    key as the ``hall_device`` cookie or the ``X-Device-Key`` header."""
    from django.utils import timezone

    from apps.accounts.roles import Role
    from apps.core import device_keys
    from apps.visits import devices
    from apps.visits.models import HallDevice
    from tests.factories.accounts import make_staff

    key = device_keys.new_key()
    now = timezone.now()
    device = HallDevice.objects.create(
        centre=centre,
        kind=kind,
        name=name or f"{kind} {centre.pk}",
        key_hash=devices.key_hash_for(key),
        paired_at=now,
        paired_by=paired_by or make_staff(Role.SUPERVISOR, centre=centre),
        last_seen_at=now,
    )
    return device, key


# --- queue tickets (helper C; until apps.visits.ticketing issues them) ---


def make_ticket(area, *, at=None, priority_reasons=(), name="张三", id_number="", state=None, **fields):
    """A ticket waiting in ``area`` since ``at`` (now), numbered next in its area and day; any
    ``priority_reasons`` make it a priority ticket. ``state`` and other fields as given."""
    from django.utils import timezone

    from apps.visits.models import Ticket, TicketSource, TicketState

    at = at or timezone.now()
    day = timezone.localdate(at)
    # Numbered by the area's letter across the centre (a number is unique per centre and day; a
    # transferred ticket keeps its letter).
    sequence = (
        Ticket.objects.filter(centre_id=area.centre_id, day=day, number__startswith=area.prefix).count() + 1
    )
    ticket = Ticket(
        centre_id=area.centre_id,
        area=area,
        day=day,
        sequence=sequence,
        number=f"{area.prefix}{sequence:03d}",
        source=TicketSource.WALK_IN,
        name=name,
        id_number=id_number,
        priority_reasons=list(priority_reasons),
        priority=1 if priority_reasons else 0,
        issued_at=at,
        waiting_since=at,
        **fields,
    )
    # The state field is protected (changed only by the graph): a test's starting point is set here.
    ticket.__dict__["state"] = state or TicketState.WAITING
    ticket.save()
    return ticket


# --- appointments (A2) ---


def make_slot(area=None, *, date, starts_at=dt.time(9, 0), minutes=30, capacity=None, booked=0):
    """One bookable slot of ``area`` (a new area when None), as apps.visits.slots would make it."""
    from apps.visits.models import AppointmentSlot

    area = area or ServiceAreaFactory()
    ends_at = (dt.datetime.combine(date, starts_at) + dt.timedelta(minutes=minutes)).time()
    return AppointmentSlot.objects.create(
        area=area,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=area.slot_capacity if capacity is None else capacity,
        booked=booked,
    )


def bookable_item(area, **overrides):
    """A published item of ``area``'s centre and category that its guide offers for booking."""
    from tests.factories.accounts import DepartmentFactory
    from tests.factories.catalogue import make_item

    overrides.setdefault("appointment_supported", True)
    department = DepartmentFactory(centre=area.centre)
    return make_item(department=department, approval_category=area.category, **overrides)


def real_name_citizen(**fields):
    """A citizen account with its own resident ID (实名, self-declared), able to book."""
    from apps.accounts.models import RealNameLevel
    from apps.accounts.roles import Role
    from tests.factories.accounts import make_staff

    fields.setdefault("id_number", _next_resident_id())
    fields.setdefault("phone", f"139{len(_issued_ids):08d}")
    return make_staff(Role.CITIZEN, real_name_level=RealNameLevel.DECLARED, **fields)


_issued_ids: list[str] = []


def _next_resident_id(born: dt.date = dt.date(1985, 6, 1)) -> str:
    """A checksum-valid resident ID (Fuzhou, ``born``), a new sequence number each call."""
    from apps.accounts.identifiers import resident_id_check_char

    first17 = f"350102{born:%Y%m%d}{(len(_issued_ids) + 100) % 1000:03d}"
    _issued_ids.append(first17)
    return first17 + resident_id_check_char(first17)
