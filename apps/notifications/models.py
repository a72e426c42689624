"""The notification outbox (消息通知): one row per message to one recipient through one channel,
written in the transaction of the event it tells about, delivered afterwards by a Celery task.

A row's ``key`` is its idempotency key: every delivery attempt carries it, so that a gateway (or the
recipient's mailbox) sees a retry after a crash as the same message, not a new one. Nothing is
deleted: a delivered row keeps when and after how many attempts.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SITE = "site", _("In-site message")  # 站内信
    SMS = "sms", _("SMS")  # 短信
    EMAIL = "email", _("Email")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # attempts exhausted: an operator looks at it


class MessageTemplate(models.Model):
    """The wording of one event's message in one language, editable in the admin (Django template
    syntax over the event's context, e.g. ``{{ filing_number }}``)."""

    event = models.CharField(_("event"), max_length=40)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="template_one_per_language")
        ]

    def __str__(self):
        return f"{self.event} ({self.language})"


class Outbox(models.Model):
    key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True, help_text=_("Phone or email."))
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    context = models.JSONField(_("context"), default=dict)
    # What the event concerns, for the history of a filing or case ("cases.filing:12").
    subject_ref = models.CharField(_("concerns"), max_length=80, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["created_at", "pk"]
        indexes = [
            # The delivery task's queue: pending rows due now, oldest first.
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(state="pending"), name="outbox_pending"
            ),
            models.Index(fields=["subject_ref", "created_at"], name="outbox_subject"),
        ]

    def __str__(self):
        return f"{self.event} → {self.channel} {self.address or self.user_id} [{self.state}]"


class SiteMessage(models.Model):
    """An in-site message (站内信) in a user's inbox; one per outbox row (its key), however often the
    delivery ran."""

    key = models.UUIDField(unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    # What it is about, as its outbox row says ("cases.filing:12"): the inbox links to it.
    subject_ref = models.CharField(_("concerns"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("in-site message")
        verbose_name_plural = _("in-site messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="sitemessage_inbox")]

    def __str__(self):
        return self.subject
