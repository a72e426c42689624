"""An escalation's (督办) state graph: open → acknowledged → resolved, or open → resolved (the case
ended first); an open one addressed to the department is raised to the centre. Each move is in the
escalation's own log — the supervisors' through the transition, the sweeps' written in bulk with the
same names; a move the graph does not have is refused with a conflict and changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django_fsm import can_proceed

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.audit.transitions import check_transition
from apps.cases.models import Escalation, EscalationLevel, EscalationReason, EscalationState, Outcome
from apps.cases.review import services as review
from apps.cases.sweeps import run_all
from apps.core.errors import Conflict
from apps.notifications.models import MessageTemplate, Outbox
from apps.notifications.services import render
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]

ACCEPTED = dt.datetime(2026, 9, 24, 2, 0)  # Thursday 10:00 in Shanghai; a 1-day item is due 9/28


@pytest.fixture
def source_language():
    """Refusals are matched as written in the source (English)."""
    with translation.override("en"):
        yield


def on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 1, 0), tick=False)


@pytest.fixture
def overdue():
    """An overdue case escalated by the sweep, and its department's supervisor."""
    department = DepartmentFactory()
    supervisor = make_staff(Role.SUPERVISOR, centre=department.centre, department=department)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=1)
    with on(dt.date(2026, 9, 29)):
        run_all()
    return Escalation.objects.get(case=case), supervisor


def fresh(escalation) -> Escalation:
    return Escalation.objects.get(pk=escalation.pk)


def moves(escalation) -> list[tuple]:
    return [(e.transition, e.from_state, e.to_state) for e in history_of(escalation)]


def acknowledge(escalation, supervisor, note="已约谈承办人"):
    return review.acknowledge_escalation(escalation_id=escalation.pk, actor=supervisor, note=note)


def resolve(escalation, supervisor, resolution="已办结"):
    return review.resolve_escalation(escalation_id=escalation.pk, actor=supervisor, resolution=resolution)


def test_the_sweep_opens_an_escalation_open_and_addressed_to_the_department(overdue):
    escalation, _supervisor = overdue
    assert (escalation.state, escalation.level, escalation.reason) == (
        EscalationState.OPEN,
        EscalationLevel.DEPARTMENT,
        EscalationReason.OVERDUE,
    )
    assert not history_of(escalation).exists()  # opening is not a transition: the row says it all


def test_acknowledged_then_resolved_each_move_logged_with_the_supervisors_words(overdue):
    escalation, supervisor = overdue
    acknowledge(escalation, supervisor, "已约谈承办人，今日办结")
    assert fresh(escalation).state == EscalationState.ACKNOWLEDGED
    resolve(escalation, supervisor, "已办结")
    done = fresh(escalation)
    assert (done.state, done.resolved_by, done.resolution) == (EscalationState.RESOLVED, supervisor, "已办结")
    assert moves(escalation) == [
        ("acknowledge", "open", "acknowledged"),
        ("resolve", "acknowledged", "resolved"),
    ]
    assert [e.comment for e in history_of(escalation)] == ["已约谈承办人，今日办结", "已办结"]
    assert all(e.actor == supervisor for e in history_of(escalation))


def test_a_resolved_escalation_is_not_acknowledged(overdue):
    escalation, supervisor = overdue
    resolve(escalation, supervisor)
    with pytest.raises(Conflict, match="Resolved"):
        acknowledge(escalation, supervisor)
    assert (fresh(escalation).acknowledged_at, fresh(escalation).acknowledgement) == (None, "")
    assert [m[0] for m in moves(escalation)] == ["resolve"]


def test_an_escalation_is_neither_acknowledged_nor_resolved_twice(overdue):
    escalation, supervisor = overdue
    acknowledge(escalation, supervisor, "第一次")
    with pytest.raises(Conflict, match="Acknowledged"):
        acknowledge(escalation, supervisor, "第二次")
    resolve(escalation, supervisor, "已办结")
    with pytest.raises(Conflict, match="Resolved"):
        resolve(escalation, supervisor, "又一次")
    done = fresh(escalation)
    assert (done.acknowledgement, done.resolution) == ("第一次", "已办结")
    assert [m[0] for m in moves(escalation)] == ["acknowledge", "resolve"]


