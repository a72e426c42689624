"""Escalations (督办): a case past a warning threshold, raised to the department's supervisors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.cases.models.case import Case


class EscalationLevel(models.TextChoices):
    DEPARTMENT = "department", _("Department supervisors")
    CENTRE = "centre", _("Centre supervisors")


class Escalation(models.Model):
    """督办: a case gone overdue (or a lapse a rule sends up), addressed to supervisors who must act.

    At most one open escalation per case (a partial unique constraint: however often the sweep runs,
    and however many workers run it). Unacknowledged for HALL_ESCALATE_TO_CENTRE_DAYS working days, it
    goes up to the centre's supervisors."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="escalations")
    reason = models.CharField(_("reason"), max_length=40)  # overdue, deficiency_lapsed
    level = models.CharField(_("addressed to"), max_length=12, choices=EscalationLevel.choices)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("opened on"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    raised_at = models.DateTimeField(_("raised to the centre at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement = models.TextField(_("acknowledgement"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(resolved_at__isnull=True),
                name="escalation_one_open_per_case",
            )
        ]
        indexes = [
            models.Index(
                fields=["department", "level", "opened_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="escalation_open",
            )
        ]

    def __str__(self):
        return f"{self.case_id} · {self.reason} · {self.level}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
