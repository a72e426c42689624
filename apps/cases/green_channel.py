"""The green channel (绿色通道): a key project (重点项目) flagged by staff goes first on every desk — the
windows' lists (pre-review and today's), the departments' case queues and the certificate desk.

Flagged (with its reason) or unflagged by a window clerk or a supervisor of the filing's centre, or by
the assistant following it (帮办代办); each flag and unflag is in the filing's log. The desks' lists
put flagged filings first with ``green_first``, whatever else they are sorted by.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role
from apps.accounts.selectors import holds_any_role
from apps.audit.services import record_step
from apps.cases import services
from apps.cases.assistance import FINISHED
from apps.cases.models import Case, Filing
from apps.core.errors import Conflict

REASON_MAX_LENGTH = Filing._meta.get_field("green_channel_reason").max_length


def may_flag(filing: Filing, user) -> bool:
    """Whether ``user`` may put the filing in the green channel or take it out (one query at most)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if filing.assistant_id is not None and filing.assistant_id == user.pk:
        return True
    return holds_any_role(user, [Role.CLERK, Role.SUPERVISOR], centre_id=filing.centre_id)


def flaggable_by(user) -> QuerySet[Filing]:
    """The filings ``user`` may flag: those of the centres where they are a window clerk or a
    supervisor, and the assisted filings they follow (the desk's form answers 404 for any other)."""
    if not getattr(user, "is_authenticated", False):
        return Filing.objects.none()
    centres = StaffMembership.objects.filter(user=user, role__in=[Role.CLERK, Role.SUPERVISOR]).values(
        "centre_id"
    )
    return Filing.objects.filter(Q(centre_id__in=centres) | Q(assistant=user))


def _flaggable(filing_id: int, actor) -> Filing:
    filing = services._locked(filing_id)
    if not may_flag(filing, actor):
        raise PermissionDenied(
            _("Only a window clerk or a supervisor of this service centre, or its assistant, may do this.")
        )
    if filing.state in FINISHED:
        raise Conflict(_("This filing has ended (%(state)s).") % {"state": filing.get_state_display()})
    return filing


def _save_flag(filing: Filing) -> None:
    filing.save(
        update_fields=["green_channel", "green_channel_reason", "green_channel_by", "green_channel_at"]
    )
    # The departments' queues sort by the case's copy, from their index (Case.green_channel).
    Case.objects.filter(filing=filing).update(green_channel=filing.green_channel)


@transaction.atomic
def flag_green_channel(*, filing_id: int, reason: str, actor, client_ip=None) -> Filing:
    """绿色通道 for this filing from now on, for the reason given (a key project, …)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why this filing goes through the green channel.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}}
        )
    filing = _flaggable(filing_id, actor)
    if filing.green_channel:
        raise Conflict(_("This filing is in the green channel already."))
    filing.green_channel, filing.green_channel_reason = True, reason
    filing.green_channel_by, filing.green_channel_at = actor, timezone.now()
    _save_flag(filing)
    record_step(filing, step="flag_green_channel", actor=actor, comment=reason, client_ip=client_ip)
    return filing


@transaction.atomic
def unflag_green_channel(*, filing_id: int, actor, reason: str = "", client_ip=None) -> Filing:
    """The filing leaves the green channel (its flag's reason stays in the log)."""
    filing = _flaggable(filing_id, actor)
    if not filing.green_channel:
        raise Conflict(_("This filing is not in the green channel."))
    filing.green_channel, filing.green_channel_reason = False, ""
    filing.green_channel_by, filing.green_channel_at = None, None
    _save_flag(filing)
    record_step(
        filing,
        step="unflag_green_channel",
        actor=actor,
        comment=" ".join((reason or "").split()),
        client_ip=client_ip,
    )
    return filing


def green_first(queryset: QuerySet, filing_path: str = "") -> QuerySet:
    """``queryset`` with the green channel's filings first, then in its own order (a list's default
    or the sort chosen): ``filing_path`` leads from its rows to their filing (none for filings, and for
    cases, which carry a copy of the flag; ``"filing__"`` for issue requests)."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return queryset.order_by(F(f"{filing_path}green_channel").desc(), *order)
