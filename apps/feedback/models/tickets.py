"""Rectification (整改) of a bad rating, to closure."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.audit.transitions import every, refuses
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


def missing_for_submission(ticket) -> dict[str, str]:
    """What the department has not recorded yet, by the field the API and the desk name it with."""
    missing = {}
    if not ticket.followed_up_at:
        missing["follow_up"] = gettext("The follow-up with the applicant is not recorded yet.")
    if not (ticket.cause or "").strip():
        missing["cause"] = gettext("The cause is not recorded yet.")
    if not (ticket.measures or "").strip():
        missing["measures"] = gettext("The measures are not recorded yet.")
    return missing


# Each condition and permission says why it refuses (``refuses``): the desks and the API offer exactly
# the steps that pass them, and a refused step is worded by the rule that failed.


@refuses(lambda ticket: " ".join(missing_for_submission(ticket).values()))
def _complete(ticket) -> bool:
    return not missing_for_submission(ticket)


@refuses(_("Only an approver or decision-maker of the ticket's department may do this."))
def _handles(ticket, user) -> bool:
    """The department's back office (approvers and decision-makers) rectifies its tickets."""
    from apps.accounts.permissions import Perm
    from apps.accounts.roles import BACK_OFFICE_ROLES
    from apps.accounts.selectors import holds_any_role

    return user.has_perm(Perm.USE_BACKOFFICE_DESK) and holds_any_role(
        user, BACK_OFFICE_ROLES, department_id=ticket.department_id
    )


@refuses(_("Only a supervisor of the ticket's department or service centre may do this."))
def _supervises(ticket, user) -> bool:
    """A supervisor of the department, or of the whole centre (a membership with no department)."""
    from apps.accounts.permissions import Perm
    from apps.accounts.selectors import supervises

    if not user.has_perm(Perm.USE_SUPERVISION_DESK):
        return False
    return supervises(user, centre_id=ticket.centre_id, department_id=ticket.department_id)


@refuses(_("The rating is about your own work: another supervisor decides."))
def _not_own_work(ticket, user) -> bool:
    """No one judges the rectification of a rating of their own work."""
    return ticket.rating.staff_id != getattr(user, "pk", None)


_judges = every(_supervises, _not_own_work)


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
                condition=models.Q(state__in=[TicketState.OPEN, TicketState.SUBMITTED, TicketState.APPEALED]),
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

    def get_absolute_url(self) -> str:
        return reverse("desks:rectification_ticket", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.state in (TicketState.OPEN, TicketState.SUBMITTED, TicketState.APPEALED)

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.is_live and self.due_on < timezone.localdate()

    # The department records the follow-up call (回访) and the cause and measures while the ticket is
    # open: steps that keep the state, offered like the others from the graph.
    @transition(field=state, source=TicketState.OPEN, target=TicketState.OPEN, permission=_handles)
    def follow_up(self):
        pass

    @transition(field=state, source=TicketState.OPEN, target=TicketState.OPEN, permission=_handles)
    def rectify(self):
        pass

    # The department sends its follow-up, cause and measures for verification: all three recorded.
    @transition(
        field=state,
        source=TicketState.OPEN,
        target=TicketState.SUBMITTED,
        conditions=[_complete],
        permission=_handles,
    )
    def submit(self):
        pass

    # A supervisor verifies the rectification and closes the ticket (整改核实办结).
    @transition(field=state, source=TicketState.SUBMITTED, target=TicketState.CLOSED, permission=_judges)
    def close(self):
        pass

    # A supervisor finds the rectification wanting and sends it back.
    @transition(field=state, source=TicketState.SUBMITTED, target=TicketState.OPEN, permission=_judges)
    def send_back(self):
        pass

    # The department appeals (申诉) a malicious or mistaken rating, with evidence.
    @transition(field=state, source=TicketState.OPEN, target=TicketState.APPEALED, permission=_handles)
    def appeal(self):
        pass

    @transition(field=state, source=TicketState.APPEALED, target=TicketState.VOIDED, permission=_judges)
    def uphold_appeal(self):
        pass

    @transition(field=state, source=TicketState.APPEALED, target=TicketState.OPEN, permission=_judges)
    def dismiss_appeal(self):
        pass
