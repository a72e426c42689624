"""A case (办件): one item of an accepted filing in its department's back office, with its own
working-day clock. The review graph and the conditions of its transitions live here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.audit.transitions import every, refuses
from apps.cases.codes import CaseState, FilingState
from apps.cases.models.filing import Filing
from apps.core.errors import Conflict
from apps.worktime.warnings import WarningLevel, level_of

OPEN_CASE = [CaseState.QUEUED, CaseState.IN_REVIEW, CaseState.SUSPENDED, CaseState.AWAITING_DECISION]


# Each condition and permission says why it refuses (``refuses``): the review workspace and the API
# offer exactly the transitions that pass them, and a refused action is worded by the one that failed.


@refuses(_("This item's decision is signed off by a decision-maker: propose it for sign-off."))
def _decides_alone(case) -> bool:
    return not case.item.requires_second_signoff


@refuses(_("This item's decision needs no sign-off: decide it."))
def _needs_sign_off(case) -> bool:
    return case.item.requires_second_signoff


def _proposes(outcome):
    @refuses(_("The approver proposed the other decision."))
    def condition(case) -> bool:
        return case.proposed_outcome == outcome

    condition.__name__ = f"proposes_{outcome}"
    return condition


@refuses(_("This item allows no special procedure."))
def _allows_special_procedures(case) -> bool:
    return bool(case.item.special_procedures)


@refuses(_("The case waits for the applicant's correction: their answer resumes it."))
def _no_open_correction(case) -> bool:
    """Suspended for a correction (补正), the case resumes with the applicant's answer, which closes
    the correction first; the approver resumes only a special procedure. Reads the corrections the
    workspace prefetched, if it did (a case has a handful)."""
    return not any(correction.is_open for correction in case.corrections.all())


def _claim_refusal(case, user) -> str:
    if case.claimed_by_id is None:
        return gettext("Claim the case first.")
    return gettext("%(user)s has claimed this case.") % {"user": case.claimed_by}


# Someone else's claim is a conflict about the case (409), not a right the approver lacks.
@refuses(_claim_refusal, error=Conflict)
def _holds_it(case, user) -> bool:
    """Review actions are the claiming approver's: claim first, then act."""
    return case.claimed_by_id is not None and case.claimed_by_id == getattr(user, "pk", None)


@refuses(_("Only a decision-maker of the case's department may do this."))
def _signs_off(case, user) -> bool:
    """A decision-maker of the case's department (审批决定人)."""
    from apps.accounts.permissions import Perm
    from apps.accounts.roles import Role
    from apps.accounts.selectors import holds_role

    return user.has_perm(Perm.SIGN_OFF_DECISIONS) and holds_role(
        user, Role.DECISION_MAKER, department_id=case.department_id
    )


@refuses(_("Only an approver or decision-maker of the case's department may claim it."))
def _reviews_here(case, user) -> bool:
    """The back office of the case's department: an approver or decision-maker held there."""
    from apps.accounts.permissions import Perm
    from apps.accounts.roles import BACK_OFFICE_ROLES
    from apps.accounts.selectors import holds_any_role

    return user.has_perm(Perm.USE_BACKOFFICE_DESK) and holds_any_role(
        user, BACK_OFFICE_ROLES, department_id=case.department_id
    )


@refuses(_("A case is withdrawn with its filing, at a window."))
def _filing_withdrawn(case) -> bool:
    """The applicant withdraws the filing (撤回, recorded by a clerk); its open cases follow it, in the
    same transaction, with the same actor. The case's own graph offers no withdrawal to anyone."""
    return case.filing.state == FilingState.WITHDRAWN


@refuses(_("A case ends by the hall's rules (an unanswered correction, a lapsed deficiency), not by hand."))
def _by_the_halls_rules(case, user) -> bool:
    """No person terminates a case: the sweeps do (``actor=None``, which permissions do not restrict)."""
    return False


@refuses(_("You proposed this decision: another decision-maker signs it off."))
def _not_the_proposer(case, user) -> bool:
    """Two people (双人复核): whoever proposed the decision — the approver holding the case — does not
    sign it off too, even when they are a decision-maker as well."""
    return case.claimed_by_id != getattr(user, "pk", None)


class Outcome(models.TextChoices):
    APPROVE = "approve", _("Approve")  # 准予许可
    DENY = "deny", _("Deny")  # 不予许可