def test_deciding_the_case_resolves_its_open_escalation_by_the_transition(overdue):
    escalation, _supervisor = overdue
    approver = make_staff(Role.APPROVER, department=escalation.department)
    with on(dt.date(2026, 9, 30)):
        review.claim(case_id=escalation.case_id, actor=approver)
        review.decide(
            case_id=escalation.case_id, actor=approver, outcome=Outcome.APPROVE, holder="张三", scope="经营"
        )
    done = fresh(escalation)
    assert (done.state, done.resolved_by) == (EscalationState.RESOLVED, approver)
    assert moves(escalation) == [("resolve", "open", "resolved")]


def test_the_sweep_raises_an_unacknowledged_one_and_logs_it_in_bulk(settings, overdue):
    settings.HALL_ESCALATE_TO_CENTRE_DAYS = 2
    escalation, _supervisor = overdue
    with on(dt.date(2026, 10, 8)):  # two working days later (National Day off)
        assert run_all()["escalations_raised"] == 1
    raised = fresh(escalation)
    assert (raised.state, raised.level) == (EscalationState.OPEN, EscalationLevel.CENTRE)
    [last] = history_of(escalation)
    assert (last.transition, last.from_state, last.to_state) == ("raise_to_centre", "open", "open")
    assert last.context == {"source": "sweep", "level": "centre"}
    # Anchored as an escalation's row written one at a time is (apps.audit.anchors), so that the
    # department's and the centre's supervisors find it in the audit viewer, not superusers only.
    case = escalation.case
    assert (last.centre_id, last.department_id, last.filing_number) == (
        escalation.department.centre_id,
        escalation.department_id,
        case.filing.number,
    )
    # Raised is raised once: the graph's condition, and the sweep's filter that mirrors it.
    assert not can_proceed(raised.raise_to_centre)
    with on(dt.date(2026, 10, 9)):
        assert run_all()["escalations_raised"] == 0
    assert [m[0] for m in moves(escalation)] == ["raise_to_centre"]


def test_an_acknowledged_escalation_is_not_raised(settings, overdue):
    settings.HALL_ESCALATE_TO_CENTRE_DAYS = 2
    escalation, supervisor = overdue
    acknowledge(escalation, supervisor)
    assert not can_proceed(fresh(escalation).raise_to_centre)
    with on(dt.date(2026, 10, 12)):
        assert run_all()["escalations_raised"] == 0
    assert fresh(escalation).level == EscalationLevel.DEPARTMENT


def test_the_state_is_set_by_the_transitions_only(overdue):
    escalation, _supervisor = overdue
    with pytest.raises(AttributeError):
        escalation.state = EscalationState.RESOLVED


# --- what the graph offers a supervisor (the supervision desk lists exactly these) ---------------


def offered(escalation, user) -> set[str]:
    return {t.name for t in fresh(escalation).get_available_user_state_transitions(user)}


def test_an_open_escalation_offers_acknowledge_and_resolve_and_never_the_raise(overdue):
    escalation, supervisor = overdue
    assert can_proceed(fresh(escalation).raise_to_centre)  # the sweep's step is possible now …
    assert offered(escalation, supervisor) == {"acknowledge", "resolve"}  # … but no person's


def test_an_acknowledged_escalation_offers_only_the_resolution(overdue):
    escalation, supervisor = overdue
    acknowledge(escalation, supervisor)
    assert offered(escalation, supervisor) == {"resolve"}
    resolve(escalation, supervisor)
    assert offered(escalation, supervisor) == set()


def test_a_person_raising_an_escalation_is_refused_in_the_rules_words(overdue):
    escalation, supervisor = overdue
    with pytest.raises(PermissionDenied, match="raised to the centre by the hall's rules"):
        check_transition(fresh(escalation), "raise_to_centre", actor=supervisor)
    check_transition(fresh(escalation), "raise_to_centre", actor=None)  # the sweep's own rule


def test_the_supervisors_are_told_the_reason_in_words_not_its_code(overdue):
    escalation, supervisor = overdue
    [told] = Outbox.objects.filter(event="escalated", user=supervisor)
    assert told.context["reason"] == "已逾期"  # the hall's language, whatever the sender's
    # An administrator's template that prints the reason prints the words.
    MessageTemplate.objects.filter(event="escalated", language=told.language).update(body="{{ reason }}")
    assert render("escalated", told.language, told.context)[1] == "已逾期"
