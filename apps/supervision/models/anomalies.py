"""Anomalies (电子监察 findings): what a rule over the transition log found, one row per finding."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnomalyRule(models.TextChoices):
    """The rules (``apps.supervision.anomalies``), each a small function over the log."""

    DECIDED_LATE = "decided_late", _("Decided after the due date")
    SUSPENDED_TOO_LONG = "suspended_too_long", _("Suspended longer than the special procedure allows")
    EXTENSION_UNAPPROVED = "extension_unapproved", _("Extended without an approved request")
    DECISION_WITHOUT_OPINION = "decision_without_opinion", _("Decided with no opinion recorded")
    RETURNED_TWICE = "returned_twice", _("Returned twice for the same material")
    BULK_CLICKING = "bulk_clicking", _("Same action on many filings in the same second")
    ISSUED_WITHOUT_SEAL = "issued_without_seal", _("Certificate issued without a seal use")


class Anomaly(models.Model):
    """One finding of one rule: the object it is about (a case, a filing, a document, or for bulk
    clicking the person), where (centre, department) and when (``day``: the local date of what the rule
    saw), with what the rule saw (``detail``, shown on the desk). Found again by a later scan, it is
    the same row (unique per rule and subject and ``fingerprint``)."""

    rule = models.CharField(_("rule"), max_length=40, choices=AnomalyRule.choices)
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # The filing it concerns, when it concerns one (the desk links the case or filing page).
    filing = models.ForeignKey(
        "cases.Filing", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # What distinguishes two findings of one rule on one subject (a material's id, a second's timestamp).
    fingerprint = models.CharField(max_length=100, blank=True)
    day = models.DateField(_("day"))
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("anomaly")
        verbose_name_plural = _("anomalies")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id", "fingerprint"], name="anomaly_found_once"
            )
        ]
        indexes = [
            models.Index(fields=["centre", "rule", "day"], name="anomaly_centre_rule"),
            models.Index(fields=["department", "rule", "day"], name="anomaly_department_rule"),
        ]

    def __str__(self):
        return f"{self.rule} · {self.subject_type_id}:{self.subject_id}"
