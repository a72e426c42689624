"""Reads of rectification tickets (整改工单): who sees which, the lists and the desk's summary.

A department's approvers and decision-makers see their department's tickets (they rectify them); a
department's supervisors see the department's, a centre's supervisors (no department) every ticket of
the centre (they verify and decide appeals). Anyone else sees none: a ticket not theirs is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import StaffMembership
from apps.accounts.roles import BACK_OFFICE_ROLES, Role
from apps.accounts.selectors import departments_where, supervised_centres
from apps.feedback.models import RectificationTicket, TicketState
from apps.worktime import calendar

PAGE_SIZE = 25
# A ticket due within this many working days is near its due date: the approval desk says so.
NEAR_DUE_WORKING_DAYS = 3


class Tab:
    OPEN = "open"
    SUBMITTED = "submitted"
    APPEALED = "appealed"
    CLOSED = "closed"


# Each tab of the lists and the states it shows (a voided ticket is done with, like a closed one).
TAB_STATES = {
    Tab.OPEN: (TicketState.OPEN,),
    Tab.SUBMITTED: (TicketState.SUBMITTED,),
    Tab.APPEALED: (TicketState.APPEALED,),
    Tab.CLOSED: (TicketState.CLOSED, TicketState.VOIDED),
}
LIVE_STATES = (TicketState.OPEN, TicketState.SUBMITTED, TicketState.APPEALED)

TAB_LABELS = {
    Tab.OPEN: _("Being rectified"),
    Tab.SUBMITTED: _("Awaiting verification"),
    Tab.APPEALED: _("Appealed"),
    Tab.CLOSED: _("Closed"),
}

# How the steps of a ticket read in its history (the log stores the transition's name).
TICKET_STEPS = {
    "opened": _("Opened by a bad rating"),
    "follow_up": _("Follow-up recorded"),
    "rectify": _("Cause and measures recorded"),
    "submit": _("Submitted for verification"),
    "close": _("Verified and closed"),
    "send_back": _("Sent back for more rectification"),
    "appeal": _("Appealed"),
    "uphold_appeal": _("Appeal upheld: rating set aside"),
    "dismiss_appeal": _("Appeal dismissed"),
    # The ticket's escalation (督办) acknowledged or resolved by a supervisor, in its history (a case's
    # words: apps.cases.codes.CASE_STEPS).
    "escalation_acknowledged": _("Escalation acknowledged"),
    "escalation_resolved": _("Escalation resolved"),
}


def _with_rows(tickets: QuerySet) -> QuerySet:
    """What a list row and the ticket page print, read with the tickets (constant queries)."""
    return tickets.select_related(
        "rating__filing", "rating__item", "rating__staff", "department", "window", "centre"
    )


def tickets_for_handler(user) -> QuerySet[RectificationTicket]:
    """The tickets of the departments where ``user`` is an approver or decision-maker."""
    if not getattr(user, "is_authenticated", False):
        return RectificationTicket.objects.none()
    departments = StaffMembership.objects.filter(
        user=user, role__in=list(BACK_OFFICE_ROLES), department__isnull=False
    ).values("department_id")
    return RectificationTicket.objects.filter(department_id__in=departments)


def tickets_for_supervisor(user) -> QuerySet[RectificationTicket]:
    """A department supervisor: the department's tickets; a centre's supervisor: the centre's."""
    if not getattr(user, "is_authenticated", False):
        return RectificationTicket.objects.none()
    departments = departments_where(user, [Role.SUPERVISOR])
    return RectificationTicket.objects.filter(
        Q(department_id__in=departments) | Q(centre_id__in=supervised_centres(user))
    )


def tickets_visible_to(user) -> QuerySet[RectificationTicket]:
    """Every ticket ``user`` handles or supervises (the ticket page and the API's detail)."""
    if not getattr(user, "is_authenticated", False):
        return RectificationTicket.objects.none()
    return _with_rows(
        RectificationTicket.objects.filter(
            Q(pk__in=tickets_for_handler(user).values("pk"))
            | Q(pk__in=tickets_for_supervisor(user).values("pk"))
        )
    )


@dataclass(frozen=True)
class Filters:
    tab: str = Tab.OPEN
    overdue: bool = False
    window: int | None = None
    department: int | None = None

    @classmethod
    def from_query(cls, query) -> Filters:
        tab = query.get("tab") or Tab.OPEN
        return cls(
            tab=tab if tab in TAB_STATES else Tab.OPEN,
            overdue=query.get("overdue") in ("1", "true", "on"),
            window=_int(query.get("window")),
            department=_int(query.get("department")),
        )


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def filtered(tickets: QuerySet, filters: Filters, *, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    tickets = tickets.filter(state__in=TAB_STATES[filters.tab])
    if filters.overdue:
        tickets = tickets.filter(state__in=LIVE_STATES, due_on__lt=today)
    if filters.window:
        tickets = tickets.filter(window_id=filters.window)
    if filters.department:
        tickets = tickets.filter(department_id=filters.department)
    return tickets


def tab_counts(tickets: QuerySet) -> dict[str, int]:
    """How many of ``tickets`` each tab holds (one query)."""
    counts = tickets.aggregate(
        **{tab: Count("pk", filter=Q(state__in=states)) for tab, states in TAB_STATES.items()}
    )
    return {tab: counts[tab] or 0 for tab in TAB_STATES}


def page_of(tickets: QuerySet, filters: Filters, number, *, today: dt.date | None = None):
    """One page of the filtered list, due first (closed ones: latest first)."""
    rows = _with_rows(filtered(tickets, filters, today=today))
    rows = rows.order_by("-updated_at", "-pk") if filters.tab == Tab.CLOSED else rows.order_by("due_on", "pk")
    return Paginator(rows, PAGE_SIZE).get_page(number)


@dataclass(frozen=True)
class Summary:
    """The approval desk's line: the department's tickets being rectified, and how many of them are
    near their due date or past it; the most urgent listed."""

    open: int
    near_due: int
    overdue: int
    urgent: list


def handler_summary(user, *, today: dt.date | None = None, urgent: int = 5) -> Summary:
    """Two queries: the counts, and the few most urgent open tickets (near or past due)."""
    today = today or timezone.localdate()
    near = calendar.add_working_days(today, NEAR_DUE_WORKING_DAYS)
    tickets = tickets_for_handler(user).filter(state=TicketState.OPEN)
    counts = tickets.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        near_due=Count("pk", filter=Q(due_on__gte=today, due_on__lte=near)),
    )
    rows = []
    if counts["overdue"] or counts["near_due"]:
        rows = list(_with_rows(tickets.filter(due_on__lte=near)).order_by("due_on", "pk")[:urgent])
    return Summary(counts["open"], counts["near_due"], counts["overdue"], rows)


def history_of(ticket) -> QuerySet:
    """The ticket's steps, oldest first, from the transition log."""
    from django.contrib.contenttypes.models import ContentType

    from apps.audit.models import TransitionLog

    return (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(RectificationTicket), object_id=str(ticket.pk)
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
