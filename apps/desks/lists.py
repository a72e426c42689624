"""The list pages of the desks: what each shows, searched, sorted, paginated and counted.

Every desk finds its work the same way (``apps.cases.finding``): by filing number, applicant name,
identity number typed in full, or item, sorted by due date, received date or warning level. Each list
starts from the desk's own scoping selector, so a search narrows what the user already sees and never
widens it. A page costs the same number of queries whatever it holds: the rows of one page, their
related rows in a fixed number of prefetches, and the counts of every tab in one conditional
aggregate each.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cases import finding
from apps.cases import selectors as filings
from apps.cases.codes import CaseState, Channel, FilingState
from apps.cases.escalations import escalations_visible_to
from apps.cases.finding import Search
from apps.cases.green_channel import green_first
from apps.cases.models import OPEN_CASE, Filing, FilingItem
from apps.cases.review import selectors as review
from apps.catalogue.models import ApprovalCategory
from apps.certificates import selectors as certificates
from apps.certificates.models import IssueRequest, RequestState
from apps.desks.forms.backoffice import QueueFiltersForm
from apps.worktime.warnings import WarningLevel

PAGE_SIZE = 25


def _page(rows, request):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _finder(request, search: Search, tab_key: str) -> dict:
    """The search form's values, and the list's address without its page (for the pager) and
    without its tab too (for the tabs): a search and its sort stay as the clerk moves around."""
    page_query = request.GET.copy()
    page_query.pop("page", None)
    tab_query = page_query.copy()
    tab_query.pop(tab_key, None)
    return {
        "search": search,
        "sorts": list(finding.SORTS.items()),
        "page_query": page_query.urlencode(),
        "tab_query": tab_query.urlencode(),
        # Clearing the search stays on the tab.
        "clear_query": f"{tab_key}={request.GET[tab_key]}" if request.GET.get(tab_key) else "",
    }


def _searched(queryset, search: Search, paths: finding.Paths):
    """Only the rows matching the typed text: what the tabs count (their own order is irrelevant)."""
    return queryset.filter(finding.matching(search.q, paths)) if search.q else queryset


def _with_items(queryset):
    """Filings with their filed items (one prefetch for the page)."""
    return queryset.prefetch_related(
        Prefetch("items", FilingItem.objects.select_related("item").only("filing_id", "item__name", "order"))
    )


# --- the intake desk (综合受理台) -------------------------------------------------------------------

INTAKE_LISTS = {
    "mine": _("Online filings I am pre-reviewing"),
    "awaiting": _("Online filings awaiting pre-review"),
    "today": _("Today's filings at this window"),
    "found": _("Filings found at your centre"),
}
INTAKE_EMPTY = {
    "mine": _("None."),
    "awaiting": _("No online filing is waiting."),
    "today": _("No filings yet today."),
}
NOTHING_FOUND = _("No filing of your centre matches.")
# The intake desk's lists are short working lists (their counts say when there are more); a search
# finds the rest.
LIST_LIMIT = 50


def intake(request) -> dict:
    """The clerk's lists (theirs in pre-review, the centre's awaiting pre-review, today's at their
    window), each narrowed by the search and counted; and, when something is typed, every filing of
    the clerk's centres that matches, paginated."""
    user = request.user
    window = filings.desk_window(user)
    search = Search.of(request.GET)
    context = {"window": window, **_finder(request, search, "tab")}
    if window is None:
        return context
    today = timezone.localdate()
    base = filings.filings_at_windows(user)
    conditions = {
        "mine": Q(pre_reviewer=user, state=FilingState.PRE_REVIEW),
        "awaiting": Q(centre_id=window.centre_id, state=FilingState.SUBMITTED),
        "today": Q(window=window, created_at__date=today),
    }
    counted = _searched(base, search, finding.FILINGS)
    if not search.q:  # without a search, only the three lists are counted (not the centre's history)
        counted = counted.filter(conditions["mine"] | conditions["awaiting"] | conditions["today"])
    counts = counted.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()},
        found=Count("pk"),
    )

    def listed(condition, default_order, limit):
        listed = base.filter(condition).only(*filings.LIST_FIELDS).order_by(*default_order)
        return list(_with_items(green_first(finding.find(listed, search, finding.FILINGS)))[:limit])

    rows = {
        "mine": listed(conditions["mine"], ("submitted_at", "pk"), LIST_LIMIT),
        "awaiting": listed(conditions["awaiting"], ("submitted_at", "pk"), LIST_LIMIT),
        "today": listed(conditions["today"], ("-created_at", "-pk"), LIST_LIMIT),
    }
    sections = [(key, INTAKE_LISTS[key], counts[key], rows[key], INTAKE_EMPTY[key]) for key in rows]
    if search.q:  # every filing of the clerk's centres that matches, first and paginated
        found = finding.find(
            base.only(*filings.LIST_FIELDS).order_by("-created_at", "-pk"), search, finding.FILINGS
        )
        context["found"] = page = _page(_with_items(found), request)
        sections.insert(0, ("found", INTAKE_LISTS["found"], counts["found"], page.object_list, NOTHING_FOUND))
    context["sections"] = sections
    return context


