"""Taking a queue ticket (取号) and its priority (优先).

A ticket is issued by a kiosk (or the API for one) in one of three ways:

- a booking's QR code (its token): the booking must be for today, at this centre, still booked and
  not past its slot's end + HALL_APPOINTMENT_GRACE_MINUTES; it is checked in and the ticket is its;
- a resident ID (read from the card or typed): today's live booking for that ID at this centre, if
  there is one, gives its ticket as above; otherwise the person chooses a service area;
- a walk-in (直接取号) with a service area.

Numbers run per area and day (A001, A002 …; ``apps.sequences``: gap-free). A ticket goes first within
its area (``priority`` 1, ``priority_reasons`` saying why) for an appointment kept within its slot
± the grace, a holder aged HALL_PRIORITY_AGE or over on the day (the ID's birth date), and — flagged
by a clerk or supervisor of the centre (``flag_priority``) — a disabled person or the green channel
(绿色通道). Within a priority the longest wait goes first (``calling_selectors.QUEUE_ORDER``: the
order call-next calls in).

Tickets are issued while the hall takes them: on a working day, until its last opening period ends.
``close_day`` ends what the day left unserved (abandoned) once the hall has closed. Every transition
and flag is in the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.accounts.identifiers import normalise_resident_id, validate_resident_id
from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.audit.services import record_step, record_transition
from apps.core.errors import Conflict
from apps.sequences.services import next_value
from apps.visits.models import (
    Appointment,
    AppointmentState,
    OpeningPeriod,
    PriorityReason,
    ServiceArea,
    Ticket,
    TicketSource,
    TicketState,
)
from apps.worktime.calendar import is_working_day

# The reasons staff flag (the others follow from the booking and the ID).
STAFF_REASONS = (PriorityReason.DISABLED, PriorityReason.GREEN_CHANNEL)

# States of a ticket still in the hall's hands (not served, not over).
OPEN_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SKIPPED)


def rank(reasons) -> int:
    """The priority a ticket's reasons give it: any reason puts it ahead of the rest of its area."""
    return 1 if reasons else 0


def ordered_reasons(reasons) -> list[str]:
    """Reasons in their declared order, each once (what the ticket, the desk and the print show)."""
    given = {str(reason) for reason in reasons}
    return [value for value in PriorityReason.values if value in given]


def birth_date(id_number: str) -> dt.date | None:
    """The birth date in an 18-character resident ID (characters 7–14), None if there is none."""
    number = normalise_resident_id(id_number)
    if len(number) != 18 or not number[6:14].isdigit():
        return None
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_elderly(id_number: str, day: dt.date) -> bool:
    born = birth_date(id_number)
    return born is not None and age_on(born, day) >= settings.HALL_PRIORITY_AGE


def _grace() -> dt.timedelta:
    return dt.timedelta(minutes=settings.HALL_APPOINTMENT_GRACE_MINUTES)


def _slot_bounds(appointment: Appointment) -> tuple[dt.datetime, dt.datetime]:
    slot = appointment.slot
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(slot.date, slot.starts_at, tzinfo=tz),
        dt.datetime.combine(slot.date, slot.ends_at, tzinfo=tz),
    )


def on_time(appointment: Appointment, at: dt.datetime) -> bool:
    """Whether ``at`` is within the booking's slot ± HALL_APPOINTMENT_GRACE_MINUTES."""
    starts, ends = _slot_bounds(appointment)
    return starts - _grace() <= at <= ends + _grace()


# --- refusals at the kiosk --------------------------------------------------------------------------


