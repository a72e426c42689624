"""Deadline sweeps with time travel on the real 2026 calendar: yellow, red, overdue across National
Day; exactly one escalation however often the sweep runs; suspension freezes the level; escalations
go up to the centre; lapses end filings and cases as the rules say, with the applicant told."""

import datetime as dt

import pytest
import time_machine

from apps.accounts.roles import Role
from apps.cases import services as intake
from apps.cases.codes import CaseState, FilingState
from apps.cases.models import Escalation, EscalationLevel, Outcome
from apps.cases.review import services as review
from apps.cases.sweeps import run_all
from apps.catalogue.codes import Necessity
from apps.notifications.models import Outbox
from apps.ops.models import JobRun
from apps.worktime.warnings import WarningLevel
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import at_window, make_case, make_filing
from tests.factories.catalogue import MaterialFactory, checklist, make_item, requirement

pytestmark = pytest.mark.django_db
ACCEPTED = dt.datetime(2026, 9, 24, 2, 0)  # Thursday 10:00 in Shanghai


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 1, 0), tick=False)


def sweep_on(day: dt.date) -> dict:
    with at(day):
        return run_all()


def level(case):
    case.refresh_from_db()
    return case.warning


def test_a_case_turns_yellow_red_and_overdue_across_national_day_and_is_escalated_once():
    department = DepartmentFactory()
    supervisor = make_staff(Role.SUPERVISOR, centre=department.centre, department=department)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=5)
    # Due Friday 10/9 (9/25 and 10/1–7 are holidays); yellow two working days before (9/30); red on it.
    assert (case.clock.due_on, case.clock.yellow_on, case.clock.red_on) == (
        dt.date(2026, 10, 9),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 9),
    )
    expected = [
        (dt.date(2026, 9, 29), WarningLevel.NORMAL),
        (dt.date(2026, 9, 30), WarningLevel.YELLOW),
        (dt.date(2026, 10, 5), WarningLevel.YELLOW),  # National Day: nothing moves
        (dt.date(2026, 10, 9), WarningLevel.RED),
        (dt.date(2026, 10, 10), WarningLevel.OVERDUE),  # a make-up Saturday after the due date
    ]
    for day, wanted in expected:
        sweep_on(day)
        assert level(case) == wanted, day
    for _ in range(3):
        changes = sweep_on(dt.date(2026, 10, 10))
        assert changes["warning_levels_changed"] == 0 and changes["escalations_opened"] == 0
    [escalation] = Escalation.objects.all()
    assert (escalation.case, escalation.level, escalation.reason) == (
        case,
        EscalationLevel.DEPARTMENT,
        "overdue",
    )
    told = Outbox.objects.filter(event="escalated")
    assert [(o.user, o.channel) for o in told] == [(supervisor, "site")]


def test_a_suspended_case_keeps_its_level_until_it_resumes():
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=5)
    sweep_on(dt.date(2026, 9, 30))
    assert level(case) == WarningLevel.YELLOW
    with at(dt.date(2026, 9, 30)):
        review.claim(case_id=case.pk, actor=approver)
        review.request_correction(
            case_id=case.pk, actor=approver, items=[{"material": None, "what": "补签名"}]
        )
    sweep_on(dt.date(2026, 10, 12))  # past the old due date: frozen while suspended
    assert level(case) == WarningLevel.YELLOW
    assert not Escalation.objects.exists()
    correction = case.corrections.get()
    with at(dt.date(2026, 10, 12)):
        review.answer_correction(
            correction_id=correction.pk,
            actor=case.filing.created_by,
            window=case.filing.window,
            answer="已补",
        )
    sweep_on(dt.date(2026, 10, 12))
    case.refresh_from_db()
    # Suspended [9/30, 10/12): 9/30, 10/8, 10/9 and Saturday 10/10 (调休) stopped, so the due date
    # moves four working days from 10/9: 10/10, 10/12, 10/13, 10/14 — yellow from 10/12.
    assert case.due_on == case.clock.due_on == dt.date(2026, 10, 14)
    assert case.warning == WarningLevel.YELLOW


def test_an_unacknowledged_escalation_goes_up_to_the_centre(settings):
    settings.HALL_ESCALATE_TO_CENTRE_DAYS = 2
    department = DepartmentFactory()
    centre_supervisor = make_staff(Role.SUPERVISOR, centre=department.centre)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=1)  # due 9/28
    sweep_on(dt.date(2026, 9, 29))
    escalation = Escalation.objects.get(case=case)
    assert escalation.level == EscalationLevel.DEPARTMENT
    sweep_on(dt.date(2026, 9, 30))  # one working day later: still the department's
    escalation.refresh_from_db()
    assert escalation.level == EscalationLevel.DEPARTMENT
    assert sweep_on(dt.date(2026, 10, 8))["escalations_raised"] == 1  # two working days (National Day off)
    escalation.refresh_from_db()
    assert escalation.level == EscalationLevel.CENTRE and escalation.raised_at
    assert Outbox.objects.filter(event="escalation_raised", user=centre_supervisor).exists()
    assert sweep_on(dt.date(2026, 10, 9))["escalations_raised"] == 0


def test_an_acknowledged_escalation_stays_and_a_decision_resolves_it():
    department = DepartmentFactory()
    supervisor = make_staff(Role.SUPERVISOR, centre=department.centre, department=department)
    approver = make_staff(Role.APPROVER, department=department)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=1)
    sweep_on(dt.date(2026, 9, 29))
    escalation = Escalation.objects.get(case=case)
    with at(dt.date(2026, 9, 29)):
        review.acknowledge_escalation(
            escalation_id=escalation.pk, actor=supervisor, note="已约谈承办人，今日办结"
        )
    assert sweep_on(dt.date(2026, 10, 12))["escalations_raised"] == 0
    with at(dt.date(2026, 10, 12)):
        review.claim(case_id=case.pk, actor=approver)
        review.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, holder="张三", scope="经营")
    escalation.refresh_from_db()
    assert escalation.resolved_at is not None
    assert sweep_on(dt.date(2026, 10, 13))["escalations_opened"] == 0  # decided: no new one


