"""Back-office use cases (后台分类审批): claiming, review, corrections, special procedures,
extensions, decisions and sign-off, and the filing's completion when its last case is decided.

Each runs in one transaction with the case locked. The actions that can finish a case lock the
filing first and then the case — the order the front desk's withdrawal uses too — so that two
departments deciding a bundle's cases at once serialise on the filing, and the second of them sees
the first's decision when it asks whether every case is decided.

Who may act, and when, comes from the graph alone (``Case`` transitions' conditions and permissions):
the claiming approver for review actions, a decision-maker of the case's department for sign-off
(not the one who proposed) and extensions, and no resume while a correction is open. A refusal is
worded by the rule that failed (``apps.audit.transitions``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from apps.accounts.models import StaffMembership
from apps.accounts.roles import BACK_OFFICE_ROLES, Role
from apps.accounts.selectors import holds_any_role, supervises
from apps.audit.services import record_disclosure, record_step
from apps.audit.transitions import apply_transition, check_transition
from apps.cases.applicants import acts_for_applicant
from apps.cases.codes import CaseState, FilingState
from apps.cases.escalations import escalations_visible_to
from apps.cases.messages import about_case, tell_applicant, tell_supervisors
from apps.cases.models import (
    OPEN_CASE,
    Case,
    CorrectionFile,
    CorrectionRequest,
    Escalation,
    EscalationLevel,
    EscalationReason,
    Filing,
    Outcome,
    ReviewOpinion,
)
from apps.cases.window_rules import require_window_clerk
from apps.core.errors import Conflict
from apps.notifications.services import Recipient, notify
from apps.uploads.stored import checked
from apps.worktime import calendar
from apps.worktime import services as clocks
from apps.worktime.codes import SpecialProcedure, SuspensionKind
from apps.worktime.models import Clock
from apps.worktime.warnings import WarningLevel


def _locked(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("item", "clock", "claimed_by")
        .get(pk=case_id)
    )


def _locked_with_filing(case_id: int) -> tuple[Case, Filing]:
    """The filing, then the case (the lock order of every action that may finish a filing)."""
    filing_id = Case.objects.values_list("filing_id", flat=True).get(pk=case_id)
    filing = Filing.objects.select_for_update(of=("self",)).get(pk=filing_id)
    return _locked(case_id), filing


def _allowed(case: Case, name: str, actor) -> None:
    """Refuse before any side effect, as the graph does: the wrong state or a failed condition is a
    conflict, someone else's claim a conflict naming them, a missing role a permission error — each
    worded by the rule that failed (``Case``'s conditions and permissions)."""
    check_transition(case, name, actor=actor)


def _follow_clock(case: Case) -> None:
    """Copy the clock's due date after a service moved it (the queues sort on the copy)."""
    case.due_on = Clock.objects.values_list("due_on", flat=True).get(pk=case.clock_id)


def _opinion(case: Case, actor, step: str, text: str) -> None:
    if (text or "").strip():
        ReviewOpinion.objects.create(case=case, author=actor, step=step, text=text.strip())


def show_applicant_identity(case: Case, *, viewer, client_ip=None) -> str:
    """The applicant's identity number in full, for the review workspace: each showing is logged.
    Only to the back office of the case's department (an approver or decision-maker there)."""
    if not holds_any_role(viewer, BACK_OFFICE_ROLES, department_id=case.department_id):
        raise PermissionDenied(
            _("Only the back office of the case's department sees the applicant's identity.")
        )
    record_disclosure(
        case.filing,
        what="applicant_id_number",
        purpose="case review",
        viewer=viewer,
        client_ip=client_ip,
    )
    return case.filing.applicant_id_number


@transaction.atomic
def claim(*, case_id: int, actor, client_ip=None) -> Case:
    """Take a queued case into review. Of two approvers claiming at once, the second gets a Conflict."""
    case = _locked(case_id)
    if case.state == CaseState.IN_REVIEW:
        raise Conflict(_("%(user)s has claimed this case already.") % {"user": case.claimed_by})
    apply_transition(case, "claim", actor=actor, client_ip=client_ip)
    case.claimed_by, case.claimed_at = actor, timezone.now()
    case.save(update_fields=["state", "claimed_by", "claimed_at"])
    return case


@transaction.atomic
def release(*, case_id: int, actor, reason: str = "", client_ip=None) -> Case:
    """Put a claimed case back in the department's queue."""
    case = _locked(case_id)
    apply_transition(case, "release", actor=actor, comment=reason, client_ip=client_ip)
    case.claimed_by, case.claimed_at = None, None
    case.save(update_fields=["state", "claimed_by", "claimed_at"])
    return case


@transaction.atomic
def record_opinion(*, case_id: int, actor, text: str) -> ReviewOpinion:
    """审查意见 on the record, without changing the case's state."""
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the opinion.")})
    case = _locked(case_id)
    _allowed(case, "record_opinion", actor)
    return ReviewOpinion.objects.create(case=case, author=actor, step="review", text=text.strip())


def _correction_items(case: Case, items: list[dict]) -> list[dict]:
    if not items:
        raise ValidationError({"items": _("List what the applicant must correct.")})
    on_checklist = set(case.filing.checklist.values_list("material_id", flat=True))
    cleaned = []
    for item in items:
        what = (item.get("what") or "").strip()
        material = item.get("material")
        if not what:
            raise ValidationError({"items": _("Say what must be corrected for every entry.")})
        if material is not None and material not in on_checklist:
            raise ValidationError(
                {"items": _("A correction names a material that is not on this filing's list.")}
            )
        cleaned.append({"material": material, "what": what})
    return cleaned


@transaction.atomic
def request_correction(
    *, case_id: int, actor, items: list[dict], note: str = "", client_ip=None
) -> CorrectionRequest:
    """补正: the case is suspended and the applicant told everything to correct, at once; the clock
    stops from today until the answer arrives."""
    case = _locked(case_id)
    _allowed(case, "request_correction", actor)
    cleaned = _correction_items(case, items)
    summary = "；".join(entry["what"] for entry in cleaned)
    suspension = clocks.suspend(
        clock_id=case.clock_id,
        kind=SuspensionKind.CORRECTION,
        started_on=timezone.localdate(),
        reason=summary,
        actor=actor,
    )
    apply_transition(case, "request_correction", actor=actor, comment=summary, client_ip=client_ip)
    case.save(update_fields=["state"])
    today = timezone.localdate()
    correction = CorrectionRequest.objects.create(
        case=case,
        suspension=suspension,
        items=cleaned,
        note=note.strip(),
        requested_by=actor,
        answer_due_on=calendar.add_working_days(
            today, settings.HALL_CORRECTION_ANSWER_DAYS, case.clock.centre_id
        ),
    )
    tell_applicant(
        case.filing,
        "correction_requested",
        item=case.item.name,
        what=summary,
        answer_by=str(correction.answer_due_on),
    )
    return correction


@transaction.atomic
def start_special_procedure(
    *,
    case_id: int,
    actor,
    procedure: str,
    reason: str,
    planned_end_on: dt.date | None = None,
    started_on: dt.date | None = None,
    client_ip=None,
) -> Case:
    """特别程序 (hearing, testing, expert review, public notice, site survey …) the item allows: the
    clock stops from its start until it ends."""
    case = _locked(case_id)
    allowed = case.item.special_procedures or []
    if procedure not in allowed:
        label = dict(SpecialProcedure.choices).get(procedure, procedure)
        raise ValidationError(
            {
                "procedure": _("This item does not allow the special procedure “%(procedure)s”.")
                % {"procedure": label}
            }
        )
    _allowed(case, "start_special_procedure", actor)
    clocks.suspend(
        clock_id=case.clock_id,
        kind=SuspensionKind.SPECIAL_PROCEDURE,
        procedure=procedure,
        started_on=started_on or timezone.localdate(),
        planned_end_on=planned_end_on,
        reason=reason,
        actor=actor,
    )
    apply_transition(
        case, "start_special_procedure", actor=actor, comment=reason, client_ip=client_ip, procedure=procedure
    )
    case.save(update_fields=["state"])
    tell_applicant(
        case.filing,
        "suspended",
        item=case.item.name,
        procedure=str(dict(SpecialProcedure.choices).get(procedure, procedure)),
    )
    return case


@transaction.atomic
def resume(*, case_id: int, actor, ended_on: dt.date | None = None, client_ip=None) -> Case:
    """A special procedure has ended: back to review; the due date moves by the working days stopped.
    A correction is resumed by the applicant's answer, not here."""
    case = _locked(case_id)
    _allowed(case, "resume", actor)  # not while a correction is open: the graph's condition
    clocks.resume(clock_id=case.clock_id, ended_on=ended_on or timezone.localdate(), actor=actor)
    _follow_clock(case)
    apply_transition(case, "resume", actor=actor, client_ip=client_ip)
    case.save(update_fields=["state", "due_on"])
    tell_applicant(case.filing, "resumed", item=case.item.name, due_on=str(case.due_on))
    return case


@transaction.atomic
def answer_correction(
    *, correction_id: int, actor, answer: str, files=(), client_ip=None, window=None
) -> CorrectionRequest:
    """The applicant's answer (online, or handed in at a window): files checked by content, the
    correction closed, the clock running again from today, the case back in review."""
    case_id = CorrectionRequest.objects.values_list("case_id", flat=True).get(pk=correction_id)
    case = _locked(case_id)
    _require_applicant_or_clerk(case, actor, window)
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction_id)
    if correction.answered_at is not None:
        raise Conflict(_("This correction has been answered already."))
    if not (answer or "").strip() and not files:
        raise ValidationError({"answer": _("Answer with a note, files, or both.")})
    described = [checked(upload, actor=actor) for upload in files]  # all checked before anything is stored
    for fields in described:
        CorrectionFile.objects.create(request=correction, **fields)
    correction.answer, correction.answered_at = (answer or "").strip(), timezone.now()
    correction.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    correction.save(update_fields=["answer", "answered_at", "answered_by"])
    clocks.resume(clock_id=case.clock_id, ended_on=timezone.localdate(), actor=actor)
    _follow_clock(case)
    # The graph's resume, with the answer as the reason: its condition holds now that the correction
    # is answered; its permission names the approver, and whoever answers is not them (authorised
    # above as the applicant or a clerk at a window of the filing's centre).
    apply_transition(
        case,
        "resume",
        actor=actor,
        comment=correction.answer,
        client_ip=client_ip,
        check_permission=False,
        correction=correction.pk,
        window=getattr(window, "number", None),
    )
    case.save(update_fields=["state", "due_on"])
    return correction


