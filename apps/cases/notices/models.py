"""Official notices of the front desk (filled in by the notices work)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Notice of acceptance")  # 受理通知书
    DEFICIENCY = "deficiency", _("Notice of acceptance with deficiency")  # 容缺受理通知书
    COMPLETION = "completion", _("One-time notice of what to complete")  # 一次性告知书
    REFUSAL = "refusal", _("Notice of refusal")  # 不予受理通知书


class Notice(models.Model):
    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    number = models.CharField(_("notice number"), max_length=60, unique=True)
    pdf = models.FileField(upload_to="notices/")
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        app_label = "cases"
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="notice_one_per_kind")]

    def __str__(self):
        return self.number