# --- the approval desk (后台审批台) -----------------------------------------------------------------

QUEUE_LABELS = {
    review.Queue.UNCLAIMED: _("Unclaimed"),
    review.Queue.MINE: _("Claimed by me"),
    review.Queue.SIGN_OFF: _("Awaiting sign-off"),
    review.Queue.SUSPENDED: _("Suspended"),
    review.Queue.DECIDED: _("Decided recently"),
}


def queue_counts(user, search: Search) -> dict[str, int]:
    """Every queue's count, the search applied, in one query: the open cases and the recently
    decided ones of the user's departments (the ``case_queue`` and ``case_decided`` ranges), each
    queue a filter of one conditional aggregate."""
    since = timezone.now() - dt.timedelta(days=review.RECENT_DAYS)
    mine_states = [
        CaseState.IN_REVIEW,
        CaseState.SUSPENDED,
        CaseState.AWAITING_DECISION,
    ]
    recent = Q(state__in=review.DECIDED, decided_at__gte=since)
    cases = _searched(review.cases_visible_to(user), search, finding.CASES).filter(
        Q(state__in=OPEN_CASE) | recent
    )
    return cases.aggregate(
        **{
            review.Queue.UNCLAIMED: Count("pk", filter=Q(state=CaseState.QUEUED)),
            review.Queue.MINE: Count("pk", filter=Q(claimed_by=user, state__in=mine_states)),
            review.Queue.SIGN_OFF: Count("pk", filter=Q(state=CaseState.AWAITING_DECISION)),
            review.Queue.SUSPENDED: Count("pk", filter=Q(state=CaseState.SUSPENDED)),
            review.Queue.DECIDED: Count("pk", filter=recent),
        }
    )


def backoffice(request) -> dict:
    """The queues: one shown (``?queue=``), filtered, searched, sorted and paginated, with every
    queue's count."""
    get = request.GET
    name, filters = QueueFiltersForm(get).queue_and_filters()
    search = Search.of(get)
    # The green channel first whatever the sort chosen (绿色通道: every desk puts it first).
    ids = green_first(finding.find(review.queue(request.user, name, filters), search, finding.CASES))
    page = _page(ids, request)
    page.object_list = review.rows_of(page.object_list)
    departments = review.departments_of(request.user)
    counts = queue_counts(request.user, search)
    return {
        "queue": name,
        "tabs": [(key, QUEUE_LABELS[key], counts[key]) for key in review.Queue.ALL],
        "page": page,
        "filters": filters,
        **_finder(request, search, "queue"),
        # The categories of the departments' items (the catalogue is small; the cases are not).
        "categories": ApprovalCategory.objects.filter(items__department_id__in=departments)
        .distinct()
        .order_by("name"),
        "warning_levels": WarningLevel.choices,
        "channels": Channel.choices,
    }


