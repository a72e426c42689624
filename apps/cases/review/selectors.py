"""Back-office reads: who sees which case, the queues, and the review workspace.

An approver or decision-maker sees the cases of the departments they are members of, and no others
(a 404 elsewhere). Queues are sorted by urgency — the clock's due date, so overdue and red cases come
first — and read a constant number of queries per page whatever the page holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from apps.accounts.models import StaffMembership
from apps.accounts.roles import BACK_OFFICE_ROLES
from apps.cases.codes import CaseState
from apps.cases.models import Case, ChecklistEntry, CorrectionRequest

DECIDED = (CaseState.APPROVED, CaseState.DENIED)
RECENT_DAYS = 30


def departments_of(user) -> list[int]:
    """The departments a user works in as an approver or decision-maker (one small query).

    Read first and passed as values rather than as a subquery: the planner then knows which
    departments it is looking at, and how many of a million cases that means."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_back_office_departments", None)  # once per request (the user object's life)
    if cached is None:
        cached = user._back_office_departments = list(
            StaffMembership.objects.filter(user=user, role__in=BACK_OFFICE_ROLES, department__isnull=False)
            .values_list("department_id", flat=True)
            .distinct()
        )
    return cached


def cases_visible_to(user) -> QuerySet[Case]:
    """The cases of the departments the user works in as an approver or decision-maker."""
    departments = departments_of(user)
    return Case.objects.filter(department_id__in=departments) if departments else Case.objects.none()


class Queue:
    UNCLAIMED = "unclaimed"
    MINE = "mine"
    SIGN_OFF = "sign_off"
    SUSPENDED = "suspended"
    DECIDED = "decided"
    ALL = (UNCLAIMED, MINE, SIGN_OFF, SUSPENDED, DECIDED)


@dataclass(frozen=True)
class QueueFilters:
    item: int | None = None  # an item lineage: every version of the item
    category: int | None = None
    warning: str | None = None
    channel: str | None = None
    accepted_from: dt.date | None = None
    accepted_to: dt.date | None = None


ROW_FIELDS = (
    "state",
    "due_on",
    "warning",
    "created_at",
    "decided_at",
    "claimed_by_id",
    "filing__number",
    "filing__channel",
    "filing__applicant_name",
    "filing__applicant_id_number",
    "filing__applicant_kind",
    "filing__green_channel",
    "item__name",
    "approval_category__name",
    "clock__due_on",
    "clock__yellow_on",
    "clock__red_on",
    "clock__suspended_since",
    "clock__provisional",
)


def queue(user, name: str, filters: QueueFilters = QueueFilters()) -> QuerySet[Case]:
    """One of the user's queues, filtered, the green channel's (绿色通道) first and then the most urgent,
    as case ids: a range of the ``case_queue`` index (department, state, green channel, due date), so a
    page and its count cost the same for ten cases or fifty thousand. Page the ids, then read the
    page's rows with ``rows_of``: joining the filings, items and clocks only for the rows shown keeps
    the planner from joining a department's whole backlog (or scanning a million filings) to find
    twenty."""
    cases = cases_visible_to(user)
    if name == Queue.UNCLAIMED:
        cases = cases.filter(state=CaseState.QUEUED)
    elif name == Queue.MINE:
        cases = cases.filter(
            claimed_by=user, state__in=[CaseState.IN_REVIEW, CaseState.SUSPENDED, CaseState.AWAITING_DECISION]
        )
    elif name == Queue.SIGN_OFF:
        cases = cases.filter(state=CaseState.AWAITING_DECISION)
    elif name == Queue.SUSPENDED:
        cases = cases.filter(state=CaseState.SUSPENDED)
    elif name == Queue.DECIDED:
        since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
        cases = cases.filter(state__in=DECIDED, decided_at__gte=since)
    else:
        raise ValueError(f"unknown queue {name!r}")
    if filters.item:
        cases = cases.filter(item__lineage_id=filters.item)
    if filters.category:
        cases = cases.filter(approval_category_id=filters.category)
    if filters.warning:
        cases = cases.filter(warning=filters.warning)  # as the warning sweep last set it
    if filters.channel:
        cases = cases.filter(filing__channel=filters.channel)
    if filters.accepted_from:
        cases = cases.filter(clock__started_on__gte=filters.accepted_from)
    if filters.accepted_to:
        cases = cases.filter(clock__started_on__lte=filters.accepted_to)
    # The green channel (绿色通道) first, then the most urgent (or the latest decided).
    order = ["-decided_at", "-pk"] if name == Queue.DECIDED else ["-green_channel", "due_on", "pk"]
    return cases.order_by(*order).values_list("pk", flat=True)


def rows_of(ids) -> list[Case]:
    """The queue rows of these case ids, in the order given (one query)."""
    ids = list(ids)
    rows = Case.objects.filter(pk__in=ids).select_related("filing", "item", "approval_category", "clock")
    by_id = {case.pk: case for case in rows.only(*ROW_FIELDS)}
    return [by_id[pk] for pk in ids if pk in by_id]


def case_detail(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Everything the review workspace shows, in a fixed number of queries."""
    return queryset.select_related(
        "filing__centre",
        "filing__window",
        "filing__bundle",
        "item",
        "department",
        "approval_category",
        "clock",
        "claimed_by",
        "decided_by",
        "signed_off_by",
    ).prefetch_related(
        "filing__items__item",
        Prefetch(
            "filing__checklist",
            ChecklistEntry.objects.select_related("material", "replaceable_by").prefetch_related("uploads"),
        ),
        Prefetch(
            "filing__cases",
            Case.objects.select_related("department").only(
                "filing_id", "state", "department__name", "item_id"
            ),
        ),
        "opinions__author",
        Prefetch(
            "corrections", CorrectionRequest.objects.prefetch_related("files").select_related("requested_by")
        ),
        "clock__suspensions",
        "clock__extensions__approved_by",
        "escalations__acknowledged_by",
    )
