"""What the back office writes while reviewing a case: opinions, and corrections (补正) asked of the
applicant with the files they answer with."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.cases.models.case import Case
from apps.uploads.models import CheckedFile


class ReviewOpinion(models.Model):
    """审查意见: what an approver or decision-maker found, in their words, step by step."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(_("step"), max_length=40)
    text = models.TextField(_("opinion"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.case_id} · {self.step}"


class CorrectionRequest(models.Model):
    """补正: what the applicant must correct, sent to them; answered online or at a window."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="corrections")
    suspension = models.OneToOneField("worktime.Suspension", on_delete=models.PROTECT, related_name="+")
    # [{"material": id or null, "what": text}]
    items = models.JSONField(_("what to correct"), default=list)
    note = models.TextField(_("note to the applicant"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # HALL_CORRECTION_ANSWER_DAYS working days after the request: unanswered by then, the case ends.
    answer_due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(answered_at__isnull=True),
                name="correction_one_open_per_case",
            )
        ]

    def __str__(self):
        return f"{self.case_id} · {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


def correction_path(instance, filename: str) -> str:
    return f"corrections/{instance.request.case_id}/{secrets.token_hex(16)}"


class CorrectionFile(CheckedFile):
    """A file handed in with a correction's answer: checked and served like a material upload."""

    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=correction_path)

    class Meta(CheckedFile.Meta):
        verbose_name = _("correction file")
        verbose_name_plural = _("correction files")
