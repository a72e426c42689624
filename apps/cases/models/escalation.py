"""Escalations (督办): a case past a warning threshold, or another subject past its date (a
rectification ticket), raised to the department's supervisors."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.audit.transitions import refuses
from apps.cases.models.case import Case


class EscalationLevel(models.TextChoices):
    DEPARTMENT = "department", _("Department supervisors")
    CENTRE = "centre", _("Centre supervisors")


class EscalationReason(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")  # the deadline sweep
    DEFICIENCY_LAPSED = "deficiency_lapsed", _("Deficiency not cleared in time")  # HALL_DEFICIENCY_LAPSE
    # A rectification ticket (整改工单, ``feedback``) past its due date: the feedback sweep.
    RECTIFICATION_OVERDUE = "rectification_overdue", _("Rectification overdue")
    # A supervisor escalated a case at risk (yellow or red card) before the sweep would, with a note
    # (``cases.review.services.escalate_early``); it is then the case's one open escalation.
    RAISED_EARLY = "raised_early", _("Escalated early by a supervisor")


class EscalationState(models.TextChoices):
    OPEN = "open", _("Awaiting a supervisor")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


@refuses(_("This escalation is addressed to the centre's supervisors already."))
def _addressed_to_department(escalation) -> bool:
    return escalation.level == EscalationLevel.DEPARTMENT


@refuses(_("An escalation is raised to the centre by the hall's rules (the sweep), not by hand."))
def _by_the_sweep(escalation, user) -> bool:
    """No person raises an escalation: the sweep does, unacknowledged after so many working days. As
    a permission no user passes, it keeps the step off the supervisors' desk."""
    return False


class Escalation(FSMModelMixin, models.Model):
    """督办: a case gone overdue (or a lapse a rule sends up), addressed to supervisors who must act —
    or something else a sweep above ``cases`` escalates, its ``subject`` (a rectification ticket past
    its due date): exactly one of ``case`` and ``subject`` is set (a check constraint). ``cases``
    never imports what a subject is: the supervision desk links it by its ``get_absolute_url`` and
    shows its ``due_on``.

    At most one open escalation per case, and per subject (partial unique constraints: however often
    the sweep runs, and however many workers run it). Unacknowledged for HALL_ESCALATE_TO_CENTRE_DAYS
    working days, it goes up to the centre's supervisors.

    Its state is a protected graph: open → acknowledged → resolved (or open → resolved: the case
    decided or ended before anyone acknowledged); an open one addressed to the department is raised to
    the centre (a step that keeps the state and changes the level). Acknowledging and resolving are the
    supervisors' (``cases.review.services``; deciding or ending the case resolves too); opening (not a
    transition) and raising are the sweeps' (``cases.sweeps``), set-based, raising writing the same
    transition log in bulk — except that a supervisor may open one early, with a note, on an open case
    at risk (``cases.review.services.escalate_early``: ``opened_by``, ``note``, the step in the case's
    history). Resolved is final, and ``resolved_at`` is set with it (the constraint and
    the index below read it)."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    reason = models.CharField(_("reason"), max_length=40, choices=EscalationReason.choices)
    level = models.CharField(_("addressed to"), max_length=12, choices=EscalationLevel.choices)
    state = FSMField(
        _("state"),
        max_length=12,
        choices=EscalationState.choices,
        default=EscalationState.OPEN,
        protected=True,
    )
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("opened on"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    # Who opened it and why, when a supervisor did (an early escalation); empty for the sweeps'. A
    # database default: the sweeps open escalations with raw INSERTs that do not name it.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, db_default="")
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
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="escalation_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(case__isnull=False, subject_type__isnull=True, subject_id__isnull=True)
                    | models.Q(case__isnull=True, subject_type__isnull=False, subject_id__isnull=False)
                ),
                name="escalation_case_or_subject",
            ),
        ]
        indexes = [
            models.Index(
                fields=["department", "level", "opened_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="escalation_open",
            )
        ]

    def __str__(self):
        about = self.case_id if self.case_id else f"{self.subject_type_id}:{self.subject_id}"
        return f"{about} · {self.reason} · {self.level}"

    @property
    def concerns(self):
        """What the escalation is about, whose history its steps go into: the case, or the subject."""
        return self.case if self.case_id else self.subject

    @property
    def is_open(self) -> bool:
        return self.state != EscalationState.RESOLVED

    # Not acknowledged in time by the department: the centre's supervisors are told. The sweep
    # raises many at once with one UPDATE (``sweeps.raise_unacknowledged``), as this does for one.
    @transition(
        field=state,
        source=EscalationState.OPEN,
        target=EscalationState.OPEN,
        conditions=[_addressed_to_department],
        permission=_by_the_sweep,
    )
    def raise_to_centre(self):
        self.level = EscalationLevel.CENTRE

    # A supervisor takes it on, saying what will be done (督办回复).
    @transition(field=state, source=EscalationState.OPEN, target=EscalationState.ACKNOWLEDGED)
    def acknowledge(self):
        pass

    @transition(
        field=state,
        source=[EscalationState.OPEN, EscalationState.ACKNOWLEDGED],
        target=EscalationState.RESOLVED,
    )
    def resolve(self):
        pass