def _require_applicant_or_clerk(case: Case, actor, window) -> None:
    """A correction is answered by an account that speaks for the applicant today (the person's own,
    or one authorised for the organisation: the rule of every other online action), or handed in at
    a window of the filing's centre (recorded by a clerk there)."""
    filing = Filing.objects.only("citizen_id", "centre_id", "applicant_kind", "applicant_id_number").get(
        pk=case.filing_id
    )
    if acts_for_applicant(filing, actor):
        return
    require_window_clerk(filing, actor, window)


@transaction.atomic
def extend(*, case_id: int, actor, days: int, reason: str, client_ip=None) -> Case:
    """延长审批: approved by a decision-maker of the department, within the item's allowance."""
    case = _locked(case_id)
    _allowed(case, "extend", actor)
    clocks.extend(
        clock_id=case.clock_id,
        days=days,
        reason=reason,
        approved_by=actor,
        allowance=case.item.max_extension_days,
    )
    _follow_clock(case)
    case.save(update_fields=["due_on"])
    record_step(case, step="extend", actor=actor, comment=reason, client_ip=client_ip, days=days)
    return case


def _decision_content(outcome: str, content: dict) -> dict:
    """The fields of the decision, checked: what the certificate says, or why not and by what law."""
    errors = {}
    if outcome == Outcome.APPROVE:
        for field, message in (
            ("holder", _("Name the holder the certificate is issued to.")),
            ("scope", _("State the scope of the approval.")),
        ):
            if not (content.get(field) or "").strip():
                errors[field] = message
        valid_from, valid_until = content.get("valid_from"), content.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            errors["valid_until"] = _("The validity cannot end before it starts.")
        if errors:
            raise ValidationError(errors)
        return {
            "decision_holder": content["holder"].strip(),
            "decision_scope": content["scope"].strip(),
            "valid_from": valid_from,
            "valid_until": valid_until,
            "denial_reasons": "",
            "denial_legal_basis": "",
        }
    if outcome == Outcome.DENY:
        if not (content.get("reasons") or "").strip():
            errors["reasons"] = _("A denial gives its reasons.")
        if not (content.get("legal_basis") or "").strip():
            errors["legal_basis"] = _("A denial gives its legal basis.")
        if errors:
            raise ValidationError(errors)
        return {
            "decision_holder": "",
            "decision_scope": "",
            "valid_from": None,
            "valid_until": None,
            "denial_reasons": content["reasons"].strip(),
            "denial_legal_basis": content["legal_basis"].strip(),
        }
    raise ValidationError({"outcome": _("Approve or deny.")})


