"""A filing (申请) at the front desk: one receipt, one material set, for one item or a bundle (一件事).

It pins the catalogue versions it was filed under (``FilingItem``), so a later edit of an item never
changes what the applicant was promised, and carries its checklist of materials and their uploads.
The state field is a protected django-fsm field: the graph lives here, the use cases in
``apps.cases.services``, and every transition is written to the audit log there.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.accounts.identifiers import mask_identifier, mask_phone
from apps.audit.transitions import refuses
from apps.cases.codes import (
    ApplicantKind,
    Channel,
    FilingState,
    MaterialStatus,
)
from apps.catalogue.codes import Necessity
from apps.core.errors import Conflict
from apps.uploads.models import CheckedFile

S = FilingState


@refuses(_("A deficiency (容缺) is still open: it must be cleared first."))
def _no_open_deficiency(filing) -> bool:
    """Nothing is issued while a 容缺 commitment is outstanding, however the cases were decided."""
    return not filing.has_open_deficiency


def _pre_reviewer_refusal(filing, user) -> str:
    return gettext("%(clerk)s has this filing in pre-review: only they can act on it.") % {
        "clerk": filing.pre_reviewer or gettext("Another clerk")
    }


# Another clerk's pre-review is a conflict about the filing (409), like a case claimed by someone else.
@refuses(_pre_reviewer_refusal, error=Conflict)
def pre_reviewer_acts(filing, user) -> bool:
    """网上预审 is one clerk's at a time: in pre-review, only the clerk who took the filing decides on it,
    works its checklist or hands it back (``apps.cases.window_rules`` asks the same of every service)."""
    return filing.state != S.PRE_REVIEW or filing.pre_reviewer_id == getattr(user, "pk", None)


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class Filing(FSMModelMixin, models.Model):
    number = models.CharField(_("filing number"), max_length=60, unique=True)
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    # No index of its own where an index below starts with the field (fewer indexes to write on
    # every filing saved): filing_window_day serves the centre, filing_citizen the citizen.
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, db_index=False
    )
    # Indexed first in filing_window_decided.
    window = models.ForeignKey(
        "accounts.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
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
        db_index=False,
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

    # 帮办代办: the assistant who filed it for the applicant and follows it through to the end (handed
    # over to another assistant on their desk; each hand-over is in the filing's log).
    assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assistant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assisted_filings",
        db_index=False,  # the index filing_assistant_queue covers it
    )
    # 绿色通道: a key project (重点项目) flagged by staff goes first on every desk (intake, back
    # office, issuing).
    green_channel = models.BooleanField(_("green channel"), default=False)
    green_channel_reason = models.CharField(_("green-channel reason"), max_length=200, blank=True)
    green_channel_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("green channel flagged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    green_channel_at = models.DateTimeField(_("green channel flagged at"), null=True, blank=True)

    # The applicant's declaration (承诺: the materials are true and complete), made online before
    # submitting; a window filing is declared on paper at the window.
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    # 一次性告知 answered online: the new filing that supplies what the first one was returned for.
    resubmission_of = models.ForeignKey(
        "self",
        verbose_name=_("resubmission of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resubmissions",
        db_index=False,  # the unique constraint filing_resubmitted_once indexes it
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
            # The act just decided at a window, which its evaluation pad asks for every 2 seconds.
            models.Index(fields=["window", "decided_at"], name="filing_window_decided"),
            # An assistant's queue of the filings they follow.
            models.Index(
                fields=["assistant", "state"],
                condition=models.Q(assistant__isnull=False),
                name="filing_assistant_queue",
            ),
            # The windows' queue of online filings awaiting pre-review, oldest first.
            models.Index(
                fields=["centre", "submitted_at"],
                condition=models.Q(state=S.SUBMITTED),
                name="filing_awaiting_pre_review",
            ),
            # The work roll-ups read a day's window decisions, and its 容缺 cleared and lapsed
            # (apps.supervision.rollups): partial, as most filings have neither of the last two.
            models.Index(fields=["decided_at"], name="filing_decided_at"),
            models.Index(
                fields=["deficiency_cleared_at"],
                condition=models.Q(deficiency_cleared_at__isnull=False),
                name="filing_deficiency_cleared",
            ),
            models.Index(
                fields=["deficiency_lapsed_at"],
                condition=models.Q(deficiency_lapsed_at__isnull=False),
                name="filing_deficiency_lapsed",
            ),
        ]
        constraints = [
            # A returned filing is resubmitted once: a second resubmission would split its history.
            models.UniqueConstraint(fields=["resubmission_of"], name="filing_resubmitted_once"),
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

    # --- the front-desk graph (docs/state-machines.md) ---
    # A window filing is decided from its draft. An online filing is submitted by the citizen, taken
    # by a clerk for pre-review (网上预审: one clerk at a time, released back if they cannot finish),
    # and then decided like any other: the window has the same four answers for both channels.
    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.PRE_REVIEW)
    def start_pre_review(self):
        pass

    @transition(field=state, source=S.PRE_REVIEW, target=S.SUBMITTED, permission=pre_reviewer_acts)
    def release_pre_review(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.PRE_REVIEW], target=S.ACCEPTED, permission=pre_reviewer_acts)
    def accept(self):
        pass

    @transition(
        field=state,
        source=[S.DRAFT, S.PRE_REVIEW],
        target=S.ACCEPTED_WITH_DEFICIENCY,
        permission=pre_reviewer_acts,
    )
    def accept_with_deficiency(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.PRE_REVIEW], target=S.RETURNED, permission=pre_reviewer_acts)
    def return_for_completion(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.PRE_REVIEW], target=S.REJECTED, permission=pre_reviewer_acts)
    def refuse(self):
        pass

    @transition(
        field=state,
        source=[S.DRAFT, S.SUBMITTED, S.PRE_REVIEW, S.ACCEPTED, S.ACCEPTED_WITH_DEFICIENCY],
        target=S.WITHDRAWN,
        permission=pre_reviewer_acts,
    )
    def withdraw(self):
        pass

    # Every case decided (in parallel, department by department), and no deficiency open: the
    # unified desk may issue. The services check the cases; the graph keeps the deficiency rule.
    @transition(
        field=state,
        source=[S.ACCEPTED, S.ACCEPTED_WITH_DEFICIENCY],
        target=S.READY_FOR_ISSUE,
        conditions=[_no_open_deficiency],
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

    # Indexed first in filing_item_once.
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="items", db_index=False)
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

    # Indexed first in checklist_material_once.
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="checklist", db_index=False)
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
        constraints = [models.UniqueConstraint(fields=["filing", "material"], name="checklist_material_once")]

    def __str__(self):
        return f"{self.material} · {self.get_status_display()}"


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