def _date_text(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _booking_refusal(appointment: Appointment | None, *, centre_id: int, now: dt.datetime) -> str:
    """Why this booking gives no ticket now ("" when it does). Each says what to do instead."""
    if appointment is None:
        return _("No booking has this code. Check the code, or take a walk-in ticket.")
    if appointment.slot.area.centre_id != centre_id:
        return _("This booking is for another service centre: %(centre)s.") % {
            "centre": appointment.slot.area.centre.name
        }
    if appointment.state == AppointmentState.CANCELLED:
        return _("This booking was cancelled. Take a walk-in ticket, or book again.")
    if appointment.state == AppointmentState.CHECKED_IN:
        ticket = Ticket.objects.filter(appointment=appointment).only("number").first()
        return _("This booking has its ticket already: %(number)s.") % {
            "number": ticket.number if ticket else "—"
        }
    today = timezone.localdate(now)
    if appointment.slot.date > today:
        return _("This booking is for %(date)s, not today. Please come back that day.") % {
            "date": _date_text(appointment.slot.date)
        }
    _starts, ends = _slot_bounds(appointment)
    if appointment.state == AppointmentState.NO_SHOW or now > ends + _grace():
        return _(
            "This booking has expired: its time was %(date)s %(from)s–%(until)s. "
            "Take a walk-in ticket, or book again."
        ) % {
            "date": _date_text(appointment.slot.date),
            "from": f"{appointment.slot.starts_at:%H:%M}",
            "until": f"{appointment.slot.ends_at:%H:%M}",
        }
    return ""


class HallClosed(Conflict):
    """The hall takes no tickets now (a day off, or after its last opening period)."""


def closed_reason(centre_id: int, now: dt.datetime) -> str:
    """Why the hall gives no ticket now ("" when it does): not a working day of the centre's calendar
    (closures included), or past the end of its last opening period. Before opening is fine: the
    queue forms."""
    today = timezone.localdate(now)
    if not is_working_day(today, centre_id):
        return _("The hall is not open today. Tickets are issued on working days.")
    closing = _closing_time(centre_id)
    if closing is not None and timezone.localtime(now).time() >= closing:
        return _("The hall has closed for today. Tickets are issued again on the next working day.")
    return ""


def _closing_time(centre_id: int) -> dt.time | None:
    return (
        OpeningPeriod.objects.filter(centre_id=centre_id)
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )


# --- issuing ------------------------------------------------------------------------------------------


class AreaNeeded(Exception):
    """A resident ID without a booking today: the kiosk asks which service area (not an error to the
    person, a question). The API answers it as a 400 on ``area``."""

    def __init__(self, id_number: str):
        super().__init__(id_number)
        self.id_number = id_number
        self.message = _("Choose the service area you have come for.")


def _todays_booking(id_number: str, *, centre_id: int, today: dt.date) -> Appointment | None:
    """The person's booking for today at this centre that may still give a ticket: a live one first
    (booked), the earliest slot; otherwise the latest one of today, whatever its state (so that the
    refusal names it: already taken, expired)."""
    bookings = list(
        Appointment.objects.filter(id_number=id_number, slot__date=today, slot__area__centre_id=centre_id)
        .exclude(state=AppointmentState.CANCELLED)
        .select_related("slot__area__centre")
        .order_by("slot__starts_at", "pk")
    )
    live = [booking for booking in bookings if booking.state == AppointmentState.BOOKED]
    if live:
        return live[0]
    return bookings[-1] if bookings else None


def issue_ticket(
    *,
    centre_id: int,
    source: str,
    area_id: int | None = None,
    id_number: str = "",
    appointment_token: str = "",
    device=None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Issue a ticket at ``centre_id`` (see the module's docstring for the three ways).

    Refused with the reason as ``ValidationError`` (bad input: the ID's checksum, an unknown area),
    ``Conflict`` (the booking or the hall does not allow it now: expired, another centre's, cancelled,
    already taken, closed), or ``AreaNeeded`` (an ID without a booking today and no area chosen)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if device is not None and device.centre_id != centre_id:
        raise PermissionDenied(_("This kiosk belongs to another service centre."))
    closed = closed_reason(centre_id, now)
    if closed:
        raise HallClosed(closed)

    appointment = None
    id_number = normalise_resident_id(id_number)
    if source == TicketSource.APPOINTMENT:
        token = (appointment_token or "").strip()
        appointment = (
            Appointment.objects.filter(token=token).select_related("slot__area__centre").first()
            if token and len(token) <= 64
            else None
        )
        refused = _booking_refusal(appointment, centre_id=centre_id, now=now)
        if refused:
            raise Conflict(refused)
        if id_number and id_number != appointment.id_number:
            raise Conflict(_("This booking is in another person's name."))
    elif source == TicketSource.ID_NUMBER:
        validate_resident_id(id_number)
        appointment = _todays_booking(id_number, centre_id=centre_id, today=today)
        if appointment is not None:
            refused = _booking_refusal(appointment, centre_id=centre_id, now=now)
            if refused and area_id is None:
                raise Conflict(refused)
            if refused:  # a booking that gives no ticket: the area they chose, as anyone else
                appointment = None
    elif source != TicketSource.WALK_IN:
        raise ValidationError({"source": _("Choose how the ticket is taken.")})

    if appointment is not None:
        area = appointment.slot.area
        source = TicketSource.APPOINTMENT
        id_number = appointment.id_number
    else:
        if area_id is None:
            if source == TicketSource.ID_NUMBER:
                raise AreaNeeded(id_number)
            raise ValidationError({"area": _("Choose a service area.")})
        area = ServiceArea.objects.filter(pk=area_id, centre_id=centre_id, is_active=True).first()
        if area is None:
            raise ValidationError({"area": _("This service area is not open at this service centre.")})

    reasons = []
    if appointment is not None and on_time(appointment, now):
        reasons.append(PriorityReason.APPOINTMENT)
    if id_number and is_elderly(id_number, today):
        reasons.append(PriorityReason.ELDERLY)
    reasons = ordered_reasons(reasons)

    with transaction.atomic():
        if appointment is not None:
            appointment = _check_in(appointment, now)
        sequence = next_value(f"ticket:{area.pk}:{today.isoformat()}")
        ticket = Ticket.objects.create(
            centre_id=centre_id,
            area=area,
            day=today,
            sequence=sequence,
            number=f"{area.prefix}{sequence:03d}",
            source=source,
            appointment=appointment,
            name=appointment.name if appointment is not None else "",
            id_number=id_number,
            priority_reasons=reasons,
            priority=rank(reasons),
            issued_at=now,
            waiting_since=now,
        )
        record_transition(
            ticket,
            transition="issue",
            from_state="",
            to_state=ticket.state,
            source=source,
            area=area.prefix,
            device=getattr(device, "pk", None),
            priority=reasons,
        )
    return ticket


def _check_in(appointment: Appointment, now: dt.datetime) -> Appointment:
    """The booking taken up, locked first: of two kiosks reading the same QR code at once, the second
    finds it checked in and is refused with the ticket's number. The state change is the bookings'
    own service (``appointments.check_in``)."""
    from apps.visits import appointments  # the bookings' services: imported when a booking is used

    locked = (
        Appointment.objects.select_for_update().select_related("slot__area__centre").get(pk=appointment.pk)
    )
    if locked.state != AppointmentState.BOOKED:
        raise Conflict(_booking_refusal(locked, centre_id=locked.slot.area.centre_id, now=now))
    return appointments.check_in(locked, now) or locked


# --- what a ticket shows --------------------------------------------------------------------------------


def people_ahead(ticket: Ticket) -> int:
    """How many waiting tickets of its area would be called before it (0 once it is called): those
    ahead of it in ``calling_selectors.QUEUE_ORDER`` (priority, the wait's start, the id), one COUNT."""
    if ticket.state != TicketState.WAITING:
        return 0
    later = Q(waiting_since__lt=ticket.waiting_since) | Q(
        waiting_since=ticket.waiting_since, pk__lt=ticket.pk
    )
    return (
        Ticket.objects.filter(area_id=ticket.area_id, day=ticket.day, state=TicketState.WAITING)
        .filter(Q(priority__gt=ticket.priority) | (Q(priority=ticket.priority) & later))
        .count()
    )


def tickets_of_centres(centre_ids, *, day: dt.date) -> QuerySet[Ticket]:
    """The tickets of ``day`` at those centres (a staff list: the desk's, the API's)."""
    return (
        Ticket.objects.filter(centre_id__in=centre_ids, day=day)
        .select_related("area__category", "window")
        .order_by("area__order", "area__prefix", "sequence")
    )


def staff_centres(user) -> QuerySet:
    """The ids of the centres whose tickets ``user`` sees and flags (a subquery): where they are a
    window clerk, or supervise the whole centre."""
    if not getattr(user, "is_authenticated", False):
        return StaffMembership.objects.none().values("centre_id")
    return (
        StaffMembership.objects.filter(user=user)
        .filter(Q(role=Role.CLERK) | Q(role=Role.SUPERVISOR, department__isnull=True))
        .values("centre_id")
    )


def open_ticket_numbered(centre_id: int, number: str, *, day: dt.date) -> Ticket | None:
    """Today's ticket of that number at the centre, while still in the hall's hands (what a clerk
    names when a person in the queue asks to go first)."""
    number = (number or "").strip().upper()[:10]
    return Ticket.objects.filter(centre_id=centre_id, day=day, number=number, state__in=OPEN_STATES).first()


def may_flag(user, centre_id: int) -> bool:
    return staff_centres(user).filter(centre_id=centre_id).exists()


# --- staff flags ----------------------------------------------------------------------------------------


def flag_priority(*, ticket_id: int, reason: str, actor, note: str = "", client_ip=None) -> Ticket:
    """A clerk or supervisor of the ticket's centre puts it first within its area: a disabled person,
    or the green channel (重点项目). A ticket already served or over is not flagged."""
    if reason not in STAFF_REASONS:
        raise ValidationError({"reason": _("Choose disabled person or green channel.")})
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None or not may_flag(actor, ticket.centre_id):
            raise PermissionDenied(_("Only a clerk or supervisor of this service centre may do this."))
        if ticket.state not in OPEN_STATES:
            raise Conflict(_("Not possible now: it is %(state)s.") % {"state": ticket.get_state_display()})
        if reason in ticket.priority_reasons:
            raise Conflict(_("This ticket has this priority already."))
        ticket.priority_reasons = ordered_reasons([*ticket.priority_reasons, reason])
        ticket.priority = rank(ticket.priority_reasons)
        ticket.save(update_fields=["priority_reasons", "priority"])
        record_step(
            ticket,
            step="flag_priority",
            actor=actor,
            comment=(note or "").strip()[:500],
            client_ip=client_ip,
            reason=reason,
        )
    return ticket


# --- the end of the day ---------------------------------------------------------------------------------


def close_day(now: dt.datetime | None = None) -> int:
    """Abandon the tickets the day left unserved (waiting, called, skipped): those of earlier days,
    and today's at every centre whose last opening period has ended. Set-based (one UPDATE, one
    insert of their log entries); a ticket being served is left to its clerk. Idempotent. Returns how
    many tickets were abandoned."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    clock = timezone.localtime(now).time()
    closed_centres = (
        OpeningPeriod.objects.values("centre_id")
        .order_by()
        .annotate(closes=Max("ends_at"))
        .filter(closes__lte=clock)
        .values("centre_id")
    )
    over = Q(day__lt=today) | Q(day=today, centre_id__in=closed_centres)
    with transaction.atomic():
        rows = list(
            Ticket.objects.select_for_update().filter(over, state__in=OPEN_STATES).values_list("pk", "state")
        )
        if not rows:
            return 0
        Ticket.objects.filter(pk__in=[pk for pk, _state in rows]).update(state=TicketState.ABANDONED)
        content_type = ContentType.objects.get_for_model(Ticket)
        TransitionLog.objects.bulk_create(
            TransitionLog(
                content_type=content_type,
                object_id=str(pk),
                transition="abandon",
                from_state=state,
                to_state=TicketState.ABANDONED,
                comment="close_day",
            )
            for pk, state in rows
        )
    return len(rows)
