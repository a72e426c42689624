"""The citizen's side of a filing (网上申报): a draft started from the account, its materials uploaded or
replaced by e-certificates held in the library (免证), the declaration, a 一次性告知 answered by a
resubmission, a withdrawal, a draft discarded.

Every action runs in one transaction with the filing locked and is written to the filing's log. The
rules are the window's: the applicant is the account's own identity or an organisation it is
authorised for *today*, an e-certificate stands in for a material only if the library holds it for
the applicant, valid, of the type the item accepts (checked again at submit), and the window still
pre-reviews and decides every filing (``services.submit_online`` hands it over).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import AuthorisationKind
from apps.accounts.selectors import authorisations_of
from apps.audit.services import record_step
from apps.audit.transitions import apply_transition
from apps.cases import services
from apps.cases.applicants import ApplicantData, acts_for_applicant
from apps.cases.codes import ApplicantKind, FilingState, MaterialStatus
from apps.cases.models import ChecklistEntry, Filing, MaterialUpload
from apps.catalogue.codes import ItemState
from apps.catalogue.models import ServiceItem
from apps.core.errors import Conflict


def _today():
    return timezone.localdate()


# --- who acts ----------------------------------------------------------------------------------


def _own_draft(filing_id: int, actor) -> Filing:
    """The actor's own unsubmitted online draft, locked. Another account's filing is refused as not
    theirs (the API and the pages answer 404 before this: they look filings up among the visible)."""
    filing = services._locked(filing_id)
    if filing.citizen_id is None or filing.citizen_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the account that started this online filing may change it."))
    if filing.state != FilingState.DRAFT:
        raise Conflict(_("This filing has been submitted already: it can no longer be changed."))
    return filing


def _require_applicant(filing: Filing, actor) -> None:
    if not acts_for_applicant(filing, actor):
        raise PermissionDenied(_("Only the applicant's own account may do this."))


# --- starting a draft --------------------------------------------------------------------------


def applicant_of(citizen, *, organisation_code: str = "", legal_representative: str = "", on=None):
    """The applicant of a new online filing, filled from the account (the person) or from its
    authorisation for ``organisation_code`` today (the organisation, with the account as its legal
    representative or as the agent filing for it). Never typed in: nothing here is the citizen's
    input but the choice of organisation (and an agent's naming of the legal representative)."""
    person = {
        "name": citizen.full_name,
        "id_number": citizen.id_number,
        "phone": getattr(citizen, "phone", "") or "",
    }
    if not organisation_code:
        return ApplicantData(kind=ApplicantKind.PERSON, **person)
    code = organisation_code.strip().upper()
    authorisation = authorisations_of(citizen, on or _today()).filter(credit_code=code).first()
    if authorisation is None:
        raise ValidationError(
            {
                "organisation_code": _(
                    "Your account is not authorised to act for this organisation today (no valid "
                    "authorisation for %(code)s)."
                )
                % {"code": code}
            }
        )
    organisation = {
        "kind": ApplicantKind.ORGANISATION,
        "name": authorisation.organisation_name,
        "id_number": authorisation.credit_code,
        "contact_name": person["name"],
        "contact_phone": person["phone"],
    }
    if authorisation.kind == AuthorisationKind.LEGAL_REPRESENTATIVE:
        return ApplicantData(legal_representative=person["name"], **organisation)
    # An agent (经办人) files with their own identity recorded; the legal representative is named.
    return ApplicantData(
        legal_representative=legal_representative,
        agent_name=person["name"],
        agent_id_number=person["id_number"],
        agent_phone=person["phone"],
        **organisation,
    )


@transaction.atomic
def start_online_filing(
    *,
    citizen,
    centre,
    item_ids: list[int] | None = None,
    bundle=None,
    organisation_code: str = "",
    client_ip=None,
    legal_representative: str = "",
) -> Filing:
    """A new online draft for an item or a bundle of ``centre``, the applicant filled from the
    account or from its authorisation for ``organisation_code``. The materials the applicant holds
    as one valid e-certificate of the accepted type are replaced by it at once (免证: nothing to
    upload); the citizen may drop it and upload instead (``drop_e_certificate``)."""
    applicant = applicant_of(
        citizen, organisation_code=organisation_code, legal_representative=legal_representative
    )
    filing = services.open_online_filing(
        centre=centre,
        applicant=applicant,
        citizen=citizen,
        item_ids=item_ids,
        bundle=bundle,
        client_ip=client_ip,
    )
    _use_held_certificates(filing, actor=citizen, client_ip=client_ip)
    return filing


def _use_held_certificates(filing: Filing, *, actor, client_ip) -> None:
    """Each material for which the applicant holds exactly one valid certificate of an accepted type
    is replaced by it (one UPDATE each, one log line); with several, the citizen chooses."""
    chosen = {
        material_id: certificates[0]
        for material_id, certificates in e_certificate_offers(filing).items()
        if len(certificates) == 1
    }
    for material_id, certificate in chosen.items():
        filing.checklist.filter(material_id=material_id).update(
            status=MaterialStatus.E_CERTIFICATE, certificate_reference=certificate.number
        )
    if chosen:
        record_step(
            filing,
            step="use_e_certificate",
            actor=actor,
            client_ip=client_ip,
            materials=[{"material": m, "certificate": c.number} for m, c in chosen.items()],
        )


# --- e-certificates (免证) ---------------------------------------------------------------------


def _held(holder_code: str, licence_type_ids, *, on=None):
    """The valid certificates of the holder of the given types in the library (one query): the rule of
    ``licences.lookup.valid_certificates``, as rows (the citizen chooses one by its id)."""
    from apps.licences.models import CertificateStatus, ElectronicCertificate

    on = on or _today()
    return (
        ElectronicCertificate.objects.filter(
            holder_code=(holder_code or "").strip().upper(),
            licence_type_id__in=licence_type_ids,
            status=CertificateStatus.VALID,
            valid_from__lte=on,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("licence_type")
        .order_by("licence_type__name", "-issued_on", "pk")
    )


def e_certificate_offers(filing: Filing) -> dict:
    """For each material of the checklist that an e-certificate may replace: the valid certificates
    of that type the applicant holds in the library, {material_id: [ElectronicCertificate, …]}
    (materials with none are left out). Two queries whatever the checklist's length."""
    replaceable = dict(
        filing.checklist.filter(replaceable_by__isnull=False, produced_by__isnull=True).values_list(
            "material_id", "replaceable_by_id"
        )
    )
    if not replaceable:
        return {}
    by_type: dict[int, list] = {}
    for certificate in _held(filing.applicant_id_number, set(replaceable.values())):
        by_type.setdefault(certificate.licence_type_id, []).append(certificate)
    return {
        material_id: by_type[type_id] for material_id, type_id in replaceable.items() if type_id in by_type
    }


def _entry(filing: Filing, material_id: int) -> ChecklistEntry:
    entry = (
        filing.checklist.select_related("material", "replaceable_by").filter(material_id=material_id).first()
    )
    if entry is None:
        raise ValidationError({"material": _("This material is not on this filing's list.")})
    return entry


@transaction.atomic
def use_e_certificate(*, filing_id: int, material_id: int, certificate_id: int, actor, client_ip=None):
    """免证: a certificate the applicant holds stands in for a material of the citizen's own draft —
    only one of the type the item accepts for it, valid today, held by the filing's applicant."""
    filing = _own_draft(filing_id, actor)
    entry = _entry(filing, material_id)
    if entry.replaceable_by_id is None:
        raise ValidationError(
            {
                "certificate": _("No electronic certificate can replace %(material)s.")
                % {"material": entry.material.name}
            }
        )
    certificate = (
        _held(filing.applicant_id_number, [entry.replaceable_by_id]).filter(pk=certificate_id).first()
    )
    if certificate is None:
        raise ValidationError(
            {
                "certificate": _("%(material)s: the applicant holds no such valid %(type)s.")
                % {"material": entry.material.name, "type": entry.replaceable_by.name}
            }
        )
    entry.status, entry.certificate_reference = MaterialStatus.E_CERTIFICATE, certificate.number
    entry.save(update_fields=["status", "certificate_reference"])
    record_step(
        filing,
        step="use_e_certificate",
        actor=actor,
        client_ip=client_ip,
        materials=[{"material": material_id, "certificate": certificate.number}],
    )
    return entry


@transaction.atomic
def drop_e_certificate(*, filing_id: int, material_id: int, actor, client_ip=None):
    """The citizen hands the material in as a file after all: the e-certificate is no longer used."""
    filing = _own_draft(filing_id, actor)
    entry = _entry(filing, material_id)
    if entry.status != MaterialStatus.E_CERTIFICATE:
        return entry
    entry.status, entry.certificate_reference = MaterialStatus.PENDING, ""
    entry.save(update_fields=["status", "certificate_reference"])
    record_step(filing, step="drop_e_certificate", actor=actor, client_ip=client_ip, material=material_id)
    return entry


# --- files and the declaration -----------------------------------------------------------------


def _delete_files_on_commit(files) -> None:
    """The stored files deleted once the rows are gone for good (a rolled-back transaction keeps
    both) — each only if no other row refers to it (a resubmission shares its files, ``_copy``)."""
    stored = [(f.storage, f.name) for f in files if f]

    def delete():
        referred = set(
            MaterialUpload.objects.filter(file__in=[name for _storage, name in stored]).values_list(
                "file", flat=True
            )
        )
        for storage, name in stored:
            if name not in referred:
                storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def remove_upload(*, filing_id: int, upload_id: int, actor, client_ip=None) -> None:
    """A file of the citizen's own draft removed (row and stored file)."""
    filing = _own_draft(filing_id, actor)
    upload = MaterialUpload.objects.select_related("entry").filter(pk=upload_id, entry__filing=filing).first()
    if upload is None:
        raise ValidationError({"upload": _("This file is not one of this filing's.")})
    material_id = upload.entry.material_id
    upload.delete()
    _delete_files_on_commit([upload.file])
    record_step(
        filing, step="remove_upload", actor=actor, client_ip=client_ip, material=material_id, upload=upload_id
    )


@transaction.atomic
def declare(*, filing_id: int, actor, client_ip=None) -> Filing:
    """承诺: the applicant declares the materials true, complete and their own (required to submit)."""
    filing = _own_draft(filing_id, actor)
    filing.declared_at = timezone.now()
    filing.save(update_fields=["declared_at"])
    record_step(filing, step="declare", actor=actor, client_ip=client_ip)
    return filing


def missing_for_submit(filing: Filing) -> list[ChecklistEntry]:
    """The required materials (必要, not produced by the filing itself) with neither a file nor an
    e-certificate: what the window would return the filing for at once. (A 容缺后补 material may
    follow later: the window decides; an optional one is the applicant's choice.)"""
    from apps.catalogue.codes import Necessity

    return list(
        filing.checklist.filter(necessity=Necessity.REQUIRED, produced_by__isnull=True)
        .exclude(status=MaterialStatus.E_CERTIFICATE)
        .filter(uploads__isnull=True)
        .select_related("material")
        .order_by("order", "pk")
    )


def check_before_submit(filing: Filing, actor) -> None:
    """What ``services.submit_online`` asks of a draft beyond its owner: the declaration, every
    required material, each e-certificate still valid and held, the applicant still the account's
    own or an organisation it is authorised for today. All refusals at once, each naming its
    material."""
    from apps.cases.applicants import require_own_identity

    errors: dict[str, list[str]] = {}
    if filing.declared_at is None:
        errors["declaration"] = [_("Make the declaration before submitting.")]
    missing = missing_for_submit(filing)
    if missing:
        errors["materials"] = [
            _("%(material)s is required: upload it or use an e-certificate.") % {"material": e.material.name}
            for e in missing
        ]
    used = list(
        filing.checklist.filter(status=MaterialStatus.E_CERTIFICATE).select_related(
            "material", "replaceable_by"
        )
    )
    if used:
        held = {
            (c.licence_type_id, c.number)
            for c in _held(filing.applicant_id_number, {e.replaceable_by_id for e in used})
        }
        for entry in used:
            if (entry.replaceable_by_id, entry.certificate_reference) not in held:
                errors.setdefault("materials", []).append(
                    _("%(material)s: e-certificate %(number)s is no longer valid; upload the material.")
                    % {"material": entry.material.name, "number": entry.certificate_reference}
                )
    try:
        require_own_identity(actor, ApplicantData.from_mapping(filing.__dict__), on=_today())
    except ValidationError as error:
        errors.setdefault("applicant", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


# --- after the window's answer -----------------------------------------------------------------


def _current_items(filing: Filing) -> list[int]:
    """The published versions today of the items the filing was made for (a new filing is made under
    the catalogue as it is now, as at a window)."""
    lineages = ServiceItem.objects.filter(filingitem__filing=filing).values("lineage_id")
    return list(
        ServiceItem.objects.filter(lineage_id__in=lineages, state=ItemState.PUBLISHED).values_list(
            "pk", flat=True
        )
    )


@transaction.atomic
def resubmit_returned(*, filing_id: int, actor, client_ip=None) -> Filing:
    """一次性告知 answered online: a new draft for the same item(s) or bundle and applicant, linked to
    the returned filing (``resubmission_of``), with the files and e-certificates of every material
    that was *not* on the completion list carried over; the listed ones are to supply. Once per
    returned filing: a second call is a ``Conflict`` naming the resubmission made."""
    original = services._locked(filing_id)
    _require_applicant(original, actor)
    if original.state != FilingState.RETURNED:
        raise Conflict(_("Only a filing returned for completion (一次性告知) is resubmitted."))
    existing = original.resubmissions.first()
    if existing is not None:
        raise Conflict(
            _("This filing has been resubmitted already as %(number)s.") % {"number": existing.number}
        )
    applicant = ApplicantData.from_mapping(original.__dict__)
    if applicant.kind == ApplicantKind.ORGANISATION and original.citizen_id != actor.pk:
        # Another authorised account of the organisation answers: the agent is now this account.
        applicant = applicant_of(
            actor,
            organisation_code=original.applicant_id_number,
            legal_representative=original.legal_representative,
        )
    filing = services.open_online_filing(
        centre=original.centre,
        applicant=applicant,
        citizen=actor,
        item_ids=None if original.bundle_id else _current_items(original),
        bundle=original.bundle,
        client_ip=client_ip,
    )
    filing.resubmission_of = original
    filing.save(update_fields=["resubmission_of"])
    carried = _carry_over(original, filing)
    record_step(
        filing, step="resubmission", actor=actor, client_ip=client_ip, of=original.number, carried=carried
    )
    record_step(original, step="resubmitted", actor=actor, client_ip=client_ip, resubmission=filing.number)
    return filing


def _carry_over(original: Filing, filing: Filing) -> list[int]:
    """What the applicant handed in for each material not on the completion list — its files and its
    e-certificate — carried to the new draft. The materials carried."""
    to_supply = {row.get("material") for row in original.completion_list}
    before = {
        entry.material_id: entry
        for entry in original.checklist.prefetch_related("uploads")
        if entry.material_id not in to_supply
    }
    carried = []
    for entry in filing.checklist.all():
        old = before.get(entry.material_id)
        if old is None:
            continue
        if old.status == MaterialStatus.E_CERTIFICATE and entry.replaceable_by_id == old.replaceable_by_id:
            entry.status, entry.certificate_reference = (
                MaterialStatus.E_CERTIFICATE,
                old.certificate_reference,
            )
            entry.save(update_fields=["status", "certificate_reference"])
            carried.append(entry.material_id)
        copies = [_copy(upload, entry) for upload in old.uploads.all()]
        if copies and entry.material_id not in carried:
            carried.append(entry.material_id)
    return carried


def _copy(upload: MaterialUpload, entry: ChecklistEntry) -> MaterialUpload:
    # The same stored file under a second row (no bytes copied, nothing left behind if the
    # transaction rolls back): a file is deleted only when no row refers to it any more.
    return MaterialUpload.objects.create(
        entry=entry,
        file=upload.file.name,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=upload.uploaded_by,
    )


@transaction.atomic
def withdraw_online(*, filing_id: int, reason: str, actor, client_ip=None) -> Filing:
    """撤回 by the applicant's own account, while the graph allows it (submitted, accepted …), with
    the filing's cases withdrawn and their clocks stopped as at a window. Not while a window has it
    in pre-review (ask that window), not a draft (discard it instead)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why you withdraw this filing.")})
    filing = services._locked(filing_id)
    _require_applicant(filing, actor)
    if filing.state == FilingState.DRAFT:
        raise Conflict(_("A draft is not withdrawn: discard it instead."))
    if filing.state == FilingState.PRE_REVIEW:
        raise Conflict(_("A window is pre-reviewing this filing: it cannot be withdrawn online now."))
    apply_transition(
        filing, "withdraw", actor=actor, comment=reason.strip(), client_ip=client_ip, online=True
    )
    filing.save(update_fields=["state"])
    services.withdraw_cases(filing, reason=reason.strip(), actor=actor, client_ip=client_ip)
    return filing


@transaction.atomic
def discard_draft(*, filing_id: int, actor, client_ip=None) -> None:
    """An unsubmitted online draft deleted with its files (the log keeps that it was discarded)."""
    filing = _own_draft(filing_id, actor)
    files = [u.file for u in MaterialUpload.objects.filter(entry__filing=filing)]
    record_step(filing, step="discard", actor=actor, client_ip=client_ip, number=filing.number)
    filing.delete()
    _delete_files_on_commit(files)