# --- the certificate desk (统一窗口出证) ------------------------------------------------------------

ISSUING_TABS = {
    "ready": _("Ready for issue"),
    "requests": _("Awaiting the seal keeper"),
    "delivery": _("Awaiting delivery"),
}
TAB_STATES = {"ready": FilingState.READY_FOR_ISSUE, "delivery": FilingState.ISSUED}


def awaiting_confirmation(user) -> int:
    """The issue requests a seal keeper may confirm: pending at the centres where they keep seals,
    and not asked by themselves (two people: the requester never confirms). 0 for anyone else,
    without a query."""
    if not user.has_perm(certificates.KEEP_SEALS):
        return 0
    cached = getattr(user, "_awaiting_confirmation", None)  # the navigation and the desk ask once
    if cached is None:
        cached = user._awaiting_confirmation = (
            IssueRequest.objects.filter(
                state=RequestState.PENDING, filing__centre_id__in=certificates.keeper_centres(user)
            )
            .exclude(requested_by=user)
            .count()
        )
    return cached


def issuing(request) -> dict:
    """The desk's three lists, each searched and counted. A seal keeper with requests awaiting their
    confirmation opens on that tab."""
    user = request.user
    search = Search.of(request.GET)
    tab = request.GET.get("tab")
    if tab not in ISSUING_TABS:
        tab = "requests" if awaiting_confirmation(user) else "ready"
    filings_here = Q(centre_id__in=certificates.desk_centres(user), state__in=TAB_STATES.values())
    counted = _searched(Filing.objects.filter(filings_here), search, finding.FILINGS)
    counts = counted.aggregate(
        **{key: Count("pk", filter=Q(state=state)) for key, state in TAB_STATES.items()}
    )
    counts["requests"] = _searched(certificates.pending_requests(user), search, finding.REQUESTS).count()
    if tab == "requests":
        rows = green_first(
            finding.find(certificates.pending_requests(user), search, finding.REQUESTS), "filing__"
        )
    else:
        rows = certificates.with_items(
            green_first(
                finding.find(certificates.filings_at_desk(user, TAB_STATES[tab]), search, finding.FILINGS)
            )
        )
    return {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in ISSUING_TABS.items()],
        "page": _page(rows, request),
        **_finder(request, search, "tab"),
    }


# --- the supervision desk (督办台) -----------------------------------------------------------------

SUPERVISION_TABS = {
    "open": _("Open escalations"),
    "resolved": _("Resolved escalations"),
}


def supervision(request, offered) -> dict:
    """The escalations the user supervises (of cases, and of other subjects such as rectification
    tickets), open or resolved, searched, sorted and paginated; each row with the forms
    ``offered(escalation, user)`` names (its available transitions)."""
    user = request.user
    search = Search.of(request.GET)
    tab = request.GET.get("tab") if request.GET.get("tab") in SUPERVISION_TABS else "open"
    visible = escalations_visible_to(user)
    counts = _searched(visible, search, finding.ESCALATIONS).aggregate(
        open=Count("pk", filter=Q(resolved_at__isnull=True)),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
    )
    listed = (
        visible.filter(resolved_at__isnull=(tab == "open"))
        .select_related(
            "case__filing",
            "case__item",
            "department",
            "subject_type",
            "acknowledged_by",
            "resolved_by",
            "opened_by",  # who raised an early escalation, beside its note
        )
        # An escalation of another subject (a rectification ticket): one query per kind of subject;
        # the row links it by its get_absolute_url and shows its due_on.
        .prefetch_related("subject")
        # Raised to the centre first, then the oldest.
        .order_by(F("raised_at").desc(nulls_last=True), "opened_at", "pk")
    )
    page = _page(finding.find(listed, search, finding.ESCALATIONS), request)
    for escalation in page.object_list:
        escalation.actions = offered(escalation, user)
    return {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in SUPERVISION_TABS.items()],
        "page": page,
        "escalations": page.object_list,
        **_finder(request, search, "tab"),
    }
