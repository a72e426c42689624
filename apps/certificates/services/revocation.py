"""Revocation (撤销) and cancellation (注销) of an issued certificate, by a decision-maker of the issuing
department; the library entry follows and verification answers accordingly."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.accounts.selectors import holds_role
from apps.audit.transitions import apply_transition
from apps.cases.messages import tell_applicant
from apps.certificates.models import (
    DocumentKind,
    IssuedDocument,
)
from apps.certificates.services.issuing import REVOKE
from apps.core.errors import Conflict
from apps.licences.models import ElectronicCertificate, RevocationMode

# --- revocation ------------------------------------------------------------------------------------

# The legal term each mode is written down with, in the reason the library and the applicant read
# (Chinese whatever the reader's language: it names the act).
LEGAL_TERM = {RevocationMode.REVOKE: "撤销", RevocationMode.CANCEL: "注销"}


def may_revoke(user, document: IssuedDocument) -> bool:
    return user.has_perm(REVOKE) and holds_role(
        user, Role.DECISION_MAKER, department_id=document.department_id
    )


@transaction.atomic
def revoke(
    *, document_id: int, actor, reason: str, mode: str = RevocationMode.REVOKE, client_ip=None
) -> IssuedDocument:
    """撤销 / 注销 a certificate: the library and the verification page say so from this commit on.
    ``mode`` is the library entry's transition (``RevocationMode``)."""
    document = IssuedDocument.objects.select_related("filing").get(pk=document_id)
    if not may_revoke(actor, document):
        raise PermissionDenied(
            _("Only a decision-maker of the issuing department may revoke its certificates.")
        )
    if mode not in RevocationMode.values:
        raise ValidationError({"mode": _("Revoke (撤销) or cancel (注销).")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    if document.kind != DocumentKind.CERTIFICATE:
        raise ValidationError(_("A decision of denial is not a certificate: it cannot be revoked."))
    entry = ElectronicCertificate.objects.select_for_update().get(pk=document.library_entry_id)
    try:
        apply_transition(entry, mode, actor=actor, comment=reason, client_ip=client_ip, field="status")
    except Conflict:
        # The graph has one final status, whether it was reached by revoking or by cancelling.
        raise Conflict(_("This certificate was revoked already.")) from None
    text = f"{LEGAL_TERM[RevocationMode(mode)]}：{reason.strip()}"
    entry.revoked_at, entry.revocation_reason = timezone.now(), text
    entry.save(update_fields=["status", "revoked_at", "revocation_reason"])
    tell_applicant(
        document.filing,
        "certificate_revoked",
        certificate=f"{document.title} {document.number}",
        reason=text,
    )
    return document