DECISION_FIELDS = [
    "state",
    "proposed_outcome",
    "decision_holder",
    "decision_scope",
    "valid_from",
    "valid_until",
    "denial_reasons",
    "denial_legal_basis",
    "decided_by",
    "signed_off_by",
    "decided_at",
]


@transaction.atomic
def decide(*, case_id: int, actor, outcome: str, opinion: str = "", client_ip=None, **content) -> Case:
    """准予 / 不予许可. For an item with a second sign-off this is the approver's proposal (the case
    awaits a decision-maker); otherwise the decision itself, which finishes the case."""
    case, filing = _locked_with_filing(case_id)
    fields = _decision_content(outcome, content)
    if case.item.requires_second_signoff:
        apply_transition(
            case, "propose_decision", actor=actor, comment=opinion, client_ip=client_ip, outcome=outcome
        )
    else:
        apply_transition(
            case,
            "approve" if outcome == Outcome.APPROVE else "deny",
            actor=actor,
            comment=opinion,
            client_ip=client_ip,
        )
        case.decided_by, case.decided_at = actor, timezone.now()
    for name, value in fields.items():
        setattr(case, name, value)
    case.proposed_outcome = outcome
    _opinion(case, actor, "decision", opinion)
    case.save(update_fields=DECISION_FIELDS)
    if not case.is_open:
        _finish(case, filing, actor=actor, client_ip=client_ip)
    return case


