"""Appointments (预约): a real-name citizen books a place in a slot of the service area that handles
the chosen item or bundle, cancels it until ``HALL_BOOKING_CANCEL_HOURS`` before, is reminded by SMS
the working day before, takes a ticket with it at the kiosk (``check_in``, called by ticketing) or is
recorded as a no-show; ``HALL_NO_SHOW_LIMIT`` no-shows within ``HALL_NO_SHOW_WINDOW_DAYS`` suspend
online booking for ``HALL_NO_SHOW_SUSPEND_DAYS``. The portal's pages and the API call these."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import RealNameLevel
from apps.accounts.permissions import Perm
from apps.audit.models import TransitionLog
from apps.audit.services import record_transition
from apps.core.errors import Conflict
from apps.notifications.services import Message, Recipient, notify_all
from apps.sequences.services import next_value
from apps.visits import appointment_selectors as selectors
from apps.visits import slots
from apps.visits.models import Appointment, AppointmentSlot, AppointmentState, BookingSuspension
from apps.worktime import calendar

S = AppointmentState
REMINDER = "appointment_reminder"
SUSPENDED = "booking_suspended"


def _day(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def _require_real_name(citizen) -> None:
    """Only a citizen account carrying its own resident ID books: the kiosk matches the booking with
    the ID card, and no-shows are counted against the person."""
    if not citizen.has_perm(Perm.USE_CITIZEN_PORTAL):
        raise PermissionDenied(_("Only a citizen's own account books appointments."))
    if not citizen.id_number or citizen.real_name_level not in RealNameLevel.values:
        raise ValidationError(
            {"account": _("Booking needs a real-name account: add your resident ID number first.")}
        )


def _target(item_id, bundle_id) -> selectors.BookingTarget:
    if bool(item_id) == bool(bundle_id):
        raise ValidationError({"item": _("Choose one service or one bundle (一件事) to book.")})
    target = selectors.booking_target(item_id=item_id, bundle_id=bundle_id)
    if target is None or not selectors.bookable(target.item, target.bundle):
        raise ValidationError({"item": _("This service cannot be booked: its guide says how to file it.")})
    if target.area is None:
        raise ValidationError(
            {"item": _("No service area of the hall takes appointments for this service yet.")}
        )
    return target


def _check_slot(slot: AppointmentSlot | None, target, citizen, now: dt.datetime) -> AppointmentSlot:
    """Each refusal with its reason, in the order a person would want to hear them."""
    if slot is None:
        # Slots exist only on the hall's working days within its hours (apps.visits.slots).
        raise ValidationError(
            {"slot": _("The hall takes no appointments at that time: choose a listed time.")}
        )
    if slot.area_id != target.area.pk:
        raise ValidationError(
            {
                "slot": _("This time is for another service area: choose a time of %(area)s.")
                % {"area": target.area}
            }
        )
    if selectors.slot_starts(slot) <= now:
        raise ValidationError({"slot": _("This time has passed: choose a later one.")})
    if slot.date > slots.booking_horizon(slot.area.centre_id, now.date()):
        raise ValidationError(
            {
                "slot": _("Appointments open %(days)d working days ahead: choose an earlier day.")
                % {"days": settings.HALL_BOOKING_DAYS}
            }
        )
    # A closure entered after the slots were made: the calendar has the last word.
    if not slots.is_bookable_day(slot.area.centre_id, slot.date, now.date()):
        raise ValidationError(
            {"slot": _("The hall is closed on %(day)s: choose another day.") % {"day": _day(slot.date)}}
        )
    if (suspension := selectors.suspension_of(citizen, now.date())) is not None:
        raise ValidationError(
            {
                "account": _(
                    "Online booking is suspended until %(day)s: %(count)d booked visits were missed."
                )
                % {"day": _day(suspension.ends_on), "count": suspension.no_shows}
            }
        )
    if selectors.live_booking(citizen, slot.pk):
        raise ValidationError({"slot": _("You have booked this time already.")})
    return slot


def _full() -> ValidationError:
    return ValidationError({"slot": _("This time is fully booked: choose another.")})


@transaction.atomic
def book(*, citizen, slot_id: int, item_id=None, bundle_id=None, client_ip=None) -> Appointment:
    """Book a place in ``slot_id`` for an item or a bundle. The place is taken by one conditional
    UPDATE (``booked < capacity``): two people booking the last place at once, one gets it and the
    other hears the time is full, whichever database row lock orders them."""
    _require_real_name(citizen)
    target = _target(item_id, bundle_id)
    now = timezone.localtime()
    slot = AppointmentSlot.objects.select_related("area").filter(pk=slot_id, area__is_active=True).first()
    _check_slot(slot, target, citizen, now)
    taken = AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise _full()
    # Gap-free per visiting day; the counter row is locked after the slot's, never before (no cycle).
    serial = next_value(f"appointment:{slot.date:%Y%m%d}")
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                number=f"YY{slot.date:%Y%m%d}{serial:05d}",
                citizen=citizen,
                slot=slot,
                item=target.item,
                bundle=target.bundle,
                name=citizen.full_name,
                id_number=citizen.id_number,
                phone=citizen.phone,
            )
    except IntegrityError:
        # The same account booking the same time twice at once: the one live booking per slot.
        raise ValidationError({"slot": _("You have booked this time already.")}) from None
    record_transition(
        appointment, transition="book", from_state="", to_state=S.BOOKED, actor=citizen, client_ip=client_ip
    )
    return appointment


def cancel_deadline(appointment: Appointment) -> dt.datetime:
    return selectors.slot_starts(appointment.slot) - dt.timedelta(hours=settings.HALL_BOOKING_CANCEL_HOURS)


def cancellable(appointment: Appointment, now: dt.datetime | None = None) -> bool:
    return appointment.state == S.BOOKED and (now or timezone.now()) < cancel_deadline(appointment)


@transaction.atomic
def cancel(*, appointment_id: int, actor, client_ip=None) -> Appointment:
    """The booking's own account cancels it until ``HALL_BOOKING_CANCEL_HOURS`` before its time; the
    place is free again. Another account's booking is not found (404)."""
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("slot")
        .filter(pk=appointment_id, citizen_id=actor.pk)
        .first()
    )
    if appointment is None:
        raise Http404
    if appointment.state != S.BOOKED:
        raise Conflict(
            _("This booking is %(state)s: it cannot be cancelled.")
            % {"state": appointment.get_state_display()}
        )
    if not cancellable(appointment):
        raise Conflict(
            _("A booking can be cancelled until %(hours)d hours before its time.")
            % {"hours": settings.HALL_BOOKING_CANCEL_HOURS}
        )
    appointment.state, appointment.cancelled_at = S.CANCELLED, timezone.now()
    appointment.save(update_fields=["state", "cancelled_at"])
    AppointmentSlot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    record_transition(
        appointment,
        transition="cancel",
        from_state=S.BOOKED,
        to_state=S.CANCELLED,
        actor=actor,
        client_ip=client_ip,
    )
    return appointment


