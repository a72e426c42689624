"""The back office's case graph: claim and release, opinions, corrections answered by the applicant,
special procedures, extensions, decisions with and without a second sign-off — every transition and
guard through the services, on the real working-day calendar."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.audit.transitions import refusal
from apps.cases.codes import CaseState
from apps.cases.models import Outcome
from apps.cases.review import services
from apps.core.errors import Conflict
from apps.worktime.codes import SpecialProcedure
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = dt.datetime(2026, 9, 24, 2, 0)  # Thursday 9/24, 10:00 in Shanghai; Mid-autumn and National Day ahead
APPROVAL = {
    "holder": "张三",
    "scope": "预包装食品销售",
    "valid_from": D(2026, 10, 9),
    "valid_until": D(2031, 10, 8),
}


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def approver(department):
    return make_staff(Role.APPROVER, department=department, full_name="李审批")


@pytest.fixture
def signer(department):
    return make_staff(Role.DECISION_MAKER, department=department, full_name="刘决定")


def claimed(case, approver):
    return services.claim(case_id=case.pk, actor=approver)


def test_claiming_releasing_and_a_claim_taken_already(department, approver):
    case = make_case(department=department)
    other = make_staff(Role.APPROVER, department=department, full_name="王审批")
    claimed(case, approver)
    case.refresh_from_db()
    assert (case.state, case.claimed_by) == (CaseState.IN_REVIEW, approver)
    with pytest.raises(Conflict, match="李审批"):
        services.claim(case_id=case.pk, actor=other)
    with pytest.raises(Conflict, match="李审批"):
        services.release(case_id=case.pk, actor=other)
    services.release(case_id=case.pk, actor=approver, reason="轮岗")
    case.refresh_from_db()
    assert (case.state, case.claimed_by) == (CaseState.QUEUED, None)
    assert [e.transition for e in history_of(case)] == ["claim", "release"]


def test_deciding_a_case_you_have_not_claimed_is_refused(department, approver):
    case = make_case(department=department)
    with pytest.raises(Conflict):  # still queued
        services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
    other = make_staff(Role.APPROVER, department=department)
    claimed(case, other)
    with pytest.raises(Conflict, match=str(other)):
        services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
    with pytest.raises(Conflict):
        services.record_opinion(case_id=case.pk, actor=approver, text="我来看看")
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW and not case.proposed_outcome


@time_machine.travel(TODAY, tick=False)
def test_a_correction_stops_the_clock_until_the_applicant_answers(department, approver):
    case = make_case(department=department, promised_limit_days=5)
    assert case.clock.due_on == D(2026, 10, 9)  # 9/25 is a holiday: 9/28, 9/29, 9/30, 10/8, 10/9
    claimed(case, approver)
    material = case.filing.checklist.get().material
    with pytest.raises(ValidationError):
        services.request_correction(case_id=case.pk, actor=approver, items=[])
    correction = services.request_correction(
        case_id=case.pk,
        actor=approver,
        items=[
            {"material": material.pk, "what": "身份证复印件不清晰"},
            {"material": None, "what": "申请表缺签名"},
        ],
        note="请一次补齐",
    )
    case.refresh_from_db()
    assert case.state == CaseState.SUSPENDED and case.clock.suspended_since == D(2026, 9, 24)
    with pytest.raises(Conflict, match="补正"):
        services.resume(case_id=case.pk, actor=approver)  # the applicant's answer resumes it

    # The answer arrives on Monday 9/28: the working days stopped are [9/24, 9/28) = 9/24 only
    # (9/25 is the Mid-autumn holiday, 9/26–27 a weekend): the due date moves by exactly one working
    # day, to Saturday 10/10 — a make-up working day (调休) after National Day.
    with time_machine.travel(dt.datetime(2026, 9, 28, 2, 0), tick=False):
        with pytest.raises(ValidationError):
            services.answer_correction(
                correction_id=correction.pk,
                actor=case.filing.created_by,
                window=case.filing.window,
                answer="",
            )
        services.answer_correction(
            correction_id=correction.pk,
            actor=case.filing.created_by,
            window=case.filing.window,
            answer="已补齐",
        )
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW
    assert (case.clock.suspended_days, case.clock.due_on) == (1, D(2026, 10, 10))
    with pytest.raises(PermissionDenied):  # neither the applicant nor a clerk at a window
        services.answer_correction(correction_id=correction.pk, actor=approver, answer="再答一次")
    with pytest.raises(Conflict, match="已"):
        services.answer_correction(
            correction_id=correction.pk,
            actor=case.filing.created_by,
            window=case.filing.window,
            answer="再答一次",
        )


@time_machine.travel(TODAY, tick=False)
def test_special_procedures_only_those_the_item_allows(department, approver):
    case = make_case(
        department=department, promised_limit_days=5, special_procedures=[SpecialProcedure.EXPERT_REVIEW]
    )
    claimed(case, approver)
    with pytest.raises(ValidationError, match="听证|Hearing"):
        services.start_special_procedure(
            case_id=case.pk, actor=approver, procedure=SpecialProcedure.HEARING, reason="需要听证"
        )
    services.start_special_procedure(
        case_id=case.pk,
        actor=approver,
        procedure=SpecialProcedure.EXPERT_REVIEW,
        reason="组织专家评审",
        planned_end_on=D(2026, 10, 16),
    )
    case.refresh_from_db()
    assert case.state == CaseState.SUSPENDED
    # Resumed on Friday 10/9: [9/24, 10/9) holds 9/24, 9/28, 9/29, 9/30 and 10/8: five working days
    # stopped, so the due date moves from 10/9 by five: 10/10 (调休 Saturday), 10/12, 10/13, 10/14, 10/15.
    services.resume(case_id=case.pk, actor=approver, ended_on=D(2026, 10, 9))
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW and case.clock.suspended_days == 5
    assert case.clock.due_on == D(2026, 10, 15)
    with pytest.raises(Conflict):
        services.resume(case_id=case.pk, actor=approver)  # not suspended


def test_an_item_without_special_procedures_offers_none(department, approver):
    case = make_case(department=department, special_procedures=[])
    claimed(case, approver)
    case.refresh_from_db()
    offered = {t.name for t in case.get_available_user_state_transitions(approver)}
    assert "start_special_procedure" not in offered
    assert {"release", "record_opinion", "request_correction", "approve", "deny"} <= offered


@time_machine.travel(TODAY, tick=False)
def test_extensions_need_a_decision_maker_and_stay_within_the_allowance(department, approver, signer):
    case = make_case(department=department, promised_limit_days=5, max_extension_days=10)
    claimed(case, approver)
    with pytest.raises(PermissionDenied):
        services.extend(case_id=case.pk, actor=approver, days=3, reason="情况复杂")
    with pytest.raises(ValidationError, match="10"):
        services.extend(case_id=case.pk, actor=signer, days=11, reason="情况复杂")
    services.extend(case_id=case.pk, actor=signer, days=3, reason="情况复杂")
    case.refresh_from_db()
    assert case.clock.extension_days == 3 and case.clock.due_on == D(2026, 10, 13)  # 10/10 is a working day
    [extension] = case.clock.extensions.all()
    assert extension.approved_by == signer
    elsewhere = make_staff(Role.DECISION_MAKER, department=DepartmentFactory(centre=department.centre))
    with pytest.raises(PermissionDenied):
        services.extend(case_id=case.pk, actor=elsewhere, days=1, reason="别的部门")


def test_approving_records_what_the_certificate_will_say(department, approver):
    case = make_case(department=department)
    claimed(case, approver)
    with pytest.raises(ValidationError) as refused:
        services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, holder="", scope="")
    assert set(refused.value.message_dict) == {"holder", "scope"}
    with pytest.raises(ValidationError) as backwards:
        services.decide(
            case_id=case.pk,
            actor=approver,
            outcome=Outcome.APPROVE,
            **{**APPROVAL, "valid_until": D(2020, 1, 1)},
        )
    assert "valid_until" in backwards.value.message_dict
    services.decide(
        case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, opinion="材料齐全，符合条件", **APPROVAL
    )
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED
    assert (case.decision_holder, case.decision_scope, case.decided_by) == (
        "张三",
        "预包装食品销售",
        approver,
    )
    assert case.clock.stopped_on is not None
    assert case.opinions.get().text == "材料齐全，符合条件"


def test_denying_needs_reasons_and_legal_basis(department, approver):
    case = make_case(department=department)
    claimed(case, approver)
    with pytest.raises(ValidationError) as refused:
        services.decide(case_id=case.pk, actor=approver, outcome=Outcome.DENY, reasons=" ", legal_basis="")
    assert set(refused.value.message_dict) == {"reasons", "legal_basis"}
    services.decide(
        case_id=case.pk,
        actor=approver,
        outcome=Outcome.DENY,
        reasons="选址不符合规划",
        legal_basis="某条例第十二条",
    )
    case.refresh_from_db()
    assert case.state == CaseState.DENIED and case.denial_legal_basis == "某条例第十二条"


def test_a_second_sign_off_by_a_decision_maker_of_the_department(department, approver, signer):
    case = make_case(department=department, requires_second_signoff=True)
    claimed(case, approver)
    case.refresh_from_db()
    assert "approve" not in {t.name for t in case.get_available_user_state_transitions(approver)}
    services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, **APPROVAL)
    case.refresh_from_db()
    assert (case.state, case.proposed_outcome) == (CaseState.AWAITING_DECISION, Outcome.APPROVE)
    assert case.clock.stopped_on is None  # not decided yet

    with pytest.raises(PermissionDenied):
        services.sign_off(case_id=case.pk, actor=approver)  # no decision-maker role
    services.send_back(case_id=case.pk, actor=signer, opinion="经营范围表述不规范")
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW and not case.proposed_outcome

    services.decide(
        case_id=case.pk,
        actor=approver,
        outcome=Outcome.APPROVE,
        **{**APPROVAL, "scope": "预包装食品（含冷藏冷冻食品）销售"},
    )
    services.sign_off(case_id=case.pk, actor=signer, opinion="同意")
    case.refresh_from_db()
    assert (case.state, case.decided_by, case.signed_off_by) == (CaseState.APPROVED, approver, signer)
    assert [e.transition for e in history_of(case)] == [
        "claim",
        "propose_decision",
        "send_back",
        "propose_decision",
        "sign_off_approval",
    ]


def test_the_proposer_does_not_sign_their_own_proposal(department):
    both = make_staff(Role.APPROVER, department=department)
    from apps.accounts.services import assign_role

    assign_role(user=both, role=Role.DECISION_MAKER, centre=department.centre, department=department)
    case = make_case(department=department, requires_second_signoff=True)
    claimed(case, both)
    services.decide(case_id=case.pk, actor=both, outcome=Outcome.DENY, reasons="不符合", legal_basis="某条")
    with pytest.raises(PermissionDenied):
        services.sign_off(case_id=case.pk, actor=both)
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_DECISION


def test_no_one_withdraws_or_terminates_a_case_by_hand(department, approver, signer):
    """A case is withdrawn with its filing (at a window) and terminated by the lapse sweeps only, so
    neither is an action the desk or the API offers on the case."""
    case = make_case(department=department)
    claimed(case, approver)
    case.refresh_from_db()
    for user in (approver, signer):
        offered = {t.name for t in case.get_available_user_state_transitions(user)}
        assert not {"withdraw", "terminate"} & offered
    withdrawn = refusal(case, "withdraw", actor=approver)
    assert isinstance(withdrawn, Conflict)
    assert withdrawn.message == gettext("A case is withdrawn with its filing, at a window.")
    assert isinstance(refusal(case, "terminate", actor=signer), PermissionDenied)
    assert refusal(case, "terminate") is None  # the sweeps act as the hall's rules (actor=None)