def deficient_filing():
    later = MaterialFactory(name="卫生检测报告")
    item = make_item(
        department=DepartmentFactory(),
        promised_limit_days=10,
        children=checklist(requirement(later, Necessity.DEFERRABLE)),
    )
    filing = make_filing(items=[item])
    with time_machine.travel(ACCEPTED, tick=False):
        intake.accept_with_deficiency(
            **at_window(filing), filing_id=filing.pk, commitment_date=dt.date(2026, 9, 30)
        )
    filing.refresh_from_db()
    return filing


def test_a_lapsed_deficiency_terminates_the_filing_by_default():
    filing = deficient_filing()
    assert sweep_on(dt.date(2026, 9, 30))["deficiencies_lapsed"] == 0  # the commitment day itself
    assert sweep_on(dt.date(2026, 10, 8))["deficiencies_lapsed"] == 1
    filing.refresh_from_db()
    assert filing.state == FilingState.TERMINATED
    assert [c.state for c in filing.cases.all()] == [CaseState.TERMINATED]
    assert filing.cases.get().clock.stopped_on == dt.date(2026, 10, 8)
    assert Outbox.objects.filter(event="deficiency_lapsed", address=filing.applicant_phone).exists()
    assert sweep_on(dt.date(2026, 10, 9))["deficiencies_lapsed"] == 0


def test_a_lapsed_deficiency_escalates_first_when_the_rule_says_so(settings):
    settings.HALL_DEFICIENCY_LAPSE = "escalate"
    filing = deficient_filing()
    assert sweep_on(dt.date(2026, 10, 8))["deficiencies_lapsed"] == 1
    filing.refresh_from_db()
    assert filing.state == FilingState.ACCEPTED_WITH_DEFICIENCY
    [escalation] = Escalation.objects.all()
    assert escalation.reason == "deficiency_lapsed"
    assert sweep_on(dt.date(2026, 10, 9))["deficiencies_lapsed"] == 0  # once


def test_an_unanswered_correction_terminates_the_case(settings):
    settings.HALL_CORRECTION_ANSWER_DAYS = 3
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=10)
        review.claim(case_id=case.pk, actor=approver)
        correction = review.request_correction(
            case_id=case.pk, actor=approver, items=[{"material": None, "what": "补充平面图"}]
        )
    assert correction.answer_due_on == dt.date(2026, 9, 30)  # 9/28, 9/29, 9/30
    assert sweep_on(dt.date(2026, 9, 30))["corrections_lapsed"] == 0
    assert sweep_on(dt.date(2026, 10, 8))["corrections_lapsed"] == 1
    case.refresh_from_db()
    assert case.state == CaseState.TERMINATED
    assert case.filing.state == FilingState.TERMINATED  # nothing left to decide
    assert Outbox.objects.filter(event="correction_lapsed").exists()


def test_the_sweep_job_is_recorded_with_what_it_changed():
    from apps.cases.tasks import sweep_deadlines

    department = DepartmentFactory()
    with time_machine.travel(ACCEPTED, tick=False):
        make_case(department=department, promised_limit_days=1)
    with at(dt.date(2026, 9, 29)):
        changes = sweep_deadlines()
    assert changes["warning_levels_changed"] == 1 and changes["escalations_opened"] == 1
    run = JobRun.objects.get(name="deadline_sweep")
    assert run.changes["escalations_opened"] == 1


def test_the_supervision_desk_lists_and_acknowledges_escalations(client):
    department = DepartmentFactory()
    supervisor = make_staff(Role.SUPERVISOR, centre=department.centre, department=department)
    elsewhere = make_staff(Role.SUPERVISOR, centre=DepartmentFactory().centre)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=1)
    sweep_on(dt.date(2026, 9, 29))
    escalation = Escalation.objects.get()
    client.force_login(elsewhere)
    assert case.filing.number not in client.get("/supervision/").content.decode()
    assert (
        client.post(f"/supervision/escalations/{escalation.pk}/acknowledge/", {"note": "x"}).status_code
        == 404
    )
    client.force_login(supervisor)
    assert case.filing.number in client.get("/supervision/").content.decode()
    client.post(f"/supervision/escalations/{escalation.pk}/acknowledge/", {"note": "已督促"})
    escalation.refresh_from_db()
    assert (escalation.acknowledged_by, escalation.acknowledgement) == (supervisor, "已督促")
    # The approvers see it in the case's workspace, and the acknowledgement in its history.
    client.force_login(make_staff(Role.APPROVER, department=department))
    page = client.get(f"/backoffice/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-escalations"' in page and "已督促" in page


def test_each_sweep_runs_by_hand():
    import io
    import json

    from django.core.management import call_command

    with time_machine.travel(ACCEPTED, tick=False):
        make_case(department=DepartmentFactory(), promised_limit_days=1)
    out = io.StringIO()
    with at(dt.date(2026, 9, 29)):
        call_command("sweep", "warnings", stdout=out)
        call_command("sweep", "escalations", stdout=out)
        call_command("sweep", "lapses", stdout=out)
    reports = [json.loads(line) for line in out.getvalue().splitlines()]
    assert reports == [
        {"warning_levels_changed": 1},
        {"escalations_opened": 1, "escalations_raised": 0},
        {"deficiencies_lapsed": 0, "corrections_lapsed": 0},
    ]
    assert JobRun.objects.filter(name__startswith="deadline_sweep:").count() == 3
