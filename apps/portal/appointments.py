"""预约办理 in the online hall, phone first: from a guide's 预约 button (an item or a bundle), the day
and the time with the places left, a confirmation; the account's bookings, each with its booking
number, its QR code for the kiosk and the cancellation. Thin views over
``apps.visits.appointment_selectors`` and ``apps.visits.appointments`` (the API's too)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.audit.requests import client_ip
from apps.core.errors import Conflict, error_text
from apps.portal.views import citizen_required
from apps.visits import appointment_selectors as selectors
from apps.visits import appointments, slots
from apps.visits.booking_qr import booking_qr_png
from apps.visits.models import AppointmentState


def _target(request) -> selectors.BookingTarget:
    """The item (``?item=``) or bundle (``?bundle=``) of the guide's button; 404 for anything else."""
    values = {name: request.GET.get(name, "") for name in ("item", "bundle")}
    if not all(value.isdigit() or value == "" for value in values.values()):
        raise Http404
    target = selectors.booking_target(
        item_id=int(values["item"] or 0) or None, bundle_id=int(values["bundle"] or 0) or None
    )
    if target is None:
        raise Http404
    return target


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _day(request, places: dict[dt.date, int]) -> dt.date | None:
    """The day asked for (``?date=``) if it can be booked; else the first with a place left."""
    try:
        asked = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        asked = None
    return asked if asked in places else selectors.first_open_day(places)


@require_http_methods(["GET", "POST"])
@citizen_required
def new(request):
    """Choose the day, then the time (places left shown), then confirm (``?slot=``): POST books."""
    target = _target(request)
    offered = selectors.bookable(target.item, target.bundle) and target.area is not None
    dates = selectors.bookable_dates(target.centre.pk) if offered else []
    places = selectors.places_by_day(target.area.pk, dates) if dates else {}
    day = _day(request, places)
    times = list(slots.bookable_slots(target.area.pk, day)) if day else []
    chosen = next((s for s in times if str(s.pk) == request.GET.get("slot", "")), None)
    error = None
    if request.method == "POST":
        try:
            booked = appointments.book(
                citizen=request.user,
                slot_id=_int(request.POST.get("slot", "")),
                item_id=target.item.pk if target.item else None,
                bundle_id=target.bundle.pk if target.bundle else None,
                client_ip=client_ip(request),
            )
        except (ValidationError, PermissionDenied) as refusal:
            error = error_text(refusal) if isinstance(refusal, ValidationError) else str(refusal)
        else:
            messages.success(
                request, _("Booked: your booking number is %(number)s.") % {"number": booked.number}
            )
            return redirect("portal:appointment", booked.pk)
    return render(
        request,
        "portal/appointments/new.html",
        {
            "portal_page": "appointments",
            "target": target,
            "offered": offered,
            "real_name": bool(request.user.id_number),
            "suspension": selectors.suspension_of(request.user),
            "dates": dates,
            "places": places,
            "day": day,
            "times": times,
            "chosen": chosen,
            "error": error,
            "cancel_hours": settings.HALL_BOOKING_CANCEL_HOURS,
        },
    )


@citizen_required
def mine(request):
    """The account's bookings: the coming ones (still to go to) first, then the others."""
    rows = list(selectors.appointments_of(request.user)[:100])
    now = timezone.now()
    coming = sorted(
        (
            a
            for a in rows
            if a.state == AppointmentState.BOOKED
            and selectors.slot_starts(a.slot) >= now - dt.timedelta(hours=1)
        ),
        key=lambda a: (a.slot.date, a.slot.starts_at),
    )
    others = [a for a in rows if a not in coming]
    return render(
        request,
        "portal/appointments/list.html",
        {
            "portal_page": "appointments",
            "coming": coming,
            "others": others,
            "suspension": selectors.suspension_of(request.user),
        },
    )


def _mine(request, pk):
    appointment = selectors.appointment_of(request.user, pk)
    if appointment is None:
        raise Http404
    return appointment


@citizen_required
def detail(request, pk):
    appointment = _mine(request, pk)
    return render(
        request,
        "portal/appointments/detail.html",
        {
            "portal_page": "appointments",
            "appointment": appointment,
            "can_cancel": appointments.cancellable(appointment),
            "cancel_deadline": timezone.localtime(appointments.cancel_deadline(appointment)),
            "cancel_hours": settings.HALL_BOOKING_CANCEL_HOURS,
        },
    )


@citizen_required
def qr(request, pk):
    response = HttpResponse(booking_qr_png(_mine(request, pk)), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@citizen_required
def cancel(request, pk):
    try:
        appointments.cancel(appointment_id=pk, actor=request.user, client_ip=client_ip(request))
    except Conflict as refusal:
        messages.error(request, error_text(refusal))
    else:
        messages.success(request, _("The booking is cancelled: the place is free for others."))
    return redirect(reverse("portal:appointment", args=[pk]))


urlpatterns = [
    path("appointments/", mine, name="appointments"),
    path("appointments/new/", new, name="appointment_new"),
    path("appointments/<int:pk>/", detail, name="appointment"),
    path("appointments/<int:pk>/qr.png", qr, name="appointment_qr"),
    path("appointments/<int:pk>/cancel/", cancel, name="appointment_cancel"),
]
