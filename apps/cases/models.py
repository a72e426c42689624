"""Filings (申请) at the front desk and the cases (办件) they become in the back offices.

An ``Filing`` is one filing with one receipt and one material set, for one item or a bundle
(一件事); it pins the catalogue versions it was filed under (``FilingItem``), so that a later
edit of an item never changes what the applicant was promised. Once accepted, each item becomes a
``Case`` in its department's back office with its own working-day clock.

Both state fields are protected django-fsm fields: the graphs live here, the use cases in
``apps.cases.services``, and every transition is written to the audit log there.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.accounts.identifiers import mask_identifier, mask_phone
from apps.cases.codes import (
    ApplicantKind,
    CaseState,
    Channel,
    FilingState,
    MaterialStatus,
)
from apps.catalogue.codes import Necessity
from apps.uploads.models import CheckedFile
from apps.worktime.warnings import WarningLevel, level_of

S = FilingState
OPEN_CASE = [CaseState.QUEUED, CaseState.IN_REVIEW, CaseState.SUSPENDED, CaseState.AWAITING_DECISION]


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class Filing(FSMModelMixin, models.Model):
    number = models.CharField(_("filing number"), max_length=60, unique=True)
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT
    )
    window = models.ForeignKey(
        "accounts.Window", verbose_name=_("window"), null=True, blank=True, on_delete=models.PROTECT
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    bundle = models.ForeignKey(
        "catalogue.Bundle", verbose_name=_("bundle (一件事)"), null=True, blank=True, on_delete=models.PROTECT
    )
    state = FSMField(_("state"), default=S.DRAFT, choices=FilingState.choices, protected=True)

    # --- the applicant as stated on this filing (a record: later filings may differ) ---
    applicant_kind = models.CharField(_("applicant type"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(
        _("identity number"), max_length=18, help_text=_("Resident ID number, or unified social credit code.")
    )
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # An agent filing on the applicant's behalf (代理人), recorded with their own identity.
    agent_name = models.CharField(_("agent"), max_length=100, blank=True)
    agent_id_number = models.CharField(_("agent's resident ID number"), max_length=18, blank=True)
    agent_phone = models.CharField(_("agent's phone"), max_length=20, blank=True)

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # 网上预审: the clerk who took the online filing (the window is then theirs, on ``window``).
    pre_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pre-reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # --- the window's decision ---
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    commitment_date = models.DateField(
        _("deficiency to be cleared by"),
        null=True,
        blank=True,
        help_text=_("容缺受理: the date the applicant commits to hand in what is missing."),
    )
    deficiency_cleared_at = models.DateTimeField(_("deficiency cleared at"), null=True, blank=True)
    # The commitment date passed without the material: when the lapse rule was applied (once).
    deficiency_lapsed_at = models.DateTimeField(_("deficiency lapsed at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    # 一次性告知: everything missing or wrong, all at once: [{"material": id or null, "reason": text}].
    completion_list = models.JSONField(_("what to complete"), default=list, blank=True)
    decision_legal_basis = models.TextField(_("legal basis of the decision"), blank=True)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["centre", "window", "created_at"], name="filing_window_day"),
            models.Index(fields=["applicant_id_number", "created_at"], name="filing_applicant"),
            models.Index(fields=["citizen", "created_at"], name="filing_citizen"),
            models.Index(fields=["state", "centre"], name="filing_state_centre"),
            # The windows' queue of online filings awaiting pre-review, oldest first.
            models.Index(
                fields=["centre", "submitted_at"],
                condition=models.Q(state=S.SUBMITTED),
                name="filing_awaiting_pre_review",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def masked_id_number(self) -> str:
        return mask_identifier(self.applicant_id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def has_open_deficiency(self) -> bool:
        return self.state == S.ACCEPTED_WITH_DEFICIENCY and self.deficiency_cleared_at is None

    # --- the front-desk graph (DESIGN.md) ---
    # A window filing is decided from its draft. An online filing is submitted by the citizen, taken
    # by a clerk for pre-review (网上预审: one clerk at a time, released back if they cannot finish),
    # and then decided like any other: the window has the same four answers for both channels.
    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.PRE_REVIEW)
    def start_pre_review(self):
        pass

    @transition(field=state, source=S.PRE_REVIEW, target=S.SUBMITTED)
    def release_pre_review(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.PRE_REVIEW], target=S.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.PRE_REVIEW], target=S.ACCEPTED_WITH_DEFICIENCY)
    def accept_with_deficiency(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.PRE_REVIEW], target=S.RETURNED)
    def return_for_completion(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.PRE_REVIEW], target=S.REJECTED)
    def refuse(self):
        pass

    @transition(
        field=state,
        source=[S.DRAFT, S.SUBMITTED, S.PRE_REVIEW, S.ACCEPTED, S.ACCEPTED_WITH_DEFICIENCY],
        target=S.WITHDRAWN,
    )
    def withdraw(self):
        pass

    # Every case decided (in parallel, department by department), and no deficiency open: the
    # unified desk may issue. The services check the cases; the graph keeps the deficiency rule.
    @transition(
        field=state,
        source=[S.ACCEPTED, S.ACCEPTED_WITH_DEFICIENCY],
        target=S.READY_FOR_ISSUE,
        conditions=[lambda filing: not filing.has_open_deficiency],
    )
    def complete_review(self):
        pass

    # The unified desk (统一窗口出证, apps.certificates): every certificate and denial decision of the
    # filing issued at once, then handed over or posted together, and the filing is closed (办结).
    @transition(field=state, source=S.READY_FOR_ISSUE, target=S.ISSUED)
    def issue(self):
        pass

    @transition(field=state, source=S.ISSUED, target=S.DELIVERED)
    def deliver(self):
        pass

    @transition(field=state, source=S.DELIVERED, target=S.CLOSED)
    def close(self):
        pass

    # Ended by a rule rather than a decision: a lapsed 容缺 commitment, or no case left to decide.
    @transition(field=state, source=[S.ACCEPTED, S.ACCEPTED_WITH_DEFICIENCY], target=S.TERMINATED)
    def terminate(self):
        pass


class FilingItem(models.Model):
    """An item of a filing, pinned to the catalogue version it was filed under."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(
        "catalogue.ServiceItem", verbose_name=_("item version"), on_delete=models.PROTECT
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("filed item")
        verbose_name_plural = _("filed items")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["filing", "item"], name="filing_item_once")]

    def __str__(self):
        return str(self.item)


