"""What the certificate desk lists, and who may see which document: one set of rules for the desk,
the API and the downloads."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import StaffMembership
from apps.accounts.permissions import Perm
from apps.accounts.roles import BACK_OFFICE_ROLES, Role
from apps.cases import selectors as filings
from apps.cases.codes import FilingState
from apps.cases.models import Case, Filing
from apps.certificates.models import (
    DocumentKind,
    IssuedDocument,
    IssueRequest,
    RequestState,
    Seal,
    SealUse,
)
from apps.licences.models import ElectronicCertificate

ISSUING = Perm.USE_ISSUING_DESK
DESK_ROLES = (Role.ISSUER, Role.SEAL_KEEPER)
KEEP_SEALS = Perm.KEEP_SEALS
LIST_FIELDS = (
    "number",
    "state",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "created_at",
    "green_channel",  # the 绿色通道 badge; the green channel first
)


def desk_centres(user):
    """The centres whose certificate desk the user works at."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(ISSUING):
        return StaffMembership.objects.none().values("centre_id")
    # The role with the centre: an issuer here who is a clerk elsewhere works only this desk.
    return StaffMembership.objects.filter(user=user, role__in=DESK_ROLES, department__isnull=True).values(
        "centre_id"
    )


def filings_at_desk(user, state: str) -> QuerySet[Filing]:
    """A desk's filings in one state (the ``filing_state_centre`` index), the green channel (绿色通道)
    first, then the oldest."""
    return (
        Filing.objects.filter(centre_id__in=desk_centres(user), state=state)
        .only(*LIST_FIELDS, "centre_id")
        .order_by("-green_channel", "pk")
    )


def ready_for_issue(user) -> QuerySet[Filing]:
    return filings_at_desk(user, FilingState.READY_FOR_ISSUE)


def awaiting_delivery(user) -> QuerySet[Filing]:
    return filings_at_desk(user, FilingState.ISSUED)


def pending_requests(user) -> QuerySet[IssueRequest]:
    return (
        IssueRequest.objects.filter(state=RequestState.PENDING, filing__centre_id__in=desk_centres(user))
        .select_related("filing", "requested_by")
        .order_by("-filing__green_channel", "requested_at", "pk")
    )


def pending_request_of(filing) -> IssueRequest | None:
    return (
        IssueRequest.objects.filter(filing=filing, state=RequestState.PENDING)
        .select_related("requested_by")
        .first()
    )


def with_items(queryset: QuerySet[Filing]) -> QuerySet[Filing]:
    """A page of filings with their items and cases, in a constant number of queries."""
    return queryset.prefetch_related(
        Prefetch("cases", Case.objects.select_related("item", "department").order_by("pk"))
    )


def desk_filing(user, pk: int) -> Filing:
    """A filing of the user's desk with everything its page shows (404 for another centre's)."""
    queryset = Filing.objects.filter(centre_id__in=desk_centres(user)).select_related(
        "centre", "delivery", "delivery__delivered_by", "delivery_choice"
    )
    return get_object_or_404(
        queryset.prefetch_related(
            Prefetch(
                "cases",
                Case.objects.select_related(
                    "item__result_licence_type__issuing", "department__centre", "decided_by"
                ).order_by("pk"),
            ),
            Prefetch(
                "documents",
                IssuedDocument.objects.select_related("seal", "library_entry", "issued_by", "confirmed_by"),
            ),
        ),
        pk=pk,
    )


def documents_visible_to(user) -> QuerySet[IssuedDocument]:
    """The desk's staff see their centres' documents; an approver or decision-maker their
    department's; a citizen's account the documents of its filings and of the organisations it may
    act for today (``filings_of_citizen``). Other roles held in a department (a supervisor's) see
    none."""
    if not getattr(user, "is_authenticated", False):
        return IssuedDocument.objects.none()
    departments = StaffMembership.objects.filter(
        user=user, role__in=BACK_OFFICE_ROLES, department__isnull=False
    ).values("department_id")
    return IssuedDocument.objects.filter(
        Q(filing__centre_id__in=desk_centres(user))
        | Q(department_id__in=departments)
        | Q(filing__in=filings.filings_of_citizen(user).values("pk"))
    ).select_related("filing", "library_entry__licence_type", "seal", "department")


def wallet_of(user) -> QuerySet[IssuedDocument]:
    """证照夹: the certificates issued on the filings of the account and of the organisations it may
    act for today, newest first, with what the wallet shows of each (type, holder, validity) in the
    same query. Denial decisions are no certificates: they stay on the filing's page."""
    if not getattr(user, "is_authenticated", False):
        return IssuedDocument.objects.none()
    return (
        IssuedDocument.objects.filter(
            kind=DocumentKind.CERTIFICATE, filing__in=filings.filings_of_citizen(user).values("pk")
        )
        .select_related("filing", "library_entry__licence_type", "department")
        .order_by("-issued_at", "-pk")
    )


def wallet_document(user, pk) -> IssuedDocument:
    """One certificate of the user's wallet (404 for anyone else's)."""
    return get_object_or_404(wallet_of(user), pk=pk)


LOOKS_UP_HOLDERS, OWN_CERTIFICATES = "holders", "own"


def library_access(user) -> str | None:
    """How ``user`` may use the e-certificate library (电子证照库), in one query:

    - ``LOOKS_UP_HOLDERS``: a window clerk (at any centre where they hold the role) looks a holder up
      by identity number or credit code, to take a certificate in place of paper (免证可办);
    - ``OWN_CERTIFICATES``: an account with no staff role sees the certificates of its own filings
      and of its organisations' (``filings_of_citizen``);
    - None: anyone else. No other role's work needs a holder's certificates by identity number.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    roles = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
    if Role.CLERK in roles:
        return LOOKS_UP_HOLDERS
    return None if roles else OWN_CERTIFICATES


def library_for(user, holder_code: str = "", *, access: str | None = None) -> QuerySet[ElectronicCertificate]:
    """The library entries ``user`` sees (``access`` as ``library_access`` answers it): a holder's by
    code for a clerk (none without a code), a citizen's own, nothing for anyone else. Lookups by
    holder code are logged by ``apps.certificates.library.look_up``, which the API calls."""
    entries = ElectronicCertificate.objects.select_related("licence_type").order_by("-issued_on", "-pk")
    access = library_access(user) if access is None else access
    if access == LOOKS_UP_HOLDERS:
        code = normalised_holder_code(holder_code)
        return entries.filter(holder_code=code) if code else entries.none()
    if access == OWN_CERTIFICATES:
        return entries.filter(issued_document__filing__in=filings.filings_of_citizen(user).values("pk"))
    return entries.none()


def normalised_holder_code(holder_code: str) -> str:
    return (holder_code or "").strip().upper()


def keeper_centres(user):
    """The ids of the centres where ``user`` is a seal keeper (a role at another centre does not
    let them suspend this centre's seals or confirm its issues)."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(KEEP_SEALS):
        return StaffMembership.objects.none().values_list("centre_id", flat=True)
    return StaffMembership.objects.filter(user=user, role=Role.SEAL_KEEPER).values_list(
        "centre_id", flat=True
    )


def seals_at_desk(user) -> QuerySet[Seal]:
    return (
        Seal.objects.filter(department__centre_id__in=desk_centres(user))
        .select_related("department", "custodian")
        .order_by("department__name", "name")
    )


def seal_uses(seal: Seal) -> QuerySet[SealUse]:
    return seal.uses.select_related("document", "issuer", "confirmer").order_by("-at", "-pk")
