"""The seal registry's suspensions and reinstatements, by a seal keeper of the seal's centre."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.transitions import apply_transition
from apps.certificates.models import (
    Seal,
    SealStatus,
    keeps_seals_at,
)
from apps.core.errors import Conflict

# The status asked for, and the seal's transition that leads to it.
TRANSITION_TO = {SealStatus.SUSPENDED: "suspend", SealStatus.ACTIVE: "reinstate"}


@transaction.atomic
def set_seal_status(*, seal_id: int, actor, status: str, reason: str, client_ip=None) -> Seal:
    """Suspend a seal (lost, damaged, under review) or put it back in use; either needs a reason. Only
    a seal keeper of the seal's centre (its department's) may; the seal's graph says whether it can
    now (a seal in use is not reinstated, nor one whose department has another seal in use)."""
    seal = Seal.objects.select_for_update(of=("self",)).select_related("department").get(pk=seal_id)
    if not keeps_seals_at(actor, seal.department.centre_id):
        raise PermissionDenied(
            _("Only a seal keeper of the seal's service centre suspends or reinstates it.")
        )
    if status not in TRANSITION_TO:
        raise ValidationError({"status": _("Choose in use or suspended.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    apply_transition(
        seal, TRANSITION_TO[status], actor=actor, comment=reason, client_ip=client_ip, field="status"
    )
    seal.status_changed_at, seal.status_reason = timezone.now(), reason.strip()
    try:
        with transaction.atomic():
            seal.save(update_fields=["status", "status_changed_at", "status_reason"])
    except IntegrityError:
        # Another seal of the department put in use since the condition was read.
        raise Conflict(_("Another seal of this department is in use: suspend it first.")) from None
    return seal
