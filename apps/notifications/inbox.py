"""A user's in-site messages (站内信): what the inbox lists and counts, and opening one.

Each message is its owner's alone: another user's message is not found (404), never refused, so
that the numbers of other people's messages tell nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.notifications.models import SiteMessage


def inbox_of(user) -> QuerySet[SiteMessage]:
    """The user's messages, unread first, each group newest first."""
    if not getattr(user, "is_authenticated", False):
        return SiteMessage.objects.none()
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        SiteMessage.objects.filter(user=user)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-pk")
    )


def unread_count(user) -> int:
    """One COUNT over the ``sitemessage_inbox`` index (user, read_at)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return SiteMessage.objects.filter(user=user, read_at__isnull=True).count()


def message_of(user, pk) -> SiteMessage:
    """The user's own message (404 for anyone else's)."""
    return get_object_or_404(inbox_of(user), pk=pk)


@transaction.atomic
def open_message(*, message_id: int, user) -> SiteMessage:
    """Opening a message marks it read, once: the first time it was read is kept."""
    message = message_of(user, message_id)
    if message.read_at is None:
        # A conditional UPDATE: two tabs opening the same message at once keep the first time.
        now = timezone.now()
        SiteMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.read_at = now
        message.unread = False
    return message


def concerns(message: SiteMessage) -> tuple[str, int] | None:
    """What the message is about, from its reference ("cases.filing:12" → ("cases.filing", 12))."""
    label, _, pk = (message.subject_ref or "").partition(":")
    return (label, int(pk)) if label and pk.isdigit() else None
