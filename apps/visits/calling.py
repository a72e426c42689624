"""Calling at the window (叫号): a clerk calls the next ticket of the areas their window serves,
recalls it, skips it (过号) or calls a skipped one back, transfers it to another area, starts and
finishes serving it, and links the filings made for it.

Every action is the clerk's at a window of theirs (``require_window_clerk_at``), inside one
transaction, the ticket row locked; each state change is checked by the ticket's graph and written to
the audit log (``apply_transition``); each call or recall writes a ``TicketCall`` (what the hall's
display shows and announces).

Two clerks pressing "call next" at once never get the same ticket: the next waiting one is read
``FOR UPDATE SKIP LOCKED`` (PostgreSQL), so the second takes the one after it. The window's own row
is locked first, so that two presses at one window (a double click, the page and the API) call one
ticket, not two."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Window
from apps.accounts.roles import Role
from apps.accounts.selectors import window_at
from apps.audit.services import record_step
from apps.audit.transitions import apply_transition
from apps.cases.models import Filing
from apps.cases.window_rules import require_window_clerk_at
from apps.core.errors import Conflict
from apps.visits import calling_selectors as queue
from apps.visits.models import CallKind, ServiceArea, Ticket, TicketCall, TicketState


def _locked_window(window_id: int) -> Window:
    # Serialises the presses at one window (not across windows): the window's held ticket is then
    # read after any other press there has committed.
    window = Window.objects.select_for_update().filter(pk=window_id, is_active=True).order_by().first()
    if window is None:
        raise ValidationError({"window": _("No such window in service.")})
    return window


def _locked_ticket(ticket_id: int) -> Ticket:
    # Only the ticket's row is locked (``of``): its window and area are read in the same statement.
    queryset = Ticket.objects.select_for_update(of=("self",)).select_related("window", "area")
    return get_object_or_404(queryset, pk=ticket_id)


def _require_free(window: Window, day: dt.date) -> None:
    # The number only, unordered: one index read (``ticket_window_day``), asked at every call.
    held = queue.held_by_window(window.pk, day).order_by().values_list("number", flat=True)[:1]
    for number in held:
        raise Conflict(
            _("Window %(window)s still has ticket %(ticket)s: finish, skip or transfer it first.")
            % {"window": window.number, "ticket": number}
        )


def _served_area_ids(window: Window) -> list[int]:
    area_ids = list(
        ServiceArea.objects.filter(windows=window.pk, is_active=True, centre_id=window.centre_id)
        .order_by()
        .values_list("pk", flat=True)
    )
    if not area_ids:
        raise ValidationError(
            {"window": _("Window %(window)s serves no service area yet.") % {"window": window.number}}
        )
    return area_ids


def _not_served(window: Window) -> ValidationError:
    return ValidationError(
        {"area": _("Window %(window)s does not serve this service area.") % {"window": window.number}}
    )


def _write_call(ticket: Ticket, window: Window, kind: str, actor, now: dt.datetime) -> TicketCall:
    ticket.called_at = now
    ticket.call_count += 1
    return TicketCall.objects.create(
        centre_id=ticket.centre_id, ticket=ticket, window=window, kind=kind, at=now, by=actor
    )


def _at_its_window(ticket: Ticket, actor) -> Window:
    """The window holding ``ticket``, which must be one of the actor's (a clerk's at the centre)."""
    if ticket.window_id is None:
        raise Conflict(_("Ticket %(ticket)s is not at a window.") % {"ticket": ticket.number})
    require_window_clerk_at(ticket.centre_id, actor, ticket.window)
    return ticket.window


def _require_state(ticket: Ticket, *states) -> None:
    if ticket.state not in states:
        raise Conflict(
            _("Not possible now: ticket %(ticket)s is %(state)s.")
            % {"ticket": ticket.number, "state": ticket.get_state_display()}
        )


@transaction.atomic
def call_next(
    *, window_id: int, actor, area_id: int | None = None, client_ip=None, now: dt.datetime | None = None
) -> Ticket | None:
    """Call the next ticket to the window: of today's waiting tickets in the areas the window serves
    (or in ``area_id``, one of them), the highest priority, then the longest wait. None when nobody
    waits. Refused while the window still holds a called or served ticket, and for an area the window
    does not serve."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    window = _locked_window(window_id)
    require_window_clerk_at(window.centre_id, actor, window)
    area_ids = _served_area_ids(window)
    if area_id is not None:
        if int(area_id) not in area_ids:
            raise _not_served(window)
        area_ids = [int(area_id)]
    _require_free(window, day)
    ticket = queue.waiting_in(area_ids, day).select_for_update(skip_locked=True).first()
    if ticket is None:
        return None
    apply_transition(ticket, "call", actor=actor, client_ip=client_ip, window=window.number)
    ticket.window, ticket.served_by = window, actor
    ticket.first_called_at = ticket.first_called_at or now
    _write_call(ticket, window, CallKind.CALL, actor, now)
    ticket.save(update_fields=["state", "window", "served_by", "first_called_at", "called_at", "call_count"])
    return ticket


