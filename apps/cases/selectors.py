"""Who sees which filing: the one rule the desks, the API and file downloads all use."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import StaffMembership, Window
from apps.accounts.roles import BACK_OFFICE_ROLES, Role
from apps.accounts.selectors import (
    centres_where,
    departments_where,
    verified_authorisations_of,
    window_at,
)
from apps.cases.codes import DRAFTED_AWAY, ApplicantKind, FilingState
from apps.cases.models import Case, ChecklistEntry, Filing

LIST_FIELDS = (
    "number",
    "state",
    "applicant_name",
    "applicant_id_number",
    "created_at",
    "submitted_at",
    "green_channel",  # the 绿色通道 badge, and the green channel first in every list
)


def filings_visible_to(user) -> QuerySet[Filing]:
    """The filings whose details (applicant, identity number, materials, files) the user's work needs:
    their own filings and their organisations' (a citizen account, ``filings_of_citizen``), the
    filings of the centres where they are a window clerk, and the filings with a case in a department
    where they approve or decide. Issuers, seal keepers, supervisors and catalogue admins read filings
    only through their own desks' selectors, which show what those desks need (masked), never the
    uploaded files."""
    if not getattr(user, "is_authenticated", False):
        return Filing.objects.none()
    in_department = Exists(
        Case.objects.filter(
            filing=OuterRef("pk"), department_id__in=departments_where(user, BACK_OFFICE_ROLES)
        )
    )
    # One statement (the codes as a subquery): the desks' and the API's reads keep their counts.
    codes = verified_authorisations_of(user, timezone.localdate()).values("credit_code")
    return Filing.objects.filter(_of_citizen(user, codes) | _at_windows(user) | in_department)


def _of_citizen(user, codes) -> Q:
    """The account's own filings, and the filings of the organisations with these credit codes (those
    it may act for under an authorisation verified at a window) — except another account's draft,
    which stays its author's until submitted."""
    organisation = Q(applicant_kind=ApplicantKind.ORGANISATION, applicant_id_number__in=codes) & ~Q(
        state=FilingState.DRAFT
    )
    return Q(citizen=user) | organisation


def filings_of_citizen(user, on: dt.date | None = None) -> QuerySet[Filing]:
    """A citizen's filings in the online hall: their own, and those of the organisations they may act
    for on ``on`` (today by default; legal representative or agent, as ``authorisations_of`` says: an
    expired or revoked authorisation shows nothing more) under an authorisation a window clerk has
    verified (``verified_authorisations_of``). Anyone may declare any organisation's code: a
    self-declared authorisation lets the account file for it, but shows it only its own filings.

    The organisations' codes are read first (one small query): a list of values lets the database
    answer from the citizen and applicant indexes, where a subquery under the OR would scan every
    filing (seconds among a million)."""
    if not getattr(user, "is_authenticated", False):
        return Filing.objects.none()
    codes = list(
        verified_authorisations_of(user, on or timezone.localdate()).values_list("credit_code", flat=True)
    )
    return Filing.objects.filter(_of_citizen(user, codes) if codes else Q(citizen=user))


def _at_windows(user) -> Q:
    # A citizen's online draft stays theirs until they submit it, an assistant's draft the assistant's.
    return Q(centre_id__in=centres_where(user, Role.CLERK)) & ~Q(
        channel__in=DRAFTED_AWAY, state=FilingState.DRAFT
    )


def filings_at_windows(user) -> QuerySet[Filing]:
    """The filings a window clerk works on: those of the centres where they are a clerk (not the
    citizens' unsubmitted online drafts)."""
    return Filing.objects.filter(_at_windows(user))


def filing_detail(queryset: QuerySet[Filing]) -> QuerySet[Filing]:
    return queryset.select_related(
        "centre", "window", "bundle", "pre_reviewer", "resubmission_of"
    ).prefetch_related(
        "items__item__department",
        Prefetch(
            "checklist",
            ChecklistEntry.objects.select_related(
                "material", "replaceable_by", "produced_by"
            ).prefetch_related("uploads"),
        ),
        "cases__clock",
        "cases__department",
        "cases__corrections",
        "notices",
    )


def desk_window(user) -> Window | None:
    """The window the intake desk opens at: the clerk's usual window (their first clerk membership
    with one). New filings are made there; actions on a filing use ``window_for``."""
    membership = (
        StaffMembership.objects.filter(user=user, role=Role.CLERK, window__isnull=False)
        .select_related("window__centre")
        .order_by("pk")
        .first()
    )
    return membership.window if membership else None


def window_for(user, filing: Filing) -> Window | None:
    """The clerk's window at the filing's centre: a window at another centre never acts on it."""
    return window_at(user, filing.centre_id, Role.CLERK)


def awaiting_pre_review(centre_id: int) -> QuerySet[Filing]:
    """Online and assisted filings of a centre submitted and not yet taken by a window, the green
    channel first, then the oldest (网上预审)."""
    return (
        Filing.objects.filter(centre_id=centre_id, state=FilingState.SUBMITTED)
        .only(*LIST_FIELDS)
        .order_by("-green_channel", "submitted_at", "pk")
    )


def in_pre_review_by(user) -> QuerySet[Filing]:
    """The online filings a clerk has taken for pre-review and not decided yet, the green channel first."""
    return (
        Filing.objects.filter(pre_reviewer=user, state=FilingState.PRE_REVIEW)
        .only(*LIST_FIELDS)
        .order_by("-green_channel", "submitted_at", "pk")
    )
