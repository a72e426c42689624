"""Front-desk use cases: opening a filing, recording its materials, and the window's decisions.

Each decision runs in one transaction with the filing locked (``select_for_update``): of two clerks
deciding at once, the second finds it decided and gets a ``Conflict``; no duplicate cases or numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import Perm
from apps.audit.services import record_step
from apps.audit.transitions import apply_transition
from apps.cases.applicants import ApplicantData, require_own_identity
from apps.cases.codes import AT_A_WINDOW, SATISFIED, Channel, FilingState, MaterialStatus
from apps.cases.messages import tell_applicant
from apps.cases.models import (
    OPEN_CASE,
    Case,
    ChecklistEntry,
    CorrectionRequest,
    Filing,
    FilingItem,
    MaterialUpload,
)
from apps.cases.notices.content import FilingFacts
from apps.cases.notices.models import NoticeKind
from apps.cases.review.services import answer_correction, complete_if_decided
from apps.cases.window_rules import (
    require_pre_reviewer,
    require_window_action,
    require_window_clerk,
    require_window_clerk_at,
)
from apps.catalogue import selectors as catalogue
from apps.catalogue.codes import ItemState, Necessity
from apps.catalogue.models import Bundle, BundleState, ServiceItem
from apps.core.errors import Conflict
from apps.licences.lookup import valid_certificates
from apps.sequences.services import next_value
from apps.uploads.stored import checked
from apps.worktime import calendar
from apps.worktime.services import start_clocks, stop_clock


def _filing_number(centre, first_item: ServiceItem, day: dt.date) -> str:
    """Implementation code + yyyyMMdd + 4-digit serial, gap-free per centre and day (docs/code-lists.md)."""
    serial = next_value(f"filing:{centre.pk}:{day:%Y%m%d}")
    return f"{first_item.implementation_code}{day:%Y%m%d}{serial:04d}"


def _items_for(centre, item_ids: list[int] | None, bundle: Bundle | None) -> list[ServiceItem]:
    if bool(item_ids) == bool(bundle):
        raise ValidationError({"items": _("File one item or one bundle (一件事).")})
    if bundle is not None:
        bundle = Bundle.objects.get(pk=bundle.pk)  # as it is now, not as the caller last saw it
        if bundle.state != BundleState.PUBLISHED or bundle.centre_id != centre.pk:
            raise ValidationError({"bundle": _("This bundle is not offered at this service centre.")})
        return catalogue.bundle_items(bundle, prepare=catalogue.items_for_filing)
    items = list(catalogue.items_for_filing(ServiceItem.objects.filter(pk__in=item_ids)))
    for item in items:
        if item.state != ItemState.PUBLISHED or item.lineage.centre_id != centre.pk:
            raise ValidationError(
                {"items": _("%(item)s is not an item this service centre offers.") % {"item": item.name}}
            )
    if len(items) != len(set(item_ids)):
        raise ValidationError({"items": _("An item of this filing does not exist.")})
    return items


@transaction.atomic
def open_filing(
    *,
    centre,
    applicant: ApplicantData,
    actor,
    window,
    item_ids: list[int] | None = None,
    bundle: Bundle | None = None,
    resubmission_of: Filing | None = None,
    client_ip=None,
) -> Filing:
    """A new filing (draft) at a window, for one item or a bundle, with the catalogue versions pinned
    and the checklist built from them (a bundle's merged checklist: each material once). The actor is
    a clerk of ``centre`` at one of their windows there; the filing's channel is the window's.

    ``resubmission_of``: the filing returned for completion (一次性告知) that this one answers at the
    window, as ``online.resubmit_returned`` links one answered online. The link is what makes the
    first-time pass rate computable (a resubmission is not a first decision): it is checked here —
    the returned filing of this centre, of the same applicant, not resubmitted yet — and each refusal
    names ``resubmission_of``. Nothing is carried over: the applicant brings the materials to the
    window again and the clerk records them."""
    require_window_clerk_at(centre.pk, actor, window)
    data = applicant.cleaned()
    original = _returned_to_answer(resubmission_of, centre=centre, applicant=data)
    filing = _create_filing(
        centre=centre,
        channel=Channel.WINDOW,
        applicant=data,
        item_ids=item_ids,
        bundle=bundle,
        actor=actor,
        window=window,
        client_ip=client_ip,
    )
    if original is not None:
        filing.resubmission_of = original
        filing.save(update_fields=["resubmission_of"])
        record_step(filing, step="resubmission", actor=actor, client_ip=client_ip, of=original.number)
        record_step(
            original, step="resubmitted", actor=actor, client_ip=client_ip, resubmission=filing.number
        )
    return filing


def _returned_to_answer(filing: Filing | None, *, centre, applicant: ApplicantData) -> Filing | None:
    """The returned filing a window filing answers, locked (two clerks linking the same one: the
    second finds it resubmitted), or a ValidationError naming ``resubmission_of``."""
    if filing is None:
        return None
    original = _locked(filing.pk)
    if original.centre_id != centre.pk:
        # Not its number: a filing of another centre is none of this clerk's business.
        raise ValidationError(
            {"resubmission_of": _("The filing answered must be one of this service centre's.")}
        )
    if original.state != FilingState.RETURNED:
        raise ValidationError(
            {
                "resubmission_of": _(
                    "Filing %(number)s was not returned for completion (一次性告知): it is %(state)s."
                )
                % {"number": original.number, "state": original.get_state_display()}
            }
        )
    if original.applicant_id_number != applicant.id_number:
        raise ValidationError(
            {
                "resubmission_of": _("Filing %(number)s is another applicant's: the identity numbers differ.")
                % {"number": original.number}
            }
        )
    existing = original.resubmissions.only("number").first()
    if existing is not None:
        raise ValidationError(
            {
                "resubmission_of": _("Filing %(number)s has been resubmitted already as %(resubmission)s.")
                % {"number": original.number, "resubmission": existing.number}
            }
        )
    return original


@transaction.atomic
def open_online_filing(
    *,
    centre,
    applicant: ApplicantData,
    citizen,
    item_ids: list[int] | None = None,
    bundle: Bundle | None = None,
    client_ip=None,
) -> Filing:
    """A citizen's online draft. The applicant is the account's own identity (its resident ID and
    real name), or an organisation the account is authorised for today — never an identity typed in
    for someone else."""
    if not (getattr(citizen, "is_authenticated", False) and citizen.has_perm(Perm.USE_CITIZEN_PORTAL)):
        raise PermissionDenied(_("Online filings are made from a citizen's account."))
    data = applicant.cleaned()
    require_own_identity(citizen, data, on=timezone.localdate())
    return _create_filing(
        centre=centre,
        channel=Channel.ONLINE,
        applicant=data,
        item_ids=item_ids,
        bundle=bundle,
        actor=citizen,
        citizen=citizen,
        client_ip=client_ip,
    )


def _create_filing(
    *,
    centre,
    channel,
    applicant: ApplicantData,
    item_ids,
    bundle,
    actor,
    window=None,
    citizen=None,
    client_ip,
) -> Filing:
    items = _items_for(centre, item_ids, bundle)
    filing = Filing.objects.create(
        number=_filing_number(centre, items[0], timezone.localdate()),
        centre=centre,
        window=window,
        channel=channel,
        bundle=bundle,
        citizen=citizen,
        created_by=actor,
        **applicant.model_fields(),
    )
    FilingItem.objects.bulk_create(
        FilingItem(filing=filing, item=item, order=n) for n, item in enumerate(items)
    )
    ChecklistEntry.objects.bulk_create(
        ChecklistEntry(
            filing=filing,
            material=entry.material,
            order=n,
            original_count=entry.original_count,
            copy_count=entry.copy_count,
            necessity=entry.necessity,
            replaceable_by_id=entry.replaceable_by_id,
            produced_by=entry.produced_by,  # the bundle produces it: the applicant does not bring it
        )
        for n, entry in enumerate(catalogue.merged_checklist(items))
    )
    # Who opened it, where and from which address: the filing's first line in its log.
    record_step(filing, step="open", actor=actor, client_ip=client_ip, window=getattr(window, "number", None))
    return filing


def _locked(filing_id: int) -> Filing:
    # Only the filing's row is locked (``of``): the centre (the notice's number and text) is read in
    # the same statement, and locking it too would queue every decision of the centre behind each other.
    return Filing.objects.select_for_update(of=("self",)).select_related("centre").get(pk=filing_id)


def _require_at_a_window(filing: Filing) -> None:
    if filing.state == FilingState.SUBMITTED:
        raise Conflict(_("Take this online filing for pre-review first."))
    if filing.state not in AT_A_WINDOW:
        raise Conflict(
            _("This filing has been decided already: it is %(state)s.")
            % {"state": filing.get_state_display()}
        )


@dataclass(frozen=True)
class MaterialRecord:
    """What the window found for one material of the checklist."""

    material_id: int
    status: str
    note: str = ""
    certificate_reference: str = ""


def _e_certificate(entry: ChecklistEntry, reference: str, held) -> tuple[str | None, str | None]:
    """免证可办: the applicant's valid certificate of the type that may replace this material — the
    one the clerk named (number or identifier), or the only one they hold. (number, error)."""
    matching = [c for c in held if c.licence_type_id == entry.replaceable_by_id]
    if not matching:
        return None, _("The applicant holds no valid %(type)s in the e-certificate library.") % {
            "type": entry.replaceable_by.name
        }
    if reference:
        chosen = next((c for c in matching if reference in (c.number, c.identifier)), None)
        if chosen is None:
            return None, _("%(reference)s is not one of the applicant's valid %(type)s certificates.") % {
                "reference": reference,
                "type": entry.replaceable_by.name,
            }
        return chosen.number, None
    if len(matching) > 1:
        return None, _("%(material)s: name which of the applicant's certificates is used.") % {
            "material": entry.material.name
        }
    return matching[0].number, None


def _apply_records(
    checklist: list[ChecklistEntry], records: list[MaterialRecord], *, holder_code: str
) -> None:
    """Check the records against the checklist (all of them: every error is reported at once) and
    write them: one UPDATE per distinct outcome, usually one ("all originals received"), which is
    far cheaper to build and run than one CASE-per-row bulk update. ``checklist`` entries need their
    material loaded. A material replaced by an e-certificate must name one the applicant (``holder_code``)
    holds in the library, of the type the item accepts (one lookup, only when one is used)."""
    entries = {entry.material_id: entry for entry in checklist}
    errors: dict[str, list[str]] = {}
    changed = []
    held = None
    for record in records:
        entry = entries.get(record.material_id)
        if entry is None:
            errors.setdefault("material", []).append(_("A material is not on this filing's list."))
            continue
        try:
            status = MaterialStatus(record.status)
        except ValueError:
            errors.setdefault("status", []).append(
                _("%(material)s: “%(status)s” is not a status a window records.")
                % {"material": entry.material.name, "status": record.status}
            )
            continue
        reference = record.certificate_reference.strip()
        if status == MaterialStatus.E_CERTIFICATE:
            if entry.replaceable_by_id is None:
                errors.setdefault("status", []).append(
                    _("No electronic certificate can replace %(material)s.")
                    % {"material": entry.material.name}
                )
                continue
            held = valid_certificates(holder_code) if held is None else held
            reference, error = _e_certificate(entry, reference, held)
            if error:
                errors.setdefault("certificate_reference", []).append(error)
                continue
        entry.status, entry.note = status, record.note
        entry.certificate_reference = reference
        changed.append(entry)
    if errors:
        raise ValidationError(errors)
    outcomes: dict[tuple[str, str, str], list[int]] = {}
    for entry in changed:
        outcomes.setdefault((entry.status, entry.note, entry.certificate_reference), []).append(entry.pk)
    for (status, note, reference), pks in outcomes.items():
        ChecklistEntry.objects.filter(pk__in=pks).update(
            status=status, note=note, certificate_reference=reference
        )


@transaction.atomic
def record_materials(
    *, filing_id: int, records: list[MaterialRecord], actor, window, client_ip=None
) -> list[ChecklistEntry]:
    """Record what the window found for several materials at once (all or nothing): the filing
    locked, the entries read, one UPDATE for all of them, and one step in the filing's log."""
    filing = _locked(filing_id)
    require_window_action(filing, actor, window)
    _require_at_a_window(filing)
    checklist = list(
        filing.checklist.select_related("material", "replaceable_by").filter(
            material_id__in=[r.material_id for r in records]
        )
    )
    _apply_records(checklist, records, holder_code=filing.applicant_id_number)
    _log_records(filing, records, actor=actor, window=window, client_ip=client_ip)
    return checklist


def _log_records(filing, records, *, actor, window, client_ip) -> None:
    if records:
        record_step(
            filing,
            step="record_materials",
            actor=actor,
            client_ip=client_ip,
            window=window.number,
            materials=_as_logged(records),
        )


def _as_logged(records) -> list[dict]:
    """The checklist as the window recorded it, for the log (a decision's own entry carries it)."""
    return [{"material": r.material_id, "status": str(r.status)} for r in records]


def all_originals_received(checklist) -> list[MaterialRecord]:
    """What "all originals received" (全部收取原件) records: an original for each material not
    checked yet that is required (必要) and asked for as an original. Left for the clerk: a
    copy-only material, an optional one the applicant may not have brought (an authorisation letter
    with no agent), one that may follow later (容缺后补: the clerk decides whether it is here), and
    one the bundle itself produces (the applicant never brings it)."""
    return [
        MaterialRecord(entry.material_id, MaterialStatus.ORIGINAL)
        for entry in checklist
        if entry.status == MaterialStatus.PENDING
        and entry.necessity == Necessity.REQUIRED
        and entry.original_count > 0
        and entry.produced_by_id is None
    ]


def record_material(
    *,
    filing_id: int,
    material_id: int,
    status: str,
    actor,
    window,
    client_ip=None,
    note: str = "",
    certificate_reference: str = "",
) -> ChecklistEntry:
    """What the window found for one material of the checklist."""
    [entry] = record_materials(
        filing_id=filing_id,
        records=[MaterialRecord(material_id, status, note, certificate_reference)],
        actor=actor,
        window=window,
        client_ip=client_ip,
    )
    return entry


def _checklist(filing: Filing) -> list[ChecklistEntry]:
    return list(filing.checklist.select_related("material"))


def _outstanding(checklist: list[ChecklistEntry]) -> list[ChecklistEntry]:
    """Materials not handed in that the filing needs (required or 容缺后补), not produced by the filing."""
    return [
        entry
        for entry in checklist
        if entry.necessity != Necessity.OPTIONAL
        and entry.status not in SATISFIED
        and entry.produced_by_id is None
    ]


# What a decision reads of the filed items: routing, limits, and what the notice prints.
FILED_ITEM_FIELDS = (
    "name",
    "implementation_code",
    "basic_code",
    "department_id",
    "approval_category_id",
    "promised_limit_days",
    "legal_limit_days",
)


def _filed_items(filing: Filing) -> list[ServiceItem]:
    # The item versions themselves, in the filing's order (no FilingItem rows built on the way).
    filed = ServiceItem.objects.filter(filingitem__filing=filing).order_by("filingitem__order")
    return list(filed.only(*FILED_ITEM_FIELDS))


def _case_limit(filing: Filing, item: ServiceItem) -> int:
    """Each case runs on its own item's promised limit, in a bundle as when filed alone: the items are
    approved in parallel, and a bundle's promised limit (what the applicant is told for the whole) is
    no shorter than the longest of them (``catalogue.rules.bundle_problems``)."""
    return item.promised_limit_days


def _open_cases(filing: Filing, items: list[ServiceItem], accepted_on: dt.date) -> list[Case]:
    """One case per item, routed to the item's department and approval category, each with its clock
    (all clocks in one INSERT, all cases in another)."""
    clocks = start_clocks(
        centre=filing.centre_id,
        started_on=accepted_on,
        limits=[_case_limit(filing, item) for item in items],
    )
    return Case.objects.bulk_create(
        Case(
            filing=filing,
            item=item,
            department_id=item.department_id,
            approval_category_id=item.approval_category_id,
            clock=clock,
            due_on=clock.due_on,
            green_channel=filing.green_channel,
        )
        for item, clock in zip(items, clocks, strict=True)
    )


def _notice(filing: Filing, kind: str, *, actor, window, facts: FilingFacts) -> None:
    """The decision's official notice, numbered and its content captured in the decision's own
    transaction (its PDF is rendered after the commit)."""
    from django.conf import settings

    from apps.cases.notices.services import issue_notice

    issue_notice(
        filing, kind, base_url=settings.HALL_PUBLIC_BASE_URL, actor=actor, window=window, facts=facts
    )


# What ``_decide`` changes on the filing: a decision saves these and its own fields, not the whole row.
DECIDED = ("state", "decided_at", "decided_by")


def _decide(
    filing: Filing, transition: str, *, actor, window, client_ip, comment: str = "", **context
) -> None:
    apply_transition(
        filing,
        transition,
        actor=actor,
        comment=comment,
        client_ip=client_ip,
        window=getattr(window, "number", None),
        **context,
    )
    filing.decided_at = timezone.now()
    filing.decided_by = actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def accept(
    *,
    filing_id: int,
    actor,
    window,
    client_ip=None,
    materials: list[MaterialRecord] = (),
) -> Filing:
    """受理: every needed material is in; one case per item, each with its clock started today.

    ``materials``: the checklist as the clerk completed it on screen, recorded in the decision's own
    transaction (what ``record_materials`` does; one request and one commit fewer at the window)."""
    filing = _locked(filing_id)
    require_window_action(filing, actor, window)
    _require_at_a_window(filing)
    checklist = _checklist(filing)
    _apply_records(checklist, list(materials), holder_code=filing.applicant_id_number)
    missing = _outstanding(checklist)
    if missing:
        raise ValidationError(
            {
                "checklist": [
                    _("%(material)s has not been handed in.") % {"material": entry.material.name}
                    for entry in missing
                ]
            }
        )
    _decide(
        filing,
        "accept",
        actor=actor,
        window=window,
        client_ip=client_ip,
        **({"materials": _as_logged(materials)} if materials else {}),
    )
    filing.accepted_on = timezone.localdate()
    filing.save(update_fields=[*DECIDED, "accepted_on"])
    items = _filed_items(filing)
    cases = _open_cases(filing, items, filing.accepted_on)
    facts = FilingFacts(items=items, checklist=checklist, clocks=[case.clock for case in cases])
    _notice(filing, NoticeKind.ACCEPTANCE, actor=actor, window=window, facts=facts)
    tell_applicant(filing, "accepted", due_on=str(max(case.due_on for case in cases)))
    return filing


@transaction.atomic
def accept_with_deficiency(
    *,
    filing_id: int,
    commitment_date: dt.date | None,
    actor,
    window,
    client_ip=None,
    materials: list[MaterialRecord] = (),
) -> Filing:
    """容缺受理: only when everything outstanding may follow later (容缺后补) for every item asking
    for it, by a committed date no later than the promised completion date. ``materials`` as for
    ``accept``."""
    filing = _locked(filing_id)
    require_window_action(filing, actor, window)
    _require_at_a_window(filing)
    checklist = _checklist(filing)
    _apply_records(checklist, list(materials), holder_code=filing.applicant_id_number)
    outstanding = _outstanding(checklist)
    if not outstanding:
        raise ValidationError(_("Nothing is missing: accept the filing instead."))
    not_deferrable = [e for e in outstanding if e.necessity != Necessity.DEFERRABLE]
    if not_deferrable:
        raise ValidationError(
            {
                "checklist": [
                    _("%(material)s may not follow later (it is not 容缺后补 for every item asking for it).")
                    % {"material": entry.material.name}
                    for entry in not_deferrable
                ]
            }
        )
    today = timezone.localdate()
    items = _filed_items(filing)
    latest = min(
        calendar.add_working_days(today, _case_limit(filing, item), filing.centre_id) for item in items
    )
    if commitment_date is None:
        raise ValidationError({"commitment_date": _("The applicant's commitment date is required.")})
    if not today <= commitment_date <= latest:
        raise ValidationError(
            {
                "commitment_date": _(
                    "The commitment date must fall between today and the promised completion date (%(date)s)."
                )
                % {"date": latest}
            }
        )
    _decide(
        filing,
        "accept_with_deficiency",
        actor=actor,
        window=window,
        client_ip=client_ip,
        **({"materials": _as_logged(materials)} if materials else {}),
    )
    filing.accepted_on = today
    filing.commitment_date = commitment_date
    filing.save(update_fields=[*DECIDED, "accepted_on", "commitment_date"])
    ChecklistEntry.objects.filter(pk__in=[e.pk for e in outstanding]).update(status=MaterialStatus.DEFICIENT)
    for entry in outstanding:
        entry.status = MaterialStatus.DEFICIENT
    cases = _open_cases(filing, items, today)
    facts = FilingFacts(items=items, checklist=checklist, clocks=[case.clock for case in cases])
    _notice(filing, NoticeKind.DEFICIENCY, actor=actor, window=window, facts=facts)
    tell_applicant(
        filing,
        "accepted_with_deficiency",
        due_on=str(max(case.due_on for case in cases)),
        commitment_date=str(commitment_date),
    )
    return filing


@transaction.atomic
def return_for_completion(
    *, filing_id: int, corrections: list[dict], actor, window, client_ip=None
) -> Filing:
    """一次性告知: everything missing or wrong, with the reason, all at once."""
    filing = _locked(filing_id)
    require_window_action(filing, actor, window)
    _require_at_a_window(filing)
    checklist = _checklist(filing)
    outstanding = {entry.material_id: entry for entry in _outstanding(checklist)}
    listed = {c.get("material") for c in corrections if c.get("material")}
    on_checklist = {entry.material_id for entry in checklist}
    if listed - on_checklist:
        raise ValidationError(
            {"corrections": _("A correction names a material that is not on this filing's list.")}
        )
    unlisted = [entry.material.name for mid, entry in outstanding.items() if mid not in listed]
    if unlisted:
        raise ValidationError(
            {
                "corrections": [
                    _("%(material)s is missing and must be on the list too: it is told once, all at once.")
                    % {"material": name}
                    for name in unlisted
                ]
            }
        )
    if not corrections or any(not (c.get("reason") or "").strip() for c in corrections):
        raise ValidationError({"corrections": _("Give the reason for every material on the list.")})
    _decide(filing, "return_for_completion", actor=actor, window=window, client_ip=client_ip)
    filing.completion_list = [
        {"material": c.get("material"), "reason": c["reason"].strip()} for c in corrections
    ]
    filing.save(update_fields=[*DECIDED, "completion_list"])
    facts = FilingFacts(items=_filed_items(filing), checklist=checklist, clocks=[])
    _notice(filing, NoticeKind.COMPLETION, actor=actor, window=window, facts=facts)
    # Each line by its material's name, a line about no one material by its reason.
    names = {entry.material_id: entry.material.name for entry in checklist}
    listed_names = [names.get(c.get("material")) or c["reason"].strip() for c in corrections]
    tell_applicant(filing, "returned_for_completion", materials="、".join(listed_names))
    return filing


@transaction.atomic
def refuse(*, filing_id: int, reasons: str, legal_basis: str, actor, window, client_ip=None) -> Filing:
    """不予受理: only with written reasons and their legal basis (the notice adds the remedies)."""
    errors = {}
    if not (reasons or "").strip():
        errors["reasons"] = _("A refusal gives its reasons.")
    if not (legal_basis or "").strip():
        errors["legal_basis"] = _("A refusal gives its legal basis.")
    if errors:
        raise ValidationError(errors)
    filing = _locked(filing_id)
    require_window_action(filing, actor, window)
    _require_at_a_window(filing)
    _decide(filing, "refuse", actor=actor, window=window, client_ip=client_ip, comment=reasons)
    filing.decision_reasons, filing.decision_legal_basis = reasons.strip(), legal_basis.strip()
    filing.save(update_fields=[*DECIDED, "decision_reasons", "decision_legal_basis"])
    facts = FilingFacts(items=_filed_items(filing), checklist=[], clocks=[])
    _notice(filing, NoticeKind.REFUSAL, actor=actor, window=window, facts=facts)
    tell_applicant(filing, "refused", reasons=filing.decision_reasons)
    return filing


@transaction.atomic
def submit_online(*, filing_id: int, actor, client_ip=None) -> Filing:
    """A citizen submits their online draft; a window pre-reviews and decides it."""
    from apps.cases.online import check_before_submit

    filing = _locked(filing_id)
    if filing.citizen_id is None or filing.citizen_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the applicant's own account submits this filing."))
    if filing.state != FilingState.DRAFT:
        # A double click: the first request submitted it; the second changes nothing.
        raise Conflict(_("This filing has been submitted already."))
    # What the window would return it for at once is refused here (declaration, required materials,
    # e-certificates still valid, the applicant still the account's own or authorised for).
    check_before_submit(filing, actor)
    apply_transition(filing, "submit", actor=actor, client_ip=client_ip)
    filing.submitted_at = timezone.now()
    filing.save()
    return filing


@transaction.atomic
def start_pre_review(*, filing_id: int, actor, window, client_ip=None) -> Filing:
    """网上预审: a clerk takes a submitted online filing to their window. One clerk at a time: of two
    taking it at once, the second gets a ``Conflict``."""
    filing = _locked(filing_id)
    require_window_clerk(filing, actor, window)
    if filing.state == FilingState.PRE_REVIEW:
        raise Conflict(
            _("%(clerk)s has taken this filing for pre-review already.")
            % {"clerk": filing.pre_reviewer or _("Another clerk")}
        )
    apply_transition(filing, "start_pre_review", actor=actor, client_ip=client_ip, window=window.number)
    filing.window, filing.pre_reviewer = window, actor
    filing.save()
    return filing


@transaction.atomic
def release_pre_review(*, filing_id: int, actor, window, client_ip=None, reason: str = "") -> Filing:
    """Hand an online filing back to the centre's pre-review queue (the clerk who took it cannot
    finish it); only that clerk hands it back."""
    filing = _locked(filing_id)
    require_window_clerk(filing, actor, window)
    require_pre_reviewer(filing, actor)
    apply_transition(
        filing,
        "release_pre_review",
        actor=actor,
        comment=reason,
        client_ip=client_ip,
        window=getattr(window, "number", None),
    )
    filing.window, filing.pre_reviewer = None, None
    filing.save()
    return filing


@transaction.atomic
def withdraw(*, filing_id: int, reason: str, actor, window, client_ip=None) -> Filing:
    """撤回 at the applicant's request, recorded by a clerk of the filing's centre."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Record why the applicant withdraws.")})
    filing = _locked(filing_id)
    require_window_action(filing, actor, window)
    apply_transition(
        filing,
        "withdraw",
        actor=actor,
        comment=reason,
        client_ip=client_ip,
        window=getattr(window, "number", None),
    )
    filing.save()
    withdraw_cases(filing, reason=reason, actor=actor, client_ip=client_ip)
    return filing


def withdraw_cases(filing: Filing, *, reason: str, actor, client_ip=None) -> None:
    """The open cases of a withdrawn filing withdrawn too, their clocks stopped today (a window's
    withdrawal and the applicant's own online one)."""
    today = timezone.localdate()
    for case in filing.cases.select_for_update().select_related("clock").filter(state__in=OPEN_CASE):
        apply_transition(case, "withdraw", actor=actor, comment=reason, client_ip=client_ip)
        case.save()
        stop_clock(clock=case.clock, on=today)


@transaction.atomic
def attach_upload(*, filing_id: int, material_id: int, file, actor, window=None, client_ip=None):
    """A file for one material, checked by its content and size before anything is stored: by the
    citizen on their own online draft, or by a clerk at a window of the filing's centre."""
    filing = _locked(filing_id)
    own_draft = (
        filing.state == FilingState.DRAFT
        and filing.citizen_id is not None
        and filing.citizen_id == getattr(actor, "pk", None)
    )
    if not own_draft:
        require_window_action(filing, actor, window)
        _require_at_a_window(filing)
    return store_upload(
        filing, material_id=material_id, file=file, actor=actor, window=window, client_ip=client_ip
    )


def store_upload(
    filing: Filing, *, material_id: int, file, actor, window=None, client_ip=None
) -> MaterialUpload:
    """The file for one material of ``filing`` (locked, the actor's right to it checked by the caller),
    checked by its content and size before anything is stored, and logged."""
    entry = filing.checklist.filter(material_id=material_id).first()
    if entry is None:
        raise ValidationError({"material": _("This material is not on this filing's list.")})
    upload = MaterialUpload.objects.create(entry=entry, **checked(file, actor=actor))
    record_step(
        filing,
        step="upload",
        actor=actor,
        client_ip=client_ip,
        window=getattr(window, "number", None),
        material=material_id,
        upload=upload.pk,
    )
    return upload


def answer_filing_correction(
    *, filing_id: int, correction_id: int, answer: str, files=(), actor, window, client_ip=None
):
    """补正: the applicant's answer (note and files) to a request of one of this filing's cases — the
    filing on the clerk's page, or in the API's address; handed in at a window (recorded by a clerk
    there) or sent by the applicant's own account (``answer_correction`` says who may)."""
    if not CorrectionRequest.objects.filter(pk=correction_id, case__filing_id=filing_id).exists():
        raise ValidationError({"correction": _("This correction request is not one of this filing's.")})
    return answer_correction(
        correction_id=correction_id,
        actor=actor,
        answer=answer,
        files=files,
        client_ip=client_ip,
        window=window,
    )


@transaction.atomic
def clear_deficiency(
    *, filing_id: int, material_id: int, status: str, actor, window, client_ip=None
) -> Filing:
    """A material of a 容缺受理 arrives at a window of the filing's centre: recorded; when nothing is
    missing any more, the deficiency is cleared (and the filing may be issued once its cases are
    decided)."""
    filing = _locked(filing_id)
    require_window_clerk(filing, actor, window)
    if not filing.has_open_deficiency:
        raise Conflict(_("This filing has no open deficiency."))
    if status not in SATISFIED:
        raise ValidationError({"status": _("Record how the material was handed in.")})
    status = MaterialStatus(status)
    entry = filing.checklist.select_related("material").filter(material_id=material_id).first()
    if entry is None:
        raise ValidationError({"material": _("This material is not on this filing's list.")})
    if entry.status != MaterialStatus.DEFICIENT:
        raise ValidationError(
            {"material": _("%(material)s was not missing.") % {"material": entry.material.name}}
        )
    entry.status = status
    entry.save(update_fields=["status"])
    _log_records(
        filing, [MaterialRecord(material_id, status)], actor=actor, window=window, client_ip=client_ip
    )
    if not filing.checklist.filter(status=MaterialStatus.DEFICIENT).exists():
        filing.deficiency_cleared_at = timezone.now()
        filing.save(update_fields=["deficiency_cleared_at"])
        record_step(
            filing,
            step="clear_deficiency",
            actor=actor,
            client_ip=client_ip,
            window=getattr(window, "number", None),
        )
        # The cases may all be decided already: then the filing is ready for issue now.
        complete_if_decided(filing, actor=actor, client_ip=client_ip)
    return filing
