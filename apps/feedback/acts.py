"""The service acts a filing offers for rating (好差评), read from what the hall recorded.

一次一评: each act — a window visit (the filing taken and decided at a window), an online pre-review
(网上预审, decided by a clerk), a hand-over of the documents at a window (窗口领取) — is rated on its
own; 一事一评: the whole filing, once it is concluded (办结, refused, or terminated). An act names who
and what it judges (centre, the department of the filing's first item, window, staff member, item):
the rating copies them when it is first given, so that a ticket and the figures read one row.

Nothing here is stored: an act is derived from the filing, its decision and its delivery, so it can
never disagree with them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import F
from django.http import Http404
from django.utils import timezone

from apps.audit.models import TransitionLog
from apps.cases.codes import Channel as FilingChannel
from apps.cases.codes import FilingState
from apps.cases.models import Filing, FilingItem
from apps.certificates.models import Delivery, DeliveryMethod
from apps.feedback.models import ActKind
from apps.visits.models import TicketState

# 一事一评 is offered once the filing has ended, whichever way.
CONCLUDED = (FilingState.CLOSED, FilingState.REJECTED, FilingState.TERMINATED)


@dataclass(frozen=True)
class Act:
    kind: str
    filing: Filing
    at: dt.datetime
    centre_id: int
    department_id: int
    window_id: int | None
    staff_id: int | None
    item_id: int


def _first_item(filing: Filing) -> FilingItem:
    """The filing's first item (a bundle's first): the department the acts are charged to."""
    # A prefetch of ``items`` (with their items) is used when the caller made one.
    items = list(filing.items.all()) if _prefetched(filing, "items") else None
    if items is None:
        items = list(filing.items.select_related("item").order_by("order", "pk")[:1])
    if not items:
        raise Http404
    return min(items, key=lambda entry: (entry.order, entry.pk))


def _prefetched(obj, name: str) -> bool:
    return name in getattr(obj, "_prefetched_objects_cache", {})


def _delivery(filing: Filing) -> Delivery | None:
    try:
        return filing.delivery
    except Delivery.DoesNotExist:
        return None


def _terminated_at(filing: Filing) -> dt.datetime | None:
    # Terminated by a rule (a lapsed 容缺 commitment, no case left): the log says when.
    return (
        TransitionLog.objects.filter(
            content_type__app_label="cases",
            content_type__model="filing",
            object_id=str(filing.pk),
            transition="terminate",
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def acts_of(filing: Filing) -> list[Act]:
    """The acts of ``filing`` that may be rated now, in the order they happened.

    Reads the filing's first item and its delivery (one query each unless prefetched or selected:
    ``items__item`` and ``delivery``)."""
    first = _first_item(filing)
    common = {
        "filing": filing,
        "centre_id": filing.centre_id,
        "department_id": first.item.department_id,
        "item_id": first.item_id,
    }
    acts = []
    if filing.decided_at is not None:
        kind = ActKind.ONLINE_PRE_REVIEW if filing.channel == FilingChannel.ONLINE else ActKind.WINDOW_VISIT
        acts.append(
            Act(
                kind=kind,
                at=filing.decided_at,
                window_id=filing.window_id,
                staff_id=filing.decided_by_id,
                **common,
            )
        )
    delivery = _delivery(filing) if filing.state in (FilingState.DELIVERED, FilingState.CLOSED) else None
    if delivery is not None and delivery.method == DeliveryMethod.HANDOVER:
        acts.append(
            Act(
                kind=ActKind.HANDOVER,
                at=delivery.delivered_at,
                window_id=delivery.window_id,
                staff_id=delivery.delivered_by_id,
                **common,
            )
        )
    concluded = _concluded(filing, delivery, first)
    if concluded is not None:
        acts.append(concluded)
    return acts


def _concluded(filing: Filing, delivery: Delivery | None, first: FilingItem) -> Act | None:
    """一事一评: the whole filing, charged to whoever concluded it (the issuer who delivered it, the
    clerk who refused it; nobody when a rule terminated it)."""
    common = {
        "kind": ActKind.FILING,
        "filing": filing,
        "centre_id": filing.centre_id,
        "department_id": first.item.department_id,
        "item_id": first.item_id,
    }
    if filing.state == FilingState.CLOSED and delivery is not None:
        return Act(
            at=delivery.delivered_at,
            window_id=delivery.window_id or filing.window_id,
            staff_id=delivery.delivered_by_id,
            **common,
        )
    if filing.state == FilingState.REJECTED and filing.decided_at is not None:
        return Act(at=filing.decided_at, window_id=filing.window_id, staff_id=filing.decided_by_id, **common)
    if filing.state == FilingState.TERMINATED:
        at = _terminated_at(filing)
        if at is not None:
            return Act(at=at, window_id=filing.window_id, staff_id=None, **common)
    return None


def act_of(filing: Filing, kind: str) -> Act:
    """The act ``kind`` of ``filing``; 404 when the filing has no such act to rate (yet)."""
    for act in acts_of(filing):
        if act.kind == kind:
            return act
    raise Http404


def _finished_visit(window_id: int, since: dt.datetime) -> Filing | None:
    """The filing decided for the visit (叫号 ticket) last finished at the window at or after
    ``since``, its ``visit_finished_at`` the ticket's finish: the visit ends when the clerk finishes
    the ticket, which may be after the filing's decision (one query, on the tickets' window index)."""
    return (
        Filing.objects.filter(
            window_id=window_id,
            decided_at__isnull=False,
            tickets__window_id=window_id,
            tickets__day__gte=timezone.localdate(since),
            tickets__state=TicketState.DONE,
            tickets__finished_at__gte=since,
        )
        .exclude(channel=FilingChannel.ONLINE)
        .annotate(visit_finished_at=F("tickets__finished_at"))
        .order_by("-visit_finished_at", "-decided_at", "-pk")
        .first()
    )


def latest_act_at_window(window_id: int, *, since: dt.datetime) -> Act | None:
    """The act last finished at the window at or after ``since``, for its evaluation pad: a window
    visit (a filing decided there, or the queue ticket it was made for finished there: then at the
    ticket's finish) or a hand-over of documents there. Online pre-reviews are not offered: the
    applicant is not at the window."""
    visit = (
        Filing.objects.filter(window_id=window_id, decided_at__gte=since)
        .exclude(channel=FilingChannel.ONLINE)
        .order_by("-decided_at", "-pk")
        .first()
    )
    finished = _finished_visit(window_id, since)
    handover = (
        Delivery.objects.filter(window_id=window_id, method=DeliveryMethod.HANDOVER, delivered_at__gte=since)
        .select_related("filing")
        .order_by("-delivered_at", "-pk")
        .first()
    )
    candidates = []
    if visit is not None:
        candidates.append((visit.decided_at, ActKind.WINDOW_VISIT, visit))
    if finished is not None:
        candidates.append((finished.visit_finished_at, ActKind.WINDOW_VISIT, finished))
    if handover is not None:
        candidates.append((handover.delivered_at, ActKind.HANDOVER, handover.filing))
    if not candidates:
        return None
    at, kind, filing = max(candidates, key=lambda candidate: candidate[0])
    act = act_of(filing, kind)
    # A visit is offered from when it ended (its ticket finished), the pad's time counting from then.
    return replace(act, at=at) if kind == ActKind.WINDOW_VISIT else act
