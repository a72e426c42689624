"""Revocation (撤销) and cancellation (注销) of an issued certificate, by a decision-maker of the issuing
department; the library entry follows and verification answers accordingly."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.selectors import holds_role
from apps.audit.services import record_transition
from apps.cases.messages import tell_applicant
from apps.certificates.models import (
    DocumentKind,
    IssuedDocument,
)
from apps.certificates.services.issuing import REVOKE
from apps.core.errors import Conflict
from apps.licences.models import CertificateStatus, ElectronicCertificate

# --- revocation ------------------------------------------------------------------------------------

REVOCATION_MODES = {"revoke": "撤销", "cancel": "注销"}


def may_revoke(user, document: IssuedDocument) -> bool:
    return user.has_perm(REVOKE) and holds_role(user, "decision_maker", department_id=document.department_id)


@transaction.atomic
def revoke(*, document_id: int, actor, reason: str, mode: str = "revoke", client_ip=None) -> IssuedDocument:
    """撤销 / 注销 a certificate: the library and the verification page say so from this commit on."""
    document = IssuedDocument.objects.select_related("filing").get(pk=document_id)
    if not may_revoke(actor, document):
        raise PermissionDenied(
            _("Only a decision-maker of the issuing department may revoke its certificates.")
        )
    if mode not in REVOCATION_MODES:
        raise ValidationError({"mode": _("Revoke (撤销) or cancel (注销).")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    if document.kind != DocumentKind.CERTIFICATE:
        raise ValidationError(_("A decision of denial is not a certificate: it cannot be revoked."))
    entry = ElectronicCertificate.objects.select_for_update().get(pk=document.library_entry_id)
    if entry.status != CertificateStatus.VALID:
        raise Conflict(_("This certificate was revoked already."))
    text = f"{REVOCATION_MODES[mode]}：{reason.strip()}"
    entry.status, entry.revoked_at, entry.revocation_reason = CertificateStatus.REVOKED, timezone.now(), text
    entry.save(update_fields=["status", "revoked_at", "revocation_reason"])
    record_transition(
        entry,
        transition=mode,
        from_state=CertificateStatus.VALID,
        to_state=CertificateStatus.REVOKED,
        actor=actor,
        comment=reason,
        client_ip=client_ip,
    )
    tell_applicant(
        document.filing,
        "certificate_revoked",
        certificate=f"{document.title} {document.number}",
        reason=text,
    )
    return document
