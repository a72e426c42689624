"""The one way a state changes: check the graph, transition, record — inside the caller's transaction.

Services lock the row with ``select_for_update()`` first, so that of two people acting at once the
second sees the first one's state here and gets a ``Conflict``, never a double transition.
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from apps.audit.services import record_transition


class Conflict(Exception):
    """The action is not possible in the object's current state (HTTP 409 in the API)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def state_label(obj, field: str = "state") -> str:
    return str(getattr(obj, f"get_{field}_display")())


def apply_transition(
    obj, name: str, *, actor=None, comment: str = "", client_ip=None, field="state", **context
):
    """Run transition ``name`` on ``obj`` and append it to the transition log; the caller saves ``obj``."""
    method = getattr(obj, name)
    if not can_proceed(method):
        raise Conflict(_("Not possible now: it is %(state)s.") % {"state": state_label(obj, field)})
    from_state = getattr(obj, field)
    method()
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


def error_text(error: Exception) -> str:
    """One line for people from a refused action (a broken rule or a conflict)."""
    from django.core.exceptions import ValidationError

    if isinstance(error, ValidationError):
        return "；".join(str(m) for m in error.messages)
    return str(getattr(error, "message", error))
