"""Issuing is dual control (双人用印): an issuer asks (``request_issue``: nothing is numbered yet); a
seal keeper — the seal's custodian, or another seal keeper of the centre, never the person who asked —
confirms (``confirm_issue``), and in that one transaction every document of the filing is numbered,
sealed, captured and entered in the e-certificate library, or none is. PDFs are rendered after the
commit (``documents.render_pending_documents``, or on first download).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import Perm
from apps.audit.services import record_step
from apps.audit.transitions import apply_transition, check_transition
from apps.cases.codes import CaseState, FilingState
from apps.cases.messages import tell_applicant
from apps.cases.models import OPEN_CASE, Case, Filing
from apps.certificates import content, numbering, selectors
from apps.certificates.models import (
    DocumentKind,
    IssuedDocument,
    IssueRequest,
    IssuingRule,
    Seal,
    SealUse,
    new_verification_token,
)
from apps.core.errors import Conflict
from apps.licences.models import ElectronicCertificate

KEEP_SEALS = Perm.KEEP_SEALS
REVOKE = Perm.REVOKE_CERTIFICATE
DECIDED = (CaseState.APPROVED, CaseState.DENIED)


# --- what will be issued --------------------------------------------------------------------------


@dataclass
class Planned:
    """One document a filing will get, as the desk previews it before anything is numbered."""

    case: Case
    kind: str
    rule: IssuingRule | None
    seal: Seal | None
    problems: list[str] = field(default_factory=list)


def _seals_of(department_ids, *, lock: bool) -> dict[int, list[Seal]]:
    seals: dict[int, list[Seal]] = {}
    queryset = Seal.objects.filter(department_id__in=department_ids).order_by("pk")
    if lock:
        # Locked for the issue: a suspension waits for it, or it sees the suspension.
        queryset = queryset.select_for_update()
    for seal in queryset:
        seals.setdefault(seal.department_id, []).append(seal)
    return seals


def plan(filing: Filing, cases=None, *, lock_seals: bool = False) -> list[Planned]:
    """Each decided case's document, its issuing rule and seal, and what stands in the way."""
    if cases is None:
        cases = list(
            filing.cases.filter(state__in=DECIDED)
            .select_related("item__result_licence_type__issuing", "department__centre")
            .order_by("pk")
        )
    seals = _seals_of({case.department_id for case in cases}, lock=lock_seals)
    planned = []
    for case in cases:
        kind = DocumentKind.CERTIFICATE if case.state == CaseState.APPROVED else DocumentKind.DENIAL
        problems = []
        rule = None
        if kind == DocumentKind.CERTIFICATE:
            licence_type = case.item.result_licence_type
            rule = getattr(licence_type, "issuing", None) if licence_type else None
            if rule is None:
                problems.append(
                    _("The item %(item)s names no certificate type with an issuing rule (number format).")
                    % {"item": case.item.name}
                )
        of_department = seals.get(case.department_id, [])
        seal = next((s for s in of_department if s.in_use), None)
        if seal is None and of_department:
            problems.append(
                _("The seal %(seal)s of %(department)s is suspended: it cannot be used.")
                % {"seal": of_department[0].name, "department": case.department.name}
            )
        elif seal is None:
            problems.append(
                _("%(department)s has no seal registered at this desk.")
                % {"department": case.department.name}
            )
        planned.append(Planned(case=case, kind=kind, rule=rule, seal=seal, problems=problems))
    return planned


def _why_not_ready(filing: Filing) -> str:
    if filing.state in (FilingState.ISSUED, FilingState.DELIVERED, FilingState.CLOSED):
        return _("The documents of this filing have been issued already.")
    if filing.state in (FilingState.ACCEPTED, FilingState.ACCEPTED_WITH_DEFICIENCY):
        if filing.cases.filter(state__in=OPEN_CASE).exists():
            return _("Not every case of this filing has been decided yet.")
        if filing.has_open_deficiency:
            return _(
                "A deficiency (容缺) of this filing is still open: nothing is issued before it is cleared."
            )
    return _("This filing is not ready for issue: it is %(state)s.") % {"state": filing.get_state_display()}