class ChecklistEntry(models.Model):
    """One material of the filing's checklist (each material once for a bundle), with the terms asked
    for when it was filed and what the window recorded."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="checklist")
    material = models.ForeignKey("catalogue.Material", verbose_name=_("material"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)
    original_count = models.PositiveSmallIntegerField(_("originals"))
    copy_count = models.PositiveSmallIntegerField(_("copies"))
    necessity = models.CharField(_("necessity"), max_length=20, choices=Necessity.choices)
    replaceable_by = models.ForeignKey(
        "licences.LicenceType",
        verbose_name=_("replaceable by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MaterialStatus.choices, default=MaterialStatus.PENDING
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    produced_by = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("produced within this filing by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "An item of the same bundle whose result is this material: the applicant does not bring it."
        ),
    )
    certificate_reference = models.CharField(
        _("e-certificate used"),
        max_length=120,
        blank=True,
        help_text=_("The electronic certificate that stands in for the material (免证可办)."),
    )

    class Meta:
        verbose_name = _("checklist entry")
        verbose_name_plural = _("checklist")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "material"], name="checklist_material_once")
        ]

    def __str__(self):
        return f"{self.material} · {self.get_status_display()}"


def _decides_alone(case) -> bool:
    return not case.item.requires_second_signoff


def _needs_sign_off(case) -> bool:
    return case.item.requires_second_signoff


def _proposes(outcome):
    def condition(case) -> bool:
        return case.proposed_outcome == outcome

    condition.__name__ = f"proposes_{outcome}"
    return condition


def _allows_special_procedures(case) -> bool:
    return bool(case.item.special_procedures)


def _holds_it(case, user) -> bool:
    """Review actions are the claiming approver's: claim first, then act."""
    return case.claimed_by_id is not None and case.claimed_by_id == getattr(user, "pk", None)


def _signs_off(case, user) -> bool:
    """A decision-maker of the case's department (审批决定人)."""
    from apps.accounts.selectors import holds_role

    return user.has_perm("accounts.sign_off_decisions") and holds_role(
        user, "decision_maker", department_id=case.department_id
    )


class Outcome(models.TextChoices):
    APPROVE = "approve", _("Approve")  # 准予许可
    DENY = "deny", _("Deny")  # 不予许可


class Case(FSMModelMixin, models.Model):
    """One item of an accepted filing, in its department's back office, with its clock."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="cases")
    item = models.ForeignKey(
        "catalogue.ServiceItem", verbose_name=_("item version"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT
    )
    approval_category = models.ForeignKey(
        "catalogue.ApprovalCategory", verbose_name=_("approval category"), on_delete=models.PROTECT
    )
    clock = models.OneToOneField("worktime.Clock", on_delete=models.PROTECT, related_name="case")
    # The clock's due date, copied so that a department's queue is one index range in due order (the
    # clock stays the truth: the services copy it when they move it, and follow_clocks() catches up
    # after a calendar change moved clocks in bulk).
    due_on = models.DateField(_("due on"))
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
            # The queues: a department's cases in one state, most urgent first.
            models.Index(fields=["department", "state", "due_on", "id"], name="case_queue"),
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

    # --- the back-office graph (DESIGN.md) ---
    # Conditions read the pinned item version (what the applicant was promised); permissions say who
    # may act: the claiming approver for review actions, a decision-maker of the department for
    # sign-off and extensions. The review workspace offers exactly get_available_user_state_transitions.
    @transition(field=state, source=CaseState.QUEUED, target=CaseState.IN_REVIEW)
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

    @transition(field=state, source=CaseState.SUSPENDED, target=CaseState.IN_REVIEW, permission=_holds_it)
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
        permission=_signs_off,
    )
    def sign_off_approval(self):
        pass

    @transition(
        field=state,
        source=CaseState.AWAITING_DECISION,
        target=CaseState.DENIED,
        conditions=[_proposes(Outcome.DENY)],
        permission=_signs_off,
    )
    def sign_off_denial(self):
        pass

    @transition(
        field=state, source=CaseState.AWAITING_DECISION, target=CaseState.IN_REVIEW, permission=_signs_off
    )
    def send_back(self):
        pass

    @transition(field=state, source=OPEN_CASE, target=CaseState.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=OPEN_CASE, target=CaseState.TERMINATED)
    def terminate(self):
        pass


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


def upload_path(instance, filename: str) -> str:
    # Random names under the filing: the original name is kept in the row, never trusted as a path.
    return f"filings/{instance.entry.filing_id}/{secrets.token_hex(16)}"


class MaterialUpload(CheckedFile):
    """A file handed in for one checklist entry: checked by content and size, stored outside the web
    root (MEDIA_ROOT under HALL_VAR_DIR) and served only to those who may see the filing."""

    entry = models.ForeignKey(ChecklistEntry, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(upload_to=upload_path)

    class Meta(CheckedFile.Meta):
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")


# Notices (受理通知书 …) live in their own module; imported here so that Django registers them.
from apps.cases.notices.models import Notice  # noqa: E402,F401