def check_in(appointment: Appointment, at: dt.datetime | None = None, *, actor=None) -> Appointment:
    """The booking has been used to take a ticket (ticketing checks it is today's, at this centre).
    Run inside the ticket's transaction: a booking checks in once (conditional UPDATE)."""
    at = at or timezone.now()
    used = Appointment.objects.filter(pk=appointment.pk, state=S.BOOKED).update(
        state=S.CHECKED_IN, checked_in_at=at
    )
    if not used:
        appointment.refresh_from_db(fields=["state"])
        raise Conflict(
            _("This booking is %(state)s: no ticket can be taken with it.")
            % {"state": appointment.get_state_display()}
        )
    appointment.state, appointment.checked_in_at = S.CHECKED_IN, at
    record_transition(
        appointment, transition="check_in", from_state=S.BOOKED, to_state=S.CHECKED_IN, actor=actor
    )
    return appointment


# --- the periodic jobs (apps.visits.tasks) ------------------------------------------------------------


def _reminder(appointment: Appointment) -> Message:
    slot = appointment.slot
    return Message(
        REMINDER,
        [Recipient(user_id=appointment.citizen_id, phone=appointment.phone)],
        {
            "number": appointment.number,
            "name": appointment.name,
            "service": (appointment.item or appointment.bundle).name,
            "centre": slot.area.centre.name,
            "area": str(slot.area.category),
            "day": _day(slot.date),
            "time": f"{slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}",
        },
        f"visits.appointment:{appointment.pk}",
    )