def _ready(filing: Filing, *, lock_seals: bool = False) -> list[Planned]:
    if filing.state != FilingState.READY_FOR_ISSUE:
        raise Conflict(_why_not_ready(filing))
    planned = plan(filing, lock_seals=lock_seals)
    if not planned:
        raise Conflict(_("This filing has no decided case to issue a document for."))
    problems = [problem for p in planned for problem in p.problems]
    if problems:
        raise ValidationError(problems)
    return planned


def _locked_filing(filing_id: int) -> Filing:
    return Filing.objects.select_for_update(of=("self",)).select_related("centre").get(pk=filing_id)


def works_desk_at(user, centre_id: int) -> bool:
    """Whether ``user`` is on the certificate desk (issuer or seal keeper) of that centre."""
    return selectors.desk_centres(user).filter(centre_id=centre_id).exists()


def _require_desk(user, filing: Filing) -> None:
    if not works_desk_at(user, filing.centre_id):
        raise PermissionDenied(_("Only the certificate desk of the filing's service centre may do this."))


# --- dual control: ask, then confirm ---------------------------------------------------------------


@transaction.atomic
def request_issue(*, filing_id: int, actor, note: str = "", client_ip=None) -> IssueRequest:
    """The issuer asks to issue a filing's documents; a seal keeper must confirm."""
    filing = _locked_filing(filing_id)
    _require_desk(actor, filing)
    _ready(filing)
    try:
        with transaction.atomic():
            issue_request = IssueRequest.objects.create(filing=filing, requested_by=actor, note=note)
    except IntegrityError:
        raise Conflict(_("This filing is already awaiting the seal keeper's confirmation.")) from None
    record_step(filing, step="request_issue", actor=actor, comment=note, client_ip=client_ip)
    return issue_request


@transaction.atomic
def cancel_request(*, request_id: int, actor, reason: str = "", client_ip=None) -> IssueRequest:
    """Whoever asked, or a seal keeper of the filing's centre (the graph's permission of ``cancel``)."""
    issue_request = IssueRequest.objects.select_for_update().select_related("filing").get(pk=request_id)
    apply_transition(issue_request, "cancel", actor=actor, comment=reason, client_ip=client_ip)
    issue_request.decided_by, issue_request.decided_at = actor, timezone.now()
    issue_request.note = (reason or issue_request.note)[:300]
    issue_request.save(update_fields=["state", "decided_by", "decided_at", "note"])
    record_step(issue_request.filing, step="cancel_issue", actor=actor, comment=reason, client_ip=client_ip)
    return issue_request


@transaction.atomic
def confirm_issue(*, request_id: int, actor, client_ip=None) -> list[IssuedDocument]:
    """The seal keeper confirms: every document of the filing is issued now, or none is."""
    issue_request = (
        IssueRequest.objects.select_for_update(of=("self",))
        .select_related("requested_by", "filing")
        .get(pk=request_id)
    )
    # The graph's permission of ``confirm``: a seal keeper of the filing's centre (the seals'
    # custodian or another keeper there; custody alone is not enough) who is not the one who asked.
    check_transition(issue_request, "confirm", actor=actor)
    filing = _locked_filing(issue_request.filing_id)
    # The seals are read locked: a seal suspended since the request is named as a problem here.
    planned = _ready(filing, lock_seals=True)

    documents = _issue(filing, planned, issuer=issue_request.requested_by, confirmer=actor)
    apply_transition(
        filing,
        "issue",
        actor=actor,
        client_ip=client_ip,
        requested_by=issue_request.requested_by_id,
        documents=[d.number for d in documents],
    )
    filing.save(update_fields=["state"])
    apply_transition(issue_request, "confirm", actor=actor, client_ip=client_ip)
    issue_request.decided_by, issue_request.decided_at = actor, timezone.now()
    issue_request.save(update_fields=["state", "decided_by", "decided_at"])
    tell_applicant(
        filing,
        "issued",
        documents="、".join(f"{d.content['title']}（{d.number}）" for d in documents),
    )
    return documents


def validity(case: Case, rule: IssuingRule, issued_on: dt.date) -> tuple[dt.date, dt.date | None]:
    """From the decision's dates, else from the day of issue for the type's number of years (to the
    day before the anniversary), else indefinitely."""
    valid_from = case.valid_from or issued_on
    if case.valid_until:
        return valid_from, case.valid_until
    if rule.validity_years:
        return valid_from, numbering.add_years(valid_from, rule.validity_years) - dt.timedelta(days=1)
    return valid_from, None


