from django.contrib.contenttypes.models import ContentType

from apps.audit.anchors import anchors_of
from apps.audit.models import TransitionLog


def _created(model, **values):
    """One INSERT; an anchor read by a subquery in it is left for the row to load if ever read."""
    entry = model.objects.create(**values)
    for column, value in values.items():
        if hasattr(value, "resolve_expression"):
            del entry.__dict__[column]
    return entry


def record_transition(
    subject,
    *,
    transition: str,
    from_state: str,
    to_state: str,
    actor=None,
    comment: str = "",
    client_ip: str | None = None,
    **context,
) -> TransitionLog:
    """Append one entry; call inside the transaction that performs the transition."""
    return _created(
        TransitionLog,
        **anchors_of(subject),
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        object_id=str(subject.pk),
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment,
        client_ip=client_ip or None,
        context=context,
    )


def record_step(subject, *, step: str, actor=None, comment: str = "", client_ip=None, **context):
    """A logged step that leaves the subject's state as it is (an extension, a deficiency cleared, an
    escalation acknowledged, a draft edited), or an action on an object with no state graph (a
    password change): the transition log with from = to = its state, if it has one."""
    state = str(getattr(subject, "state", "") or "")
    return record_transition(
        subject,
        transition=step,
        from_state=state,
        to_state=state,
        actor=actor,
        comment=comment,
        client_ip=client_ip,
        **context,
    )


def record_disclosure(subject, *, what: str, purpose: str, viewer, client_ip: str | None = None):
    """Note that ``viewer`` was shown ``what`` of ``subject`` in full (e.g. an identity number)."""
    from apps.audit.models import DisclosureLog

    return _created(
        DisclosureLog,
        **anchors_of(subject),
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        object_id=str(subject.pk),
        what=what,
        purpose=purpose,
        viewer=viewer,
        client_ip=client_ip or None,
    )


def record_lookup(*, what: str, purpose: str, viewer, looked_up: str, client_ip: str | None = None):
    """Note that ``viewer`` looked personal data up by ``looked_up`` (a holder's identity number or
    credit code) and was shown ``what`` matched: one row per lookup, whether or not anything did."""
    from apps.audit.models import DisclosureLog

    return DisclosureLog.objects.create(
        looked_up=looked_up, what=what, purpose=purpose, viewer=viewer, client_ip=client_ip or None
    )