@transaction.atomic
def sign_off(*, case_id: int, actor, opinion: str = "", client_ip=None, outcome: str | None = None) -> Case:
    """A decision-maker signs the approver's proposal off: the case is decided as proposed.

    ``outcome`` is the decision the signer saw and means to sign: given, its own transition runs, and
    the graph refuses it ("the approver proposed the other decision") if the proposal is another one
    now; a caller that names none signs off whatever is proposed."""
    case, filing = _locked_with_filing(case_id)
    signed = outcome or case.proposed_outcome
    name = "sign_off_approval" if signed == Outcome.APPROVE else "sign_off_denial"
    # Not by whoever proposed it (双人复核): the sign-off transitions' permission.
    apply_transition(case, name, actor=actor, comment=opinion, client_ip=client_ip)
    case.signed_off_by, case.decided_at = actor, timezone.now()
    case.decided_by = case.claimed_by  # the approver who proposed it
    _opinion(case, actor, "sign_off", opinion)
    case.save(update_fields=DECISION_FIELDS)
    _finish(case, filing, actor=actor, client_ip=client_ip)
    return case


@transaction.atomic
def send_back(*, case_id: int, actor, opinion: str, client_ip=None) -> Case:
    """The decision-maker does not sign: back to the approver's review, with their opinion."""
    if not (opinion or "").strip():
        raise ValidationError({"opinion": _("Say why the proposal goes back.")})
    case = _locked(case_id)
    apply_transition(case, "send_back", actor=actor, comment=opinion, client_ip=client_ip)
    case.proposed_outcome = ""
    _opinion(case, actor, "sign_off", opinion)
    case.save(update_fields=["state", "proposed_outcome"])
    return case


