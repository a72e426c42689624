"""The one way a state changes: check the graph, transition, record — inside the caller's transaction.

Services lock the row with ``select_for_update()`` first, so that of two people acting at once the
second sees the first one's state here and gets a ``Conflict``, never a double transition.
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from apps.audit.services import record_transition
from apps.core.errors import Conflict


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
