"""Writing messages to the outbox (in the caller's transaction) and delivering them.

Domain apps call ``notify`` in the transaction of the event; this app imports no domain app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.utils import timezone

from apps.notifications import channels
from apps.notifications.models import Channel, MessageTemplate, Outbox, OutboxState
from apps.notifications.phones import mobile_number


@dataclass(frozen=True)
class Recipient:
    """Who is told: an account (in-site message, always when there is one), a mobile phone (SMS; any
    other number is not texted), an email."""

    user_id: int | None = None
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Message:
    event: str
    recipients: list[Recipient]
    context: dict
    concerns: str = ""  # what the event is about, e.g. "cases.filing:12"


def _rows(message: Message) -> list[Outbox]:
    rows = []
    common = {"event": message.event, "context": message.context, "subject_ref": message.concerns}
    for r in message.recipients:
        if r.user_id:
            rows.append(Outbox(channel=Channel.SITE, user_id=r.user_id, **common))
        # Only a mobile number receives an SMS: a landline would take the message and tell no one.
        if mobile := mobile_number(r.phone):
            rows.append(Outbox(channel=Channel.SMS, address=mobile, user_id=r.user_id, **common))
        if r.email:
            rows.append(Outbox(channel=Channel.EMAIL, address=r.email, user_id=r.user_id, **common))
    return rows


def notify_all(messages: list[Message]) -> list[Outbox]:
    """One outbox row per message, recipient and channel, written with the caller's transaction
    (one INSERT for all of them)."""
    rows = [row for message in messages for row in _rows(message)]
    return Outbox.objects.bulk_create(rows) if rows else []


def notify(event: str, recipients: list[Recipient], *, context: dict, concerns: str = "") -> list[Outbox]:
    return notify_all([Message(event, recipients, context, concerns)])


def render(event: str, language: str, context: dict) -> tuple[str, str]:
    """The message's subject and text from its editable template (Chinese when the language has none)."""
    template = (
        MessageTemplate.objects.filter(event=event, language=language).first()
        or MessageTemplate.objects.filter(event=event, language=settings.LANGUAGE_CODE).first()
    )
    if template is None:
        return event, ", ".join(f"{k}: {v}" for k, v in sorted(context.items()))
    ctx = Context(context, autoescape=False)
    return Template(template.subject).render(ctx).strip(), Template(template.body).render(ctx).strip()


def _send(row: Outbox) -> None:
    subject, body = render(row.event, row.language, row.context)
    if row.channel == Channel.SITE:
        channels.send_site(
            key=row.key, user_id=row.user_id, subject=subject, body=body, concerns=row.subject_ref
        )
    elif row.channel == Channel.SMS:
        channels.send_sms(key=row.key, phone=row.address, subject=subject, body=body)
    else:
        channels.send_email(key=row.key, address=row.address, subject=subject, body=body)


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, … capped at an hour."""
    return dt.timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryRun:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def deliver_due(limit: int = 200) -> DeliveryRun:
    """Deliver pending messages that are due, oldest first, each in its own transaction with its row
    locked (rows another worker holds are skipped). A worker lost between sending and committing
    leaves the row pending: it is sent again, with the same key (at least once, never lost)."""
    run = DeliveryRun()
    now = timezone.now()
    due = (
        Outbox.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in list(due):
        with transaction.atomic():
            # Re-read under the lock with the whole due condition: the list above may be stale, and
            # another worker may have tried the row since and moved its next attempt on (backoff).
            row = (
                Outbox.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=OutboxState.PENDING, next_attempt_at__lte=timezone.now())
                .first()
            )
            if row is None:
                continue
            row.attempts += 1
            try:
                _send(row)
            except Exception as error:  # noqa: BLE001 - any failure of a channel is retried
                row.last_error = f"{type(error).__name__}: {error}"[:2000]
                if row.attempts >= settings.HALL_NOTIFY_MAX_ATTEMPTS:
                    row.state = OutboxState.FAILED
                    run.failed += 1
                else:
                    row.next_attempt_at = timezone.now() + backoff(row.attempts)
                    run.retried += 1
            else:
                row.state, row.sent_at = OutboxState.SENT, timezone.now()
                run.sent += 1
            row.save(update_fields=["attempts", "state", "sent_at", "last_error", "next_attempt_at"])
    return run