def _finish(case: Case, filing: Filing, *, actor, client_ip=None) -> None:
    """The case is decided (or ended): its clock stops, its open escalation is resolved, the applicant
    is told; the filing is ready for issue once all are decided."""
    clocks.stop_clock(clock=case.clock, on=timezone.localdate())
    _close_escalation(case, actor=actor, resolution=str(case.get_state_display()))
    if case.state in (CaseState.APPROVED, CaseState.DENIED):
        tell_applicant(filing, "decided", item=case.item.name, outcome=str(case.get_state_display()))
    complete_if_decided(filing, actor=actor, client_ip=client_ip)


def _close_escalation(case: Case, *, actor, resolution: str) -> None:
    """The case has ended: its open escalation (督办), if any, is resolved with it."""
    for escalation in Escalation.objects.select_for_update().filter(case=case, resolved_at__isnull=True):
        _resolve(escalation, actor=actor, resolution=resolution)


def _resolve(escalation: Escalation, *, actor, resolution: str, client_ip=None) -> None:
    apply_transition(escalation, "resolve", actor=actor, comment=resolution, client_ip=client_ip)
    escalation.resolved_at = timezone.now()
    escalation.resolved_by = actor if getattr(actor, "is_authenticated", False) else None
    escalation.resolution = resolution
    escalation.save(update_fields=["state", "resolved_at", "resolved_by", "resolution"])


def complete_if_decided(filing: Filing, *, actor=None, client_ip=None) -> bool:
    """Move a (locked) filing to ready-for-issue when every case is decided and no deficiency is open;
    True if it moved. Called when a case is decided and when a deficiency is cleared."""
    if filing.state not in (FilingState.ACCEPTED, FilingState.ACCEPTED_WITH_DEFICIENCY):
        return False
    if filing.cases.filter(state__in=OPEN_CASE).exists():
        return False
    if not filing.cases.filter(state__in=[CaseState.APPROVED, CaseState.DENIED]).exists():
        # Nothing was decided (every case ended by a rule): the filing ends too.
        apply_transition(filing, "terminate", actor=actor, client_ip=client_ip)
        filing.save(update_fields=["state"])
        return False
    if not can_proceed(filing.complete_review):  # a deficiency is still open: not before it clears
        return False
    apply_transition(filing, "complete_review", actor=actor, client_ip=client_ip)
    filing.save(update_fields=["state"])
    tell_applicant(filing, "ready_for_issue")
    return True


# --- lapses and escalations (the sweeps call these; each is a logged transition) -------------------


def _terminate_case(case: Case, *, actor, reason: str, client_ip=None) -> None:
    apply_transition(case, "terminate", actor=actor, comment=reason, client_ip=client_ip)
    case.save(update_fields=["state"])


@transaction.atomic
def lapse_correction(*, case_id: int, actor=None) -> bool:
    """A correction request unanswered past its date: the case is terminated, the applicant told."""
    case, filing = _locked_with_filing(case_id)
    correction = case.corrections.filter(answered_at__isnull=True).first()
    if case.state != CaseState.SUSPENDED or correction is None:
        return False  # answered meanwhile
    if correction.answer_due_on is None or correction.answer_due_on >= timezone.localdate():
        return False
    reason = _("The correction requested on %(date)s was not answered by %(due)s.") % {
        "date": correction.requested_at.date(),
        "due": correction.answer_due_on,
    }
    clocks.resume(clock_id=case.clock_id, ended_on=timezone.localdate(), actor=actor)
    _terminate_case(case, actor=actor, reason=reason)
    tell_applicant(filing, "correction_lapsed", item=case.item.name, reason=reason)
    _finish(case, filing, actor=actor)
    return True


