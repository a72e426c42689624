"""The one way a state changes: check the graph, transition, record — inside the caller's transaction.

Services lock the row with ``select_for_update()`` first, so that of two people acting at once the
second sees the first one's state here and gets a ``Conflict``, never a double transition.

The graph is the only rule source: a transition's source states, its conditions (about the object)
and its permission (about who acts) decide both what a desk or the API offers
(``get_available_user_<field>_transitions``) and what ``apply_transition`` refuses. A condition or a
permission carries the words it refuses with (``refuses``), so that a refused action is worded from
the rule that refused it: a failed condition is a ``Conflict`` (409: not now), a failed permission a
``PermissionDenied`` (403: not you).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from apps.audit.services import record_transition
from apps.core.errors import Conflict


def state_label(obj, field: str = "state") -> str:
    return str(getattr(obj, f"get_{field}_display")())


def refuses(reason, *, error=None):
    """Give a transition's condition or permission the words it refuses with.

    ``reason`` is a (lazy) string, or a callable taking the check's own arguments — ``(obj)`` for a
    condition, ``(obj, user)`` for a permission — and returning one, for words that name someone.
    ``error`` overrides the kind of refusal: a claim held by someone else fails a permission, but it
    is a conflict about the object (409), not a missing right."""

    def mark(check):
        check.refusal = reason
        check.refusal_error = error
        return check

    return mark


def every(*checks):
    """One permission made of several, each refusing in its own words (django-fsm takes one)."""

    def permission(obj, user) -> bool:
        return all(check(obj, user) for check in checks)

    permission.checks = checks
    permission.__name__ = "_and".join(check.__name__ for check in checks)
    return permission


def _not_now(obj, field: str) -> str:
    return _("Not possible now: it is %(state)s.") % {"state": state_label(obj, field)}


def _refused(check, args, default_error, default_reason) -> Exception:
    reason = getattr(check, "refusal", None) or default_reason
    if callable(reason):
        reason = reason(*args)
    return (getattr(check, "refusal_error", None) or default_error)(reason)


def refusal(obj, name: str, *, actor=None, check_permission: bool = True) -> Exception | None:
    """Why transition ``name`` of ``obj`` is not possible now for ``actor``, or None if it is.

    The state first, then the conditions, then — for a person (``actor`` given) — the permission.
    ``actor=None`` is the hall's own rule acting (a sweep): permissions say which people may act."""
    meta = getattr(obj, name)._django_fsm
    state = meta.field.get_state(obj)
    transition = meta.get_transition(state) if meta.has_transition(state) else None
    if transition is None:
        return Conflict(_not_now(obj, meta.field.name))
    for condition in transition.conditions:
        if not condition(obj):
            return _refused(condition, (obj,), Conflict, _not_now(obj, meta.field.name))
    if not check_permission or actor is None or transition.has_perm(obj, actor):
        return None
    permission = transition.permission
    for check in getattr(permission, "checks", (permission,)):
        if callable(check) and not check(obj, actor):
            return _refused(check, (obj, actor), PermissionDenied, _("You may not do this."))
    return PermissionDenied(_("You may not do this."))  # a permission codename the user lacks


def check_transition(obj, name: str, *, actor=None, check_permission: bool = True) -> None:
    """Refuse (``Conflict`` or ``PermissionDenied``, worded from the failed rule) unless transition
    ``name`` is possible now for ``actor``: for a service that checks before its side effects."""
    refused = refusal(obj, name, actor=actor, check_permission=check_permission)
    if refused is not None:
        raise refused


def apply_transition(
    obj,
    name: str,
    *,
    actor=None,
    comment: str = "",
    client_ip=None,
    field="state",
    check_permission: bool = True,
    **context,
):
    """Run transition ``name`` on ``obj`` and append it to the transition log; the caller saves ``obj``.

    Refused as ``check_transition`` says. ``check_permission=False`` is for a service that has
    authorised ``actor`` itself as someone the graph's permission does not name (the applicant whose
    answer to a correction resumes the case); the conditions hold for everyone."""
    check_transition(obj, name, actor=actor, check_permission=check_permission)
    from_state = getattr(obj, field)
    getattr(obj, name)()
    record_transition(
        obj,
        transition=name,
        from_state=from_state,
        to_state=getattr(obj, field),
        actor=actor,
        comment=comment,
        client_ip=client_ip,
        **context,
    )