@transaction.atomic
def recall(*, ticket_id: int, actor, client_ip=None, now: dt.datetime | None = None) -> Ticket:
    """重呼: call the ticket the window has called once more (the display announces it again)."""
    now = now or timezone.now()
    ticket = _locked_ticket(ticket_id)
    window = _at_its_window(ticket, actor)
    _require_state(ticket, TicketState.CALLED)
    _write_call(ticket, window, CallKind.RECALL, actor, now)
    ticket.save(update_fields=["called_at", "call_count"])
    record_step(ticket, step="recall", actor=actor, client_ip=client_ip, window=window.number)
    return ticket


@transaction.atomic
def skip(*, ticket_id: int, actor, client_ip=None, now: dt.datetime | None = None) -> Ticket:
    """过号: the called person did not come; the window is free, and any window of the area may call
    the ticket back within HALL_SKIP_RECALL_MINUTES."""
    now = now or timezone.now()
    ticket = _locked_ticket(ticket_id)
    window = _at_its_window(ticket, actor)
    apply_transition(ticket, "skip", actor=actor, client_ip=client_ip, window=window.number)
    ticket.skipped_at = now
    ticket.save(update_fields=["state", "skipped_at"])
    return ticket


@transaction.atomic
def recall_skipped(
    *, ticket_id: int, actor, window_id: int | None = None, client_ip=None, now: dt.datetime | None = None
) -> Ticket:
    """Call a skipped ticket back to a window serving its area (the actor's ``window_id``, or their
    usual window at the ticket's centre): the person came back within HALL_SKIP_RECALL_MINUTES."""
    now = now or timezone.now()
    ticket = _locked_ticket(ticket_id)
    if window_id is None:
        window = window_at(actor, ticket.centre_id, Role.CLERK)
        if window is None:
            require_window_clerk_at(ticket.centre_id, actor, None)  # refuses in the right words
        window_id = window.pk
    window = _locked_window(window_id)
    require_window_clerk_at(ticket.centre_id, actor, window)
    if ticket.area_id not in _served_area_ids(window):
        raise _not_served(window)
    _require_state(ticket, TicketState.SKIPPED)
    if ticket.day != timezone.localdate(now) or (ticket.skipped_at or now) < now - queue.recall_limit():
        raise Conflict(
            _("Ticket %(ticket)s was skipped more than %(minutes)d minutes ago: it takes a new ticket.")
            % {"ticket": ticket.number, "minutes": int(queue.recall_limit().total_seconds() // 60)}
        )
    _require_free(window, ticket.day)
    apply_transition(ticket, "recall_skipped", actor=actor, client_ip=client_ip, window=window.number)
    ticket.window, ticket.served_by = window, actor
    _write_call(ticket, window, CallKind.RECALL, actor, now)
    ticket.save(update_fields=["state", "window", "served_by", "called_at", "call_count"])
    return ticket


@transaction.atomic
def transfer(
    *, ticket_id: int, area_id: int, actor, client_ip=None, now: dt.datetime | None = None
) -> Ticket:
    """Send the ticket to another area of its centre (the person was in the wrong queue, or needs a
    second area): it waits there anew, its number and priority kept. Its first call and start are
    cleared, so that the waiting and handling times are counted in the new area."""
    now = now or timezone.now()
    ticket = _locked_ticket(ticket_id)
    window = _at_its_window(ticket, actor)
    area = ServiceArea.objects.filter(pk=area_id, centre_id=ticket.centre_id, is_active=True).first()
    if area is None:
        raise ValidationError({"area": _("Choose a service area of this service centre.")})
    if area.pk == ticket.area_id:
        raise ValidationError({"area": _("The ticket is in this service area already.")})
    old_area = ticket.area
    apply_transition(
        ticket,
        "transfer",
        actor=actor,
        client_ip=client_ip,
        window=window.number,
        from_area=old_area.prefix,
        to_area=area.prefix,
    )
    ticket.transferred_from, ticket.area = old_area, area
    ticket.waiting_since = now
    ticket.window = ticket.served_by = ticket.called_at = ticket.first_called_at = ticket.started_at = None
    ticket.save(
        update_fields=[
            "state",
            "area",
            "transferred_from",
            "waiting_since",
            "window",
            "served_by",
            "called_at",
            "first_called_at",
            "started_at",
        ]
    )
    return ticket


def _start(ticket: Ticket, window: Window, actor, client_ip, now: dt.datetime) -> None:
    apply_transition(ticket, "start", actor=actor, client_ip=client_ip, window=window.number)
    ticket.started_at, ticket.served_by = now, actor


@transaction.atomic
def start(*, ticket_id: int, actor, client_ip=None, now: dt.datetime | None = None) -> Ticket:
    """The called person is at the window: serving starts (the handling time runs from here)."""
    now = now or timezone.now()
    ticket = _locked_ticket(ticket_id)
    window = _at_its_window(ticket, actor)
    _start(ticket, window, actor, client_ip, now)
    ticket.save(update_fields=["state", "started_at", "served_by"])
    return ticket


@transaction.atomic
def finish(*, ticket_id: int, actor, client_ip=None, now: dt.datetime | None = None) -> Ticket:
    """办结 at the window: the visit is over (and offered on the window's pad for rating, with the
    filing decided for it); the window may call the next."""
    now = now or timezone.now()
    ticket = _locked_ticket(ticket_id)
    window = _at_its_window(ticket, actor)
    apply_transition(ticket, "finish", actor=actor, client_ip=client_ip, window=window.number)
    ticket.finished_at = now
    ticket.save(update_fields=["state", "finished_at"])
    return ticket


@transaction.atomic
def link_filing(
    *, ticket_id: int, filing_id: int, actor, client_ip=None, now: dt.datetime | None = None
) -> Ticket:
    """Record that ``filing_id`` was made for this visit: a filing of the ticket's centre, linked by a
    clerk of the ticket's window while it is called or served, or after it finished the same day. A
    called ticket starts being served (the clerk is working on it)."""
    now = now or timezone.now()
    ticket = _locked_ticket(ticket_id)
    window = _at_its_window(ticket, actor)
    _require_state(ticket, TicketState.CALLED, TicketState.SERVING, TicketState.DONE)
    if ticket.state == TicketState.DONE and ticket.day != timezone.localdate(now):
        raise Conflict(_("Ticket %(ticket)s was finished on another day.") % {"ticket": ticket.number})
    filing = Filing.objects.filter(pk=filing_id).only("pk", "centre_id", "number").first()
    if filing is None or filing.centre_id != ticket.centre_id:
        raise ValidationError({"filing": _("Choose a filing of this service centre.")})
    if ticket.state == TicketState.CALLED:
        _start(ticket, window, actor, client_ip, now)
        ticket.save(update_fields=["state", "started_at", "served_by"])
    if not ticket.filings.filter(pk=filing.pk).exists():
        ticket.filings.add(filing)
        record_step(
            ticket,
            step="link_filing",
            actor=actor,
            client_ip=client_ip,
            window=window.number,
            filing=filing.number,
        )
    return ticket


def require_clerk_of(window: Window | None, actor, centre_id: int) -> None:
    """For pages and endpoints that show a window's panel: the actor works at that window."""
    if window is None:
        raise PermissionDenied(_("You have no window: ask an administrator to assign your usual window."))
    require_window_clerk_at(centre_id, actor, window)