@transaction.atomic
def lapse_deficiency(*, filing_id: int, actor=None) -> bool:
    """A 容缺 commitment date passed without the material: the hall's rule (HALL_DEFICIENCY_LAPSE)
    terminates the filing's open cases, or escalates each to its department's supervisors first."""
    filing = Filing.objects.select_for_update(of=("self",)).get(pk=filing_id)
    if not filing.has_open_deficiency or filing.deficiency_lapsed_at is not None:
        return False
    if filing.commitment_date is None or filing.commitment_date >= timezone.localdate():
        return False
    reason = _("The missing materials were not handed in by %(date)s.") % {"date": filing.commitment_date}
    filing.deficiency_lapsed_at = timezone.now()
    filing.save(update_fields=["deficiency_lapsed_at"])
    record_step(
        filing,
        step="deficiency_lapsed",
        actor=actor,
        comment=reason,
        rule=settings.HALL_DEFICIENCY_LAPSE,
    )
    open_cases = list(
        filing.cases.select_for_update(of=("self",))
        .select_related("item", "clock")
        .filter(state__in=OPEN_CASE)
    )
    if settings.HALL_DEFICIENCY_LAPSE == "escalate":
        today = timezone.localdate()
        escalations = Escalation.objects.bulk_create(
            Escalation(
                case=case,
                reason=EscalationReason.DEFICIENCY_LAPSED,
                level=EscalationLevel.DEPARTMENT,
                department_id=case.department_id,
                opened_on=today,
            )
            for case in open_cases
            if not case.escalations.filter(resolved_at__isnull=True).exists()
        )
        tell_supervisors(
            "escalated",
            Escalation.objects.filter(pk__in=[e.pk for e in escalations]).select_related(
                "case__filing", "case__item", "department"
            ),
        )
        tell_applicant(
            filing, "deficiency_lapsed", reason=reason, consequence=str(_("referred to a supervisor"))
        )
        return True
    for case in open_cases:
        if case.state == CaseState.SUSPENDED:
            clocks.resume(clock_id=case.clock_id, ended_on=timezone.localdate(), actor=actor)
        _terminate_case(case, actor=actor, reason=reason)
        clocks.stop_clock(clock=case.clock, on=timezone.localdate())
        _close_escalation(case, actor=actor, resolution=reason)
    apply_transition(filing, "terminate", actor=actor, comment=reason)
    filing.save(update_fields=["state"])
    tell_applicant(filing, "deficiency_lapsed", reason=reason, consequence=str(_("the filing is terminated")))
    return True


def _escalation_step(
    escalation_id: int, *, actor, transition: str, text: str, required: str, client_ip=None
) -> Escalation:
    """Acknowledge or resolve an escalation (locked) by its transition, with the supervisor's words;
    logged on the escalation and in the history of what it concerns (its case, or its subject)."""
    if not escalations_visible_to(actor).filter(pk=escalation_id).exists():
        raise PermissionDenied(_("Only a supervisor of this department or service centre may do this."))
    if not (text or "").strip():
        raise ValidationError(required)
    text = text.strip()
    # Only the escalation's row is locked: its case is an outer join now (an escalation of another
    # subject has none), and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    escalation = (
        Escalation.objects.select_for_update(of=("self",)).select_related("case").get(pk=escalation_id)
    )
    if transition == "resolve":
        _resolve(escalation, actor=actor, resolution=text, client_ip=client_ip)
        step = "escalation_resolved"
    else:
        apply_transition(escalation, "acknowledge", actor=actor, comment=text, client_ip=client_ip)
        escalation.acknowledged_at, escalation.acknowledged_by = timezone.now(), actor
        escalation.acknowledgement = text
        escalation.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "acknowledgement"])
        step = "escalation_acknowledged"
    record_step(escalation.concerns, step=step, actor=actor, comment=text, client_ip=client_ip)
    return escalation


@transaction.atomic
def acknowledge_escalation(*, escalation_id: int, actor, note: str, client_ip=None) -> Escalation:
    """A supervisor takes the escalation on, saying what they will do (督办回复)."""
    return _escalation_step(
        escalation_id,
        actor=actor,
        client_ip=client_ip,
        transition="acknowledge",
        text=note,
        required={"note": _("Say what will be done.")},
    )


@transaction.atomic
def resolve_escalation(*, escalation_id: int, actor, resolution: str, client_ip=None) -> Escalation:
    return _escalation_step(
        escalation_id,
        actor=actor,
        client_ip=client_ip,
        transition="resolve",
        text=resolution,
        required={"resolution": _("Say how it was resolved.")},
    )


# --- early escalation (督办 before the sweep) ---------------------------------------------------------