def send_reminders(now: dt.datetime | None = None) -> int:
    """SMS (and an in-site message) for each live booking whose day's previous working day has come
    (a Monday's booking on Friday; one made after that, at once). Idempotent: a booking is reminded
    once (``reminded_at``), its row locked while the message is written, skipped if another run holds it."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    pending = Appointment.objects.filter(state=S.BOOKED, reminded_at__isnull=True, slot__date__gt=today)
    pairs = pending.values_list("slot__area__centre_id", "slot__date").order_by().distinct()
    due = Q(pk__in=[])
    for centre_id, day in pairs:
        if calendar.add_working_days(day, -1, centre_id) <= today:
            due |= Q(slot__area__centre_id=centre_id, slot__date=day)
    with transaction.atomic():
        appointments = list(
            pending.filter(due)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("slot__area__centre", "slot__area__category", "item", "bundle")
        )
        if not appointments:
            return 0
        notify_all([_reminder(a) for a in appointments])
        Appointment.objects.filter(pk__in=[a.pk for a in appointments]).update(reminded_at=now)
    return len(appointments)


def _ended(now: dt.datetime) -> Q:
    """Bookings whose slot ended more than the grace minutes before ``now`` (date and time compared
    apart: portable SQL on SQLite and PostgreSQL)."""
    cutoff = now - dt.timedelta(minutes=settings.HALL_APPOINTMENT_GRACE_MINUTES)
    return Q(slot__date__lt=cutoff.date()) | Q(slot__date=cutoff.date(), slot__ends_at__lte=cutoff.time())


def record_no_shows(now: dt.datetime | None = None) -> int:
    """Live bookings whose slot ended (plus the grace) without a ticket become no-shows, set-based and
    idempotent; then a citizen with ``HALL_NO_SHOW_LIMIT`` no-shows in the last
    ``HALL_NO_SHOW_WINDOW_DAYS`` days (counted since their last suspension) is suspended from online
    booking for ``HALL_NO_SHOW_SUSPEND_DAYS`` days from today and told so."""
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        rows = list(
            Appointment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_ended(now), state=S.BOOKED)
            .values_list("pk", "citizen_id")
        )
        if not rows:
            return 0
        ids = [pk for pk, _citizen in rows]
        Appointment.objects.filter(pk__in=ids).update(state=S.NO_SHOW, no_show_at=now)
        content_type = ContentType.objects.get_for_model(Appointment)
        TransitionLog.objects.bulk_create(
            TransitionLog(
                content_type=content_type,
                object_id=str(pk),
                transition="record_no_show",
                from_state=S.BOOKED,
                to_state=S.NO_SHOW,
                context={},
            )
            for pk in ids
        )
        _suspend({citizen for _pk, citizen in rows}, now)
    return len(rows)


def _suspend(citizen_ids: set[int], now: dt.datetime) -> None:
    today = now.date()
    since = today - dt.timedelta(days=settings.HALL_NO_SHOW_WINDOW_DAYS)
    last = dict(
        BookingSuspension.objects.filter(citizen_id__in=citizen_ids)
        .values_list("citizen_id")
        .annotate(latest=Max("created_at"))
    )
    counts = (
        Appointment.objects.filter(citizen_id__in=citizen_ids, state=S.NO_SHOW, slot__date__gte=since)
        .values("citizen_id")
        .annotate(n=Count("pk"))
    )
    ends_on = today + dt.timedelta(days=settings.HALL_NO_SHOW_SUSPEND_DAYS - 1)
    suspensions, messages = [], []
    for row in counts:
        citizen_id, n = row["citizen_id"], row["n"]
        if citizen_id in last:
            # No-shows that led to an earlier suspension are not counted twice.
            n = Appointment.objects.filter(
                citizen_id=citizen_id,
                state=S.NO_SHOW,
                slot__date__gte=since,
                no_show_at__gt=last[citizen_id],
            ).count()
        if n < settings.HALL_NO_SHOW_LIMIT:
            continue
        suspensions.append(
            BookingSuspension(citizen_id=citizen_id, starts_on=today, ends_on=ends_on, no_shows=n)
        )
        messages.append(
            Message(SUSPENDED, [Recipient(user_id=citizen_id)], {"count": n, "until": _day(ends_on)})
        )
    BookingSuspension.objects.bulk_create(suspensions)
    notify_all(messages)
