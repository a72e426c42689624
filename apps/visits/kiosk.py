"""The ticket kiosk (取号机, ``/kiosk/``): a paired touch screen in the hall, no login.

- ``/kiosk/``: three big choices — a resident ID (read from the card by a reader that types it, or on
  the screen's digit pad), a booking's QR code (a scanner types the code and Enter into a focused
  input), or a walk-in ticket for one of the centre's service areas.
- ``/kiosk/id/``, ``/kiosk/scan/``, ``/kiosk/walk-in/``: each takes its input and issues the ticket
  (``ticketing.issue_ticket``); a booking that gives no ticket now is refused with the reason and
  what to do instead; an ID without a booking today is asked for the area.
- ``/kiosk/tickets/<id>/``: the ticket, laid out for a 58 mm receipt printer and printed at once
  (``static/js/kiosk.js``); the screen goes back to the start after KIOSK_TICKET_SECONDS.

Every page is for a paired kiosk only (``devices.paired_device``): any other screen is shown the "not
paired" page. A ticket page shows only tickets of the kiosk's centre issued in the last few minutes,
and never a name or an ID number (a receipt is left behind, a screen is seen by the next person).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.errors import Conflict, error_text
from apps.visits import areas, devices, ticketing
from apps.visits.models import DeviceKind, PriorityReason, Ticket, TicketSource

# How long the ticket stays on the screen before the kiosk is ready for the next person.
KIOSK_TICKET_SECONDS = 15
# An unfinished input left alone this long goes back to the start (the next person starts clean).
KIOSK_IDLE_SECONDS = 60
# How long after issue a ticket's page can be shown again (a reprint), and only on its centre's kiosks.
REPRINT_MINUTES = 5

kiosk_device = devices.paired_device(DeviceKind.KIOSK)


def _page(request, template, context=None, status=200):
    context = {
        "centre": request.device.centre,
        "idle_seconds": KIOSK_IDLE_SECONDS,
        **(context or {}),
    }
    return render(request, template, context, status=status)


def _area_choices(centre_id: int):
    return list(areas.active_areas(centre_id).order_by("order", "prefix"))


def _issue(request, **kwargs):
    """Issue a ticket from this kiosk: the ticket's page, or the refusal on the page it came from."""
    return ticketing.issue_ticket(centre_id=request.device.centre_id, device=request.device, **kwargs)


@never_cache
@require_GET
@kiosk_device
def home(request):
    centre_id = request.device.centre_id
    return _page(
        request,
        "kiosk/home.html",
        {"areas": _area_choices(centre_id), "closed": ticketing.closed_reason(centre_id, timezone.now())},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@kiosk_device
def by_id(request):
    """A resident ID: today's booking's ticket, or (none today) the area they choose."""
    context = {"id_number": ""}
    if request.method == "GET":
        return _page(request, "kiosk/id.html", context)
    id_number = (request.POST.get("id_number") or "").strip()[:30]
    area_id = _int(request.POST.get("area"))
    context["id_number"] = id_number
    try:
        ticket = _issue(request, source=TicketSource.ID_NUMBER, id_number=id_number, area_id=area_id)
    except ticketing.AreaNeeded:
        context["areas"] = _area_choices(request.device.centre_id)
        return _page(request, "kiosk/choose_area.html", context)
    except ticketing.HallClosed as refused:
        context["error"] = error_text(refused)
        return _page(request, "kiosk/id.html", context, status=409)
    except Conflict as refused:
        # A booking that gives no ticket now: said, and a ticket for an area offered instead.
        context.update(error=error_text(refused), areas=_area_choices(request.device.centre_id))
        return _page(request, "kiosk/choose_area.html", context, status=409)
    except ValidationError as refused:
        context["error"] = error_text(refused)
        return _page(request, "kiosk/id.html", context, status=400)
    return redirect("kiosk:ticket", ticket_id=ticket.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@kiosk_device
def scan(request):
    """A booking's QR code, typed by the scanner into the focused input (and Enter)."""
    if request.method == "GET":
        return _page(request, "kiosk/scan.html")
    token = (request.POST.get("code") or "").strip()[:64]
    try:
        ticket = _issue(request, source=TicketSource.APPOINTMENT, appointment_token=token)
    except (Conflict, ValidationError) as refused:
        return _page(request, "kiosk/scan.html", {"error": error_text(refused)}, status=409)
    return redirect("kiosk:ticket", ticket_id=ticket.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@kiosk_device
def walk_in(request):
    """A walk-in ticket: the centre's areas as big buttons."""
    context = {"areas": _area_choices(request.device.centre_id)}
    if request.method == "GET":
        return _page(request, "kiosk/walk_in.html", context)
    try:
        ticket = _issue(request, source=TicketSource.WALK_IN, area_id=_int(request.POST.get("area")))
    except (Conflict, ValidationError) as refused:
        context["error"] = error_text(refused)
        return _page(request, "kiosk/walk_in.html", context, status=409)
    return redirect("kiosk:ticket", ticket_id=ticket.pk)


@never_cache
@require_GET
@kiosk_device
def ticket(request, ticket_id: int):
    shown = (
        Ticket.objects.filter(
            pk=ticket_id,
            centre_id=request.device.centre_id,
            issued_at__gte=timezone.now() - dt.timedelta(minutes=REPRINT_MINUTES),
        )
        .select_related("area__category", "centre")
        .first()
    )
    if shown is None:
        raise Http404
    return _page(
        request,
        "kiosk/ticket.html",
        {
            "ticket": shown,
            "people_ahead": ticketing.people_ahead(shown),
            "priority": [PriorityReason(reason).label for reason in shown.priority_reasons],
            "back_seconds": KIOSK_TICKET_SECONDS,
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


urlpatterns = [
    path("", home, name="home"),
    path("id/", by_id, name="id"),
    path("scan/", scan, name="scan"),
    path("walk-in/", walk_in, name="walk_in"),
    path("tickets/<int:ticket_id>/", ticket, name="ticket"),
]