PREVIEW_NUMBER = "（确认用印时编号）"


def preview_document(filing: Filing, case_id: int) -> IssuedDocument:
    """An unsaved, unsealed document as it would be issued today, for the issuer to check the PDF
    before asking for the seal: no number, no identifier, no seal; the PDF is marked as a preview."""
    planned = next((p for p in plan(filing) if p.case.pk == case_id), None)
    if planned is None:
        raise ValidationError(_("This case has no document to preview."))
    case, today = planned.case, timezone.localdate()
    case.filing = filing
    seal = planned.seal or Seal(name="—")
    document = IssuedDocument(kind=planned.kind, issued_at=timezone.now())
    if planned.kind == DocumentKind.CERTIFICATE and planned.rule is not None:
        valid_from, valid_until = validity(case, planned.rule, today)
        document.content = content.certificate_content(
            case,
            planned.rule,
            number=PREVIEW_NUMBER,
            identifier="—",
            check_code="—",
            valid_from=valid_from,
            valid_until=valid_until,
            issued_on=today,
            seal=seal,
            verify_url=_public(reverse("verification:number")),
        )
    elif planned.kind == DocumentKind.DENIAL:
        document.content = content.denial_content(case, number=PREVIEW_NUMBER, issued_on=today, seal=seal)
    else:
        raise ValidationError(planned.problems)
    document.content["preview"] = True
    return document


def _public(path: str) -> str:
    """An absolute address on the hall's public site: a QR code cannot carry a relative one."""
    return settings.HALL_PUBLIC_BASE_URL.rstrip("/") + path


def verify_url(token: str) -> str:
    return _public(reverse("verification:token", args=[token]))


def _issue(filing: Filing, planned: list[Planned], *, issuer, confirmer) -> list[IssuedDocument]:
    issued_at = timezone.now()
    today = timezone.localdate(issued_at)
    year = today.year
    documents, entries = [], []
    for p in planned:
        case = p.case
        case.filing = filing
        if p.kind == DocumentKind.CERTIFICATE:
            rule = p.rule
            licence_type = rule.licence_type
            serial = numbering.next_certificate_serial(licence_type, year)
            number = numbering.format_number(
                rule.number_format,
                year=year,
                serial=serial,
                region=filing.centre.region_code,
                type_code=licence_type.code,
            )
            identifier = numbering.certificate_identifier(
                licence_type, case.department, year=year, serial=serial
            )
            valid_from, valid_until = validity(case, rule, today)
            token = new_verification_token()
            entry = ElectronicCertificate(
                identifier=identifier,
                licence_type=licence_type,
                number=number,
                holder_name=case.decision_holder or filing.applicant_name,
                holder_code=filing.applicant_id_number,
                issuer=case.department.name,
                issued_on=today,
                valid_from=valid_from,
                valid_until=valid_until,
            )
            entries.append(entry)
            document = IssuedDocument(
                kind=p.kind,
                licence_type=licence_type,
                number=number,
                library_entry=entry,
                verification_token=token,
                content=content.certificate_content(
                    case,
                    rule,
                    number=number,
                    identifier=identifier,
                    check_code=numbering.check_code(licence_type.code, number),
                    valid_from=valid_from,
                    valid_until=valid_until,
                    issued_on=today,
                    seal=p.seal,
                    verify_url=verify_url(token),
                ),
            )
        else:
            number = numbering.denial_number(case.department, year)
            document = IssuedDocument(
                kind=p.kind,
                number=number,
                content=content.denial_content(case, number=number, issued_on=today, seal=p.seal),
            )
        document.filing, document.case, document.department = filing, case, case.department
        document.seal, document.issued_at, document.issued_by, document.confirmed_by = (
            p.seal,
            issued_at,
            issuer,
            confirmer,
        )
        documents.append(document)
    # The library entries first: the documents point at them (their ids are set by the insert).
    ElectronicCertificate.objects.bulk_create(entries)
    IssuedDocument.objects.bulk_create(documents)
    SealUse.objects.bulk_create(
        SealUse(
            seal=d.seal,
            document=d,
            issuer=issuer,
            confirmer=confirmer,
            reason=f"{d.content['title']} {d.number}（{filing.number}）",
        )
        for d in documents
    )
    return documents
