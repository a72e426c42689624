"""Who may act on a filing at the window: the checks every front-desk service makes first, with the
filing locked, so that the desk, the API and any future caller obey the same rules.

- The actor is a window clerk *at the filing's centre* (a clerk elsewhere, or a supervisor here, is
  not), working at one of their own windows there.
- A citizen's online draft is theirs until they submit it: no window records or decides on it.
- An online filing in pre-review is decided or handed back only by the clerk who took it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role
from apps.cases.codes import DRAFTED_AWAY, FilingState
from apps.cases.models.filing import pre_reviewer_acts
from apps.core.errors import Conflict


def _clerk_windows(user_id: int | None, centre_id: int) -> set[int | None]:
    """The windows the user works at as a clerk of the centre (``None``: a clerk without a window)."""
    # Asked by every window action, twice for each filing the window takes in: a plain cursor costs a
    # tenth of the ORM's query building for this one-index read (the intake benchmark).
    table = StaffMembership._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT window_id FROM {table} WHERE user_id = %s AND role = %s AND centre_id = %s",  # noqa: S608
            [user_id, Role.CLERK.value, centre_id],
        )
        return {window_id for (window_id,) in cursor.fetchall()}


def require_window_clerk_at(centre_id: int, actor, window) -> None:
    """The actor is a clerk at that centre and ``window`` is one of their windows there (one query)."""
    windows = _clerk_windows(getattr(actor, "pk", None), centre_id)
    if not windows or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Only a window clerk of this service centre may do this."))
    if window is None:
        raise ValidationError(
            {"window": _("This is done at a window: you have no window at this service centre.")}
        )
    if window.pk not in windows:
        raise ValidationError({"window": _("Use your own window at this service centre.")})


def require_window_clerk(filing, actor, window) -> None:
    require_window_clerk_at(filing.centre_id, actor, window)


def require_not_a_citizen_draft(filing) -> None:
    if filing.channel in DRAFTED_AWAY and filing.state == FilingState.DRAFT:
        raise Conflict(_("This filing has not been submitted to the windows yet."))


def require_pre_reviewer(filing, actor) -> None:
    """In pre-review, only the clerk who took the filing to their window acts on it: the Filing graph's
    permission (``pre_reviewer_acts``), asked here too for the services that act without a transition
    (the checklist) and before any side effect."""
    if not pre_reviewer_acts(filing, actor):
        raise Conflict(pre_reviewer_acts.refusal(filing, actor))


def require_window_action(filing, actor, window) -> None:
    """Everything a window decision or checklist entry needs of who acts and where."""
    require_window_clerk(filing, actor, window)
    require_not_a_citizen_draft(filing)
    require_pre_reviewer(filing, actor)