class Case(FSMModelMixin, models.Model):
    """One item of an accepted filing, in its department's back office, with its clock."""

    # Fields an index below starts with have no index of their own (fewer indexes to write per case):
    # the filing is case_one_per_item's, the department case_queue's, the claimer case_claimed_state's.
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="cases", db_index=False)
    item = models.ForeignKey(
        "catalogue.ServiceItem", verbose_name=_("item version"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, db_index=False
    )
    approval_category = models.ForeignKey(
        "catalogue.ApprovalCategory", verbose_name=_("approval category"), on_delete=models.PROTECT
    )
    clock = models.OneToOneField("worktime.Clock", on_delete=models.PROTECT, related_name="case")
    # The clock's due date, copied so that a department's queue is one index range in due order (the
    # clock stays the truth: the services copy it when they move it, and the warning sweep copies it
    # again after a calendar change moved clocks in bulk).
    due_on = models.DateField(_("due on"))
    # The filing's green channel (绿色通道), copied for the same reason: the queue puts it first from its
    # index (apps.cases.green_channel copies it when a filing is flagged or unflagged).
    green_channel = models.BooleanField(_("green channel"), default=False)
    # 黄牌 / 红牌 / 逾期 as the warning sweep last set it from the clock's dates (frozen while suspended).
    warning = models.CharField(
        _("warning level"), max_length=10, choices=WarningLevel.choices, default=WarningLevel.NORMAL
    )
    state = FSMField(_("state"), default=CaseState.QUEUED, choices=CaseState.choices, protected=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # --- review ---
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    # --- the decision (准予 / 不予许可): proposed by the approver, signed off where the item says so ---
    proposed_outcome = models.CharField(
        _("proposed decision"), max_length=10, choices=Outcome.choices, blank=True
    )
    # What the certificate will say (approve): holder, scope, validity.
    decision_holder = models.CharField(_("holder"), max_length=200, blank=True)
    decision_scope = models.TextField(_("scope"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Why not (deny): the 不予许可决定书 quotes both.
    denial_reasons = models.TextField(_("reasons for denial"), blank=True)
    denial_legal_basis = models.TextField(_("legal basis of the denial"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "item"], name="case_one_per_item"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="case_validity_ordered",
            ),
        ]
        indexes = [
            # The queues: a department's cases in one state, the green channel's first, then the most urgent.
            models.Index(fields=["department", "state", "-green_channel", "due_on", "id"], name="case_queue"),
            # "Decided recently" among a million decided cases, newest first.
            models.Index(
                fields=["department", "-decided_at", "-id"],
                condition=models.Q(state__in=[CaseState.APPROVED, CaseState.DENIED]),
                name="case_decided",
            ),
            models.Index(fields=["claimed_by", "state"], name="case_claimed_state"),
            # The queues filtered by warning level (黄牌 / 红牌 / 逾期), and the escalation sweep.
            models.Index(
                fields=["department", "warning", "due_on"],
                condition=models.Q(state__in=OPEN_CASE),
                name="case_open_warning",
            ),
            # The work roll-ups read a day's decided cases, every department at once.
            models.Index(
                fields=["decided_at"], condition=models.Q(decided_at__isnull=False), name="case_decided_at"
            ),
        ]

    def __str__(self):
        return f"{self.filing.number} · {self.item.name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE

    def warning_on(self, day) -> str:
        """The warning level (黄牌/红牌/逾期) on ``day``, from the clock's stored dates."""
        clock = self.clock
        return level_of(due_on=clock.due_on, yellow_on=clock.yellow_on, red_on=clock.red_on, on=day)

    # --- the back-office graph (docs/architecture.md) ---
    # Conditions read the pinned item version (what the applicant was promised) and the open
    # correction; permissions say who may act: the claiming approver for review actions, a
    # decision-maker of the department for sign-off (not the one who proposed) and extensions. The
    # desk and the API offer exactly get_available_user_state_transitions; apply_transition refuses
    # the rest, in the words of the rule that failed.
    @transition(field=state, source=CaseState.QUEUED, target=CaseState.IN_REVIEW, permission=_reviews_here)
    def claim(self):
        pass

    @transition(field=state, source=CaseState.IN_REVIEW, target=CaseState.QUEUED, permission=_holds_it)
    def release(self):
        pass

    @transition(field=state, source=CaseState.IN_REVIEW, target=None, permission=_holds_it)
    def record_opinion(self):
        """审查意见 on the record; the case stays where it is."""

    @transition(field=state, source=CaseState.IN_REVIEW, target=CaseState.SUSPENDED, permission=_holds_it)
    def request_correction(self):
        pass

    @transition(
        field=state,
        source=CaseState.IN_REVIEW,
        target=CaseState.SUSPENDED,
        conditions=[_allows_special_procedures],
        permission=_holds_it,
    )
    def start_special_procedure(self):
        pass

    @transition(
        field=state,
        source=CaseState.SUSPENDED,
        target=CaseState.IN_REVIEW,
        conditions=[_no_open_correction],
        permission=_holds_it,
    )
    def resume(self):
        pass

    @transition(
        field=state,
        source=[CaseState.IN_REVIEW, CaseState.SUSPENDED, CaseState.AWAITING_DECISION],
        target=None,
        permission=_signs_off,
    )
    def extend(self):
        """延长审批, within the item's allowance; the case stays where it is."""

    @transition(
        field=state,
        source=CaseState.IN_REVIEW,
        target=CaseState.APPROVED,
        conditions=[_decides_alone],
        permission=_holds_it,
    )
    def approve(self):
        pass

    @transition(
        field=state,
        source=CaseState.IN_REVIEW,
        target=CaseState.DENIED,
        conditions=[_decides_alone],
        permission=_holds_it,
    )
    def deny(self):
        pass

    @transition(
        field=state,
        source=CaseState.IN_REVIEW,
        target=CaseState.AWAITING_DECISION,
        conditions=[_needs_sign_off],
        permission=_holds_it,
    )
    def propose_decision(self):
        pass

    @transition(
        field=state,
        source=CaseState.AWAITING_DECISION,
        target=CaseState.APPROVED,
        conditions=[_proposes(Outcome.APPROVE)],
        permission=every(_signs_off, _not_the_proposer),
    )
    def sign_off_approval(self):
        pass

    @transition(
        field=state,
        source=CaseState.AWAITING_DECISION,
        target=CaseState.DENIED,
        conditions=[_proposes(Outcome.DENY)],
        permission=every(_signs_off, _not_the_proposer),
    )
    def sign_off_denial(self):
        pass

    @transition(
        field=state, source=CaseState.AWAITING_DECISION, target=CaseState.IN_REVIEW, permission=_signs_off
    )
    def send_back(self):
        pass

    @transition(field=state, source=OPEN_CASE, target=CaseState.WITHDRAWN, conditions=[_filing_withdrawn])
    def withdraw(self):
        pass

    @transition(field=state, source=OPEN_CASE, target=CaseState.TERMINATED, permission=_by_the_halls_rules)
    def terminate(self):
        pass
