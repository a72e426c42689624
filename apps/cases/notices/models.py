"""Official notices of the front desk: 受理通知书, 容缺受理通知书, 一次性告知书, 不予受理通知书.

A notice is issued once, in the transaction of the decision it documents (``services.issue_notice``):
its number is allocated and its content captured there (``content.py``). Its PDF is rendered from
that content after the commit — by the ``render_pending_notices`` job or on first print, whichever
comes first — and stored with its SHA-256, so every print hands out the very same bytes even when the
filing has moved on since (a clock suspended, a deficiency cleared).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Notice of acceptance")  # 受理通知书
    DEFICIENCY = "deficiency", _("Notice of acceptance with deficiency")  # 容缺受理通知书
    COMPLETION = "completion", _("One-time notice of what to complete")  # 一次性告知书
    REFUSAL = "refusal", _("Notice of refusal")  # 不予受理通知书


class Notice(models.Model):
    # Indexed first in notice_one_per_kind.
    filing = models.ForeignKey(
        "cases.Filing", on_delete=models.PROTECT, related_name="notices", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    number = models.CharField(_("notice number"), max_length=60, unique=True)
    # What the notice says about the filing, captured at the decision (content.snapshot).
    content = models.JSONField(_("content"), default=dict, editable=False)
    # Empty until rendered (services.notice_pdf); then never changed.
    pdf = models.FileField(upload_to="notices/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # Set by issue_notice before rendering (not auto_now_add): the printed date, the PDF's creation
    # date and the number's year must all be the same instant.
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The window where the decision was taken: the filing's own window may differ (online filings
    # have none), and the decision's window is not kept on the filing.
    window_number = models.CharField(_("window number"), max_length=10, blank=True)
    # The absolute public tracking address printed and encoded in the QR code, as it was at issue.
    tracking_url = models.CharField(_("tracking address"), max_length=300)
    # The absolute rating address (好差评, ``apps.cases.rating_links``) printed as the second QR code,
    # as it was at issue: its token is signed then, so a re-render prints the very same code. Empty
    # on notices issued before ratings existed (they print no rating code).
    rating_url = models.CharField(_("rating address"), max_length=300, blank=True)

    class Meta:
        app_label = "cases"
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["issued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["filing", "kind"], name="notice_one_per_kind")]
        # The render job's queue: notices not rendered yet (a handful at any time, however many exist).
        indexes = [models.Index(fields=["issued_at"], condition=Q(sha256=""), name="notice_pending_pdf")]

    def __str__(self):
        return self.number
