"""What the window's calling panel (叫号) reads: the ticket a window holds now, the next one it would
call, the waiting counts of its areas, the skipped tickets it may still recall. The actions are in
``apps.visits.calling``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.visits.models import ServiceArea, Ticket, TicketState

# A window holds at most one of these at a time: it finishes or skips it before calling the next.
HELD = (TicketState.CALLED, TicketState.SERVING)
# The queue's order: any priority first (优先), then the longest wait; the id settles a tie.
QUEUE_ORDER = ("-priority", "waiting_since", "pk")


# What a window does with a ticket, in the panel's order: each offered when the ticket's graph offers
# its transition now; ``recall`` (重呼) is a step, offered to a called ticket. (``call`` is the
# window's call-next, ``abandon`` the day's close: neither is done to one ticket at a window.)
WINDOW_ACTIONS = ("recall", "start", "skip", "finish", "transfer", "recall_skipped")


def window_actions(ticket: Ticket) -> list[str]:
    available = {t.name for t in ticket.get_available_state_transitions()}
    if ticket.state == TicketState.CALLED:
        available.add("recall")
    return [name for name in WINDOW_ACTIONS if name in available]


def recall_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.HALL_SKIP_RECALL_MINUTES)


def held_by_window(window_id: int, day: dt.date) -> QuerySet[Ticket]:
    """The ticket the window has called or is serving on ``day`` (at most one)."""
    return Ticket.objects.filter(window_id=window_id, day=day, state__in=HELD)


def current_ticket(window_id: int, *, now: dt.datetime | None = None) -> Ticket | None:
    """The window's ticket now, with its area, for the panel."""
    day = timezone.localdate(now or timezone.now())
    return held_by_window(window_id, day).select_related("area", "transferred_from", "appointment").first()


def waiting_in(area_ids, day: dt.date) -> QuerySet[Ticket]:
    """The tickets waiting in those areas on ``day``, in the order they are called."""
    return Ticket.objects.filter(area_id__in=area_ids, day=day, state=TicketState.WAITING).order_by(
        *QUEUE_ORDER
    )


def window_areas(window_id: int, *, now: dt.datetime | None = None) -> list[ServiceArea]:
    """The window's active areas, each with ``waiting`` (today's waiting tickets): one query."""
    day = timezone.localdate(now or timezone.now())
    return list(
        ServiceArea.objects.filter(windows=window_id, is_active=True)
        .annotate(waiting=Count("tickets", filter=Q(tickets__day=day, tickets__state=TicketState.WAITING)))
        .select_related("category")
        .order_by("order", "prefix", "pk")
    )


def recallable(area_ids, *, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    """The skipped tickets of those areas a window may still call back (过号, within
    HALL_SKIP_RECALL_MINUTES of the skip), the latest skipped first."""
    now = now or timezone.now()
    return (
        Ticket.objects.filter(
            area_id__in=area_ids,
            day=timezone.localdate(now),
            state=TicketState.SKIPPED,
            skipped_at__gte=now - recall_limit(),
        )
        .select_related("area")
        .order_by("-skipped_at", "-pk")
    )


def transfer_targets(ticket: Ticket) -> QuerySet[ServiceArea]:
    """The areas of the ticket's centre it may be sent to (active, not its own)."""
    return (
        ServiceArea.objects.filter(centre_id=ticket.centre_id, is_active=True)
        .exclude(pk=ticket.area_id)
        .select_related("category")
        .order_by("order", "prefix", "pk")
    )
