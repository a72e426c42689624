"""Finding work: the one search and the one set of sort keys of every desk's lists and of the API.

A search matches a filing by its number (from its start, so a full number is an exact match), its
applicant's name (anywhere in it), the applicant's identity number typed in full (exactly: lists show
it masked, and a part of it finds nothing, so that no one learns a hidden digit by trying), or the
name of an item filed. It narrows a queryset the caller has already scoped to what the user may see
(``filings_visible_to``, the back office's departments, the certificate desk's centres, the
supervisor's escalations): it never widens it.

The lists are of several models (filings, cases, issue requests, escalations); ``Paths`` says where
the filing and its case are from each, so one query shape serves them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case as CaseExpression
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from apps.cases.models import Case, FilingItem
from apps.worktime.warnings import WarningLevel

MAX_QUERY = 100
# A resident identity number or a unified social credit code, typed in full (18 characters).
FULL_IDENTITY = re.compile(r"[0-9A-Z]{18}")

DUE, RECEIVED, WARNING = "due", "received", "warning"
# The sort keys a list offers (anything else keeps the list's own order): the whitelist.
SORTS = {
    DUE: _("Due date, soonest first"),
    RECEIVED: _("Received, newest first"),
    WARNING: _("Warning level, most urgent first"),
}
# 逾期 before 红牌 before 黄牌 before on time.
SEVERITY = {
    WarningLevel.OVERDUE: 3,
    WarningLevel.RED: 2,
    WarningLevel.YELLOW: 1,
    WarningLevel.NORMAL: 0,
}


@dataclass(frozen=True)
class Search:
    q: str = ""
    sort: str = ""

    @classmethod
    def of(cls, params) -> Search:
        """From a request's query parameters: ``q`` trimmed and bounded, ``sort`` (or the API's
        ``ordering``) only from the whitelist."""
        q = " ".join((params.get("q") or "").split())[:MAX_QUERY]
        sort = params.get("sort") or params.get("ordering") or ""
        return cls(q=q, sort=sort if sort in SORTS else "")

    @property
    def params(self) -> dict[str, str]:
        return {name: value for name, value in (("q", self.q), ("sort", self.sort)) if value}


@dataclass(frozen=True)
class Paths:
    """Where the filing is from a listed row, and its case (None when a row has several: a filing,
    an issue request)."""

    filing: str
    case: str | None


FILINGS = Paths(filing="", case=None)
CASES = Paths(filing="filing__", case="")
REQUESTS = Paths(filing="filing__", case=None)
ESCALATIONS = Paths(filing="case__filing__", case="case__")


def matching(q: str, paths: Paths) -> Q:
    """The rows whose filing matches ``q`` (see the module's docstring)."""
    f = paths.filing
    typed = q.strip()
    upper = typed.upper()
    found = Q(**{f"{f}number__startswith": upper}) | Q(**{f"{f}applicant_name__icontains": typed})
    if FULL_IDENTITY.fullmatch(upper):
        found |= Q(**{f"{f}applicant_id_number": upper})
    if paths.case is not None:
        found |= Q(**{f"{paths.case}item__name__icontains": typed})
    else:
        filing_pk = f"{f}pk" if f else "pk"
        found |= Q(Exists(FilingItem.objects.filter(filing=OuterRef(filing_pk), item__name__icontains=typed)))
    return found


def severity(field: str):
    """A warning level as a number to sort by, most urgent highest."""
    return CaseExpression(
        *(When(**{field: level}, then=Value(rank)) for level, rank in SEVERITY.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _sort_terms(paths: Paths) -> dict:
    """Each sort key's expression for rows of this shape. A row with several cases (a filing, an
    issue request) sorts by its soonest due date and its most urgent case."""
    f = paths.filing
    received = Coalesce(f"{f}submitted_at", f"{f}created_at")
    if paths.case is not None:
        return {
            DUE: F(f"{paths.case}due_on"),
            RECEIVED: received,
            WARNING: severity(f"{paths.case}warning"),
        }
    filing_pk = f"{f}pk" if f else "pk"
    cases = Case.objects.filter(filing=OuterRef(filing_pk)).order_by()
    return {
        DUE: Subquery(cases.order_by("due_on").values("due_on")[:1]),
        RECEIVED: received,
        WARNING: Subquery(
            cases.annotate(rank=severity("warning")).order_by("-rank").values("rank")[:1],
            output_field=IntegerField(),
        ),
    }


def ordering(paths: Paths, sort: str) -> tuple[dict, list]:
    """The aliases and the ``order_by`` of a sort key (the pk last, so that pages never overlap)."""
    terms = _sort_terms(paths)
    due = F("found_due").asc(nulls_last=True)
    if sort == DUE:
        return {"found_due": terms[DUE]}, [due, "pk"]
    if sort == RECEIVED:
        return {"found_received": terms[RECEIVED]}, [F("found_received").desc(nulls_last=True), "-pk"]
    if sort == WARNING:
        aliases = {"found_warning": terms[WARNING], "found_due": terms[DUE]}
        return aliases, [F("found_warning").desc(nulls_last=True), due, "pk"]
    raise ValueError(f"unknown sort {sort!r}")


def narrowed(queryset: QuerySet, q: str, paths: Paths) -> QuerySet:
    """``queryset`` narrowed to the rows matching ``q`` (all of it when nothing is typed)."""
    return queryset.filter(matching(q, paths)) if q else queryset


def sorted_by(queryset: QuerySet, sort: str, paths: Paths) -> QuerySet:
    """``queryset`` in the order of a sort key (its own order without one). The sort expressions are
    aliases, never selected, so a ``values_list`` of ids (the back office's queues) stays one."""
    if not sort:
        return queryset
    aliases, order = ordering(paths, sort)
    return queryset.alias(**aliases).order_by(*order)


def find(queryset: QuerySet, search: Search, paths: Paths) -> QuerySet:
    """``queryset`` narrowed to the rows matching the search, in its sort order."""
    return sorted_by(narrowed(queryset, search.q, paths), search.sort, paths)