@transaction.atomic
def escalate_early(*, case_id: int, actor, note: str, client_ip=None) -> Escalation:
    """A supervisor of the case's department (or of its whole centre) escalates an open case at risk
    — a yellow or red card, or overdue before the sweep got to it — with a note: the case's one open
    escalation, addressed to the department's supervisors like the sweep's (and raised to the centre
    by the sweep if nobody acknowledges it). Logged in the case's history; the supervisors it is
    addressed to and whoever holds the case (its claimer, else the department's back office) are told.

    The case's row is locked, so two supervisors escalating at once make one escalation and the
    second is told of the first; the deadline sweep never opens a second one (it skips a case with an
    open escalation, and the partial unique constraint refuses a racing insert: said as a conflict)."""
    case = Case.objects.select_related("department").get(pk=case_id)
    if not supervises(actor, centre_id=case.department.centre_id, department_id=case.department_id):
        raise PermissionDenied(_("Only a supervisor of this department or service centre may do this."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the case is escalated.")})
    # FOR NO KEY UPDATE: it serialises with every other action on the case (they lock FOR UPDATE),
    # yet lets the sweep's insert check its foreign key to the case (FOR KEY SHARE) meanwhile. A full
    # FOR UPDATE deadlocked with the sweep: it waited on our case lock for that check while our insert
    # waited on its uncommitted escalation in the one-open-per-case index.
    case = (
        Case.objects.select_for_update(of=("self",), no_key=True)
        .select_related("filing", "item", "department", "clock")
        .get(pk=case_id)
    )
    if not case.is_open:
        raise Conflict(
            _("This case is no longer open (%(state)s): there is nothing to escalate.")
            % {"state": case.get_state_display()}
        )
    today = timezone.localdate()
    if WarningLevel.NORMAL == case.warning == case.warning_on(today):
        raise Conflict(_("This case has no yellow or red card yet: it is not at risk."))
    _refuse_a_second(case)
    try:
        with transaction.atomic():  # a savepoint: the sweep (which locks no case) may insert one now
            escalation = Escalation.objects.create(
                case=case,
                reason=EscalationReason.RAISED_EARLY,
                level=EscalationLevel.DEPARTMENT,
                department=case.department,
                opened_on=today,
                opened_by=actor,
                note=note,
            )
    except IntegrityError:
        _refuse_a_second(case)
        raise
    record_step(
        case,
        step="escalated_early",
        actor=actor,
        comment=note,
        client_ip=client_ip,
        escalation=escalation.pk,
    )
    _tell_early_escalation(escalation, actor=actor)
    return escalation


def _refuse_a_second(case: Case) -> None:
    """One open escalation per case: a conflict naming the open one, if there is one."""
    existing = Escalation.objects.filter(case=case, resolved_at__isnull=True).first()
    if existing is not None:
        raise Conflict(
            _("This case has an open escalation already (%(reason)s, since %(date)s).")
            % {"reason": existing.get_reason_display(), "date": existing.opened_on.isoformat()}
        )


def _tell_early_escalation(escalation: Escalation, *, actor) -> None:
    """The supervisors the escalation is addressed to (the department's, else the centre's) and who
    holds the case (its claimer; a queued case's department back office), not the one who raised it."""
    case = escalation.case
    context, concerns = about_case(escalation)
    context |= {
        "due_on": case.due_on.isoformat(),
        "note": escalation.note,
        "opened_by": str(actor),
    }
    people = StaffMembership.objects.filter(centre_id=escalation.department.centre_id)
    supervisors = people.filter(role=Role.SUPERVISOR)
    told = set(supervisors.filter(department_id=escalation.department_id).values_list("user_id", flat=True))
    if not told:
        told = set(supervisors.filter(department__isnull=True).values_list("user_id", flat=True))
    if case.claimed_by_id:
        told.add(case.claimed_by_id)
    else:
        told |= set(
            people.filter(role__in=BACK_OFFICE_ROLES, department_id=escalation.department_id).values_list(
                "user_id", flat=True
            )
        )
    told.discard(actor.pk)
    if told:
        notify(
            "escalated_early",
            [Recipient(user_id=u) for u in sorted(told)],
            context=context,
            concerns=concerns,
        )
