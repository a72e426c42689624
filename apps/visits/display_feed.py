"""What a hall display (大屏) shows: the centre's last calls today (ticket → window, the holder's name
masked 张*), the one just called with its announcement (「请 A001 号 到 A03 号窗口办理」), the tickets
waiting in each service area and the average wait of today's called tickets.

Read by the display's page and its one-second poll (``/display/feed/``), and by a display app through
the API. At most three queries whatever the day's size: the last calls (the ``call_centre_latest``
index), the areas, and the day's tickets grouped by area (the waiting, the day's waits) — those two
shared by the centre's displays through the cache for a second (``feed_for``). Never a full name or
an ID number: the holder's name leaves this module masked, and the ID number is never read.

The wait (等候时长) is the ticket's first call − the start of its wait in its area (``waiting_since``: a
transfer starts a new one), the hall figures' own expression (``apps.visits.figures.WAIT``); only
tickets called today count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.identifiers import mask_name
from apps.visits.figures import WAIT  # the wait as the hall figures count it (from waiting_since)
from apps.visits.models import ServiceArea, Ticket, TicketCall
from apps.visits.models.codes import CallKind, TicketState

# Calls the display lists (the newest is the big one).
LAST_CALLS = 8
# How long the centre's displays share one count of the waiting (see ``feed_for``).
SHARED_SECONDS = 1


@dataclass(frozen=True)
class ShownCall:
    id: int
    number: str
    window: str
    name: str  # masked: 张*
    area: str
    recall: bool
    at: dt.datetime

    @property
    def announcement(self) -> str:
        """The text read out (语音播报) and shown under the big call."""
        return _("Number %(number)s, please go to window %(window)s") % {
            "number": self.number,
            "window": self.window,
        }


@dataclass(frozen=True)
class AreaWaiting:
    prefix: str
    name: str
    waiting: int


@dataclass(frozen=True)
class Feed:
    calls: list[ShownCall]
    areas: list[AreaWaiting]
    average_wait_minutes: int | None  # of today's called tickets, whole minutes (rounded)
    called_today: int

    @property
    def last_id(self) -> int:
        return self.calls[0].id if self.calls else 0

    @property
    def latest(self) -> ShownCall | None:
        return self.calls[0] if self.calls else None


def _start_of_day(now: dt.datetime) -> tuple[dt.date, dt.datetime]:
    today = timezone.localdate(now)
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min), timezone.get_current_timezone())
    return today, start


def last_calls(centre_id: int, *, since: dt.datetime, limit: int = LAST_CALLS) -> list[ShownCall]:
    rows = (
        TicketCall.objects.filter(centre_id=centre_id, at__gte=since)
        .order_by("-id")
        .values_list(
            "id",
            "ticket__number",
            "window__number",
            "ticket__name",
            "ticket__area__category__name",
            "kind",
            "at",
        )[:limit]
    )
    return [
        ShownCall(
            id=pk,
            number=number,
            window=window,
            name=mask_name(name) if name else "",
            area=area,
            recall=kind == CallKind.RECALL,
            at=at,
        )
        for pk, number, window, name, area, kind, at in rows
    ]


@dataclass(frozen=True)
class HallNow:
    """The part of the feed every display of a centre shares: the waiting and the day's waits."""

    areas: list[AreaWaiting]
    average_wait_minutes: int | None
    called_today: int


def hall_now(centre_id: int, day: dt.date) -> HallNow:
    """Two queries: the centre's active areas, and the day's tickets of the centre (the
    ``ticket_centre_day`` index) grouped by area."""
    areas = (
        ServiceArea.objects.filter(centre_id=centre_id, is_active=True)
        .order_by("order", "prefix")
        .values_list("pk", "prefix", "category__name")
    )
    called = Q(first_called_at__isnull=False)
    by_area = {
        row["area_id"]: row
        for row in Ticket.objects.filter(centre_id=centre_id, day=day)
        .values("area_id")
        .annotate(
            waiting=Count("pk", filter=Q(state=TicketState.WAITING)),
            called=Count("pk", filter=called),
            waited=Sum(WAIT, filter=called),
        )
        .order_by()
    }
    waited = [row["waited"] for row in by_area.values() if row["waited"] is not None]
    called_today = sum(row["called"] for row in by_area.values())
    return HallNow(
        areas=[
            AreaWaiting(prefix=prefix, name=name, waiting=by_area.get(pk, {}).get("waiting", 0))
            for pk, prefix, name in areas
        ],
        average_wait_minutes=_minutes(sum(waited, dt.timedelta()), called_today),
        called_today=called_today,
    )


def feed_for(centre_id: int, *, now: dt.datetime | None = None) -> Feed:
    """The feed of the centre's displays. The calls are read each time (the one just made shows at
    the next poll); the waiting and the day's waits are shared by the centre's displays for
    ``SHARED_SECONDS`` or until the next call (the key holds the last call's id): 50 displays
    polling each second aggregate the day's tickets once a second or two, not 50 times, and a
    ticket just taken shows within that."""
    now = now or timezone.now()
    today, start = _start_of_day(now)
    calls = last_calls(centre_id, since=start)
    key = f"visits:display:{centre_id}:{today.isoformat()}:{calls[0].id if calls else 0}"
    shared = cache.get(key)
    if shared is None:
        shared = hall_now(centre_id, today)
        cache.set(key, shared, SHARED_SECONDS)
    return Feed(
        calls=calls,
        areas=shared.areas,
        average_wait_minutes=shared.average_wait_minutes,
        called_today=shared.called_today,
    )


def _minutes(total: dt.timedelta | None, count: int) -> int | None:
    if not count or total is None:
        return None
    return round(total.total_seconds() / 60 / count)


def average_wait_text(feed: Feed) -> str:
    if feed.average_wait_minutes is None:
        return "—"
    return _("%(minutes)s min") % {"minutes": feed.average_wait_minutes}


def _call_json(call: ShownCall) -> dict:
    return {
        "id": call.id,
        "number": call.number,
        "window": call.window,
        "name": call.name,
        "area": call.area,
        "recall": call.recall,
        "at": timezone.localtime(call.at).isoformat(),
        "announcement": call.announcement,
    }


def as_json(feed: Feed, *, after: int | None = None) -> dict:
    """The feed as the poll and the API send it. ``new``: the calls made after the call ``after`` the
    display already has (0: it has none), oldest first, each to announce; none without ``after``, so
    a display coming on does not read out the morning's calls."""
    return {
        "last_id": feed.last_id,
        "calls": [_call_json(call) for call in feed.calls],
        "new": [_call_json(call) for call in reversed(feed.calls) if after is not None and call.id > after],
        "areas": [{"prefix": area.prefix, "name": area.name, "waiting": area.waiting} for area in feed.areas],
        "average_wait_minutes": feed.average_wait_minutes,
        "average_wait_text": average_wait_text(feed),
        "called_today": feed.called_today,
    }
