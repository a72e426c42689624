"""Rectification (整改) of a bad rating, to closure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.feedback.models.ratings import Rating


class TicketState(models.TextChoices):
    OPEN = "open", _("Being rectified")  # 整改中
    SUBMITTED = "submitted", _("Awaiting verification")  # 待核实
    CLOSED = "closed", _("Rectified and closed")  # 整改办结
    APPEALED = "appealed", _("Appealed")  # 申诉中
    VOIDED = "voided", _("Appeal upheld: rating set aside")  # 申诉成立


class FollowUpMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")  # 电话回访
    SMS = "sms", _("SMS")
    VISIT = "visit", _("In person")  # 上门 / 当面
    OTHER = "other", _("Other")


class RectificationTicket(FSMModelMixin, models.Model):
    """整改工单: opened by a bad rating, for the department responsible (and the window, if the act was
    at one), due ``HALL_RECTIFICATION_DAYS`` working days later on the hall's calendar.

    The department records the follow-up call (回访: how, when, what the applicant said), the cause
    and the measures, and submits; a supervisor verifies and closes it, or sends it back. Instead,
    the department may appeal (申诉) a malicious or mistaken rating with evidence; a supervisor
    upholds the appeal (the rating is set aside) or dismisses it (the ticket is open again, its due
    date unchanged). Overdue, it is escalated (督办) by the sweep like an overdue case.

    At most one ticket not yet closed or voided per rating; a rating re-rated bad after its ticket
    closed opens a new one."""

    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="tickets"
    )
    state = FSMField(
        _("state"), max_length=12, choices=TicketState.choices, default=TicketState.OPEN, protected=True
    )
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        "accounts.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    due_on = models.DateField(_("due on"))
    # 回访: the follow-up contact with the applicant.
    follow_up_method = models.CharField(
        _("follow-up by"), max_length=10, choices=FollowUpMethod.choices, blank=True
    )
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    follow_up_note = models.TextField(_("what the applicant said"), blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cause = models.TextField(_("cause"), blank=True)
    measures = models.TextField(_("measures"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_note = models.TextField(_("verification"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 申诉
    appeal_reason = models.TextField(_("grounds of appeal"), blank=True)
    appeal_evidence = models.FileField(_("evidence"), upload_to="feedback/appeals/%Y/%m/", blank=True)
    appeal_evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    appeal_evidence_content_type = models.CharField(max_length=100, blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_decision = models.TextField(_("decision on the appeal"), blank=True)
    appeal_decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rectification ticket")
        verbose_name_plural = _("rectification tickets")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating"],
                condition=models.Q(state__in=["open", "submitted", "appealed"]),
                name="ticket_one_live_per_rating",
            )
        ]
        indexes = [
            models.Index(fields=["department", "state", "due_on"], name="ticket_department_queue"),
            models.Index(fields=["centre", "state", "due_on"], name="ticket_centre_queue"),
            models.Index(fields=["updated_at"], name="ticket_updated"),
        ]

    def __str__(self):
        return f"{self.pk} · {self.rating_id} · {self.state}"

    @property
    def is_live(self) -> bool:
        return self.state in (TicketState.OPEN, TicketState.SUBMITTED, TicketState.APPEALED)

    # The department sends its follow-up, cause and measures for verification (services check them).
    @transition(field=state, source=TicketState.OPEN, target=TicketState.SUBMITTED)
    def submit(self):
        pass

    # A supervisor verifies the rectification and closes the ticket (整改核实办结).
    @transition(field=state, source=TicketState.SUBMITTED, target=TicketState.CLOSED)
    def close(self):
        pass

    # A supervisor finds the rectification wanting and sends it back.
    @transition(field=state, source=TicketState.SUBMITTED, target=TicketState.OPEN)
    def send_back(self):
        pass

    @transition(field=state, source=TicketState.OPEN, target=TicketState.APPEALED)
    def appeal(self):
        pass

    @transition(field=state, source=TicketState.APPEALED, target=TicketState.VOIDED)
    def uphold_appeal(self):
        pass

    @transition(field=state, source=TicketState.APPEALED, target=TicketState.OPEN)
    def dismiss_appeal(self):
        pass
