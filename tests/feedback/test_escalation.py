"""Rectification tickets past their due date are escalated (督办) like overdue cases: exactly one
open escalation per ticket however often the sweep runs, addressed to the ticket's department's
supervisors and raised to the centre's when not acknowledged in time; resolved when the ticket is
closed or voided; listed on the supervision desk with a link to the ticket, acknowledged and
resolved there as a case's are."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases.models import Escalation, EscalationLevel, EscalationReason, EscalationState
from apps.cases.review import services as review
from apps.cases.sweeps import run_all
from apps.feedback import sweeps
from apps.feedback.escalation import escalations_of_ticket, resolve_for_ticket, ticket_type
from apps.feedback.models import Level, TicketState
from apps.notifications.models import Outbox
from apps.notifications.services import render
from apps.ops.models import JobRun
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case
from tests.factories.feedback import rating, ticket

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 9, 28)  # a Monday; the ticket is overdue from Tuesday 9/29


def on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 1, 0), tick=False)


def sweep_on(day: dt.date) -> dict:
    with on(day):
        return sweeps.run()


def bad_ticket(*, due_on=DUE, **kw):
    return ticket(rating(level=Level.DISSATISFIED), due_on=due_on, **kw)


@pytest.fixture
def late():
    """A ticket past its due date and its department's supervisor."""
    late = bad_ticket()
    supervisor = make_staff(Role.SUPERVISOR, centre=late.centre, department=late.department)
    return late, supervisor


def fresh(escalation) -> Escalation:
    return Escalation.objects.get(pk=escalation.pk)


def test_an_overdue_ticket_is_escalated_once_to_its_departments_supervisors(late):
    late, supervisor = late
    assert sweep_on(DUE) == {"rectifications_escalated": 0, "rectification_escalations_raised": 0}
    for _ in range(3):
        sweep_on(DUE + dt.timedelta(days=1))
    [escalation] = Escalation.objects.all()
    assert escalation.subject == late and escalation.case is None
    assert (escalation.reason, escalation.level, escalation.state, escalation.department) == (
        EscalationReason.RECTIFICATION_OVERDUE,
        EscalationLevel.DEPARTMENT,
        EscalationState.OPEN,
        late.department,
    )
    assert escalation.opened_on == DUE + dt.timedelta(days=1)
    [told] = Outbox.objects.filter(event="rectification_escalated")
    assert (told.user, told.channel) == (supervisor, "site")
    assert told.subject_ref == f"feedback.rectificationticket:{late.pk}"
    subject, body = render(told.event, "zh-hans", told.context)
    assert subject == "督办：整改工单已逾期"
    assert late.rating.filing.number in body and late.department.name in body and "2026-09-28" in body


def test_only_live_tickets_past_their_date_are_escalated():
    due_today = bad_ticket(due_on=DUE + dt.timedelta(days=1))
    closed = bad_ticket(state=TicketState.CLOSED)
    voided = bad_ticket(state=TicketState.VOIDED)
    submitted = bad_ticket(state=TicketState.SUBMITTED)
    appealed = bad_ticket(state=TicketState.APPEALED)
    assert sweep_on(DUE + dt.timedelta(days=1))["rectifications_escalated"] == 2
    escalated = {e.subject_id for e in Escalation.objects.all()}
    assert escalated == {submitted.pk, appealed.pk}
    assert not {due_today.pk, closed.pk, voided.pk} & escalated


def test_the_deadline_sweep_leaves_tickets_escalations_alone(settings, late):
    """The cases' sweep neither opens nor raises a ticket's escalation (nor words it as a case's)."""
    settings.HALL_ESCALATE_TO_CENTRE_DAYS = 1
    late, _supervisor = late
    with on(DUE + dt.timedelta(days=1)):
        assert run_all()["escalations_opened"] == 0
    sweep_on(DUE + dt.timedelta(days=1))
    with on(DUE + dt.timedelta(days=5)):
        assert run_all()["escalations_raised"] == 0
    assert escalations_of_ticket(late.pk).get().level == EscalationLevel.DEPARTMENT
    assert not Outbox.objects.filter(event__in=["escalated", "escalation_raised"]).exists()


def test_an_unacknowledged_one_goes_up_to_the_centre_and_the_centre_is_told(settings, late):
    settings.HALL_ESCALATE_TO_CENTRE_DAYS = 2
    late, _supervisor = late
    centre_supervisor = make_staff(Role.SUPERVISOR, centre=late.centre)
    # A case's escalation in the same department, raised by its own sweep, not by this one.
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        case = make_case(department=late.department, promised_limit_days=1)
    with on(dt.date(2026, 9, 29)):
        run_all()
    sweep_on(dt.date(2026, 9, 29))
    assert sweep_on(dt.date(2026, 9, 30))["rectification_escalations_raised"] == 0  # one working day
    # Two working days later (National Day off): raised, logged as the transition would be.
    assert sweep_on(dt.date(2026, 10, 8))["rectification_escalations_raised"] == 1
    escalation = escalations_of_ticket(late.pk).get()
    assert (escalation.state, escalation.level) == (EscalationState.OPEN, EscalationLevel.CENTRE)
    [logged] = history_of(escalation)
    assert (logged.transition, logged.context) == ("raise_to_centre", {"source": "sweep", "level": "centre"})
    assert Escalation.objects.get(case=case).level == EscalationLevel.DEPARTMENT
    [told] = Outbox.objects.filter(event="rectification_escalation_raised")
    assert told.user == centre_supervisor
    assert sweep_on(dt.date(2026, 10, 9))["rectification_escalations_raised"] == 0


def test_closing_the_ticket_resolves_its_escalation(late):
    late, supervisor = late
    sweep_on(DUE + dt.timedelta(days=1))
    escalation = escalations_of_ticket(late.pk).get()
    with transaction.atomic():
        type(late).objects.filter(pk=late.pk).update(state=TicketState.CLOSED)  # as its service would
        resolve_for_ticket(type(late).objects.get(pk=late.pk), actor=supervisor, note="已回访，整改到位")
    done = fresh(escalation)
    assert (done.state, done.resolved_by, done.resolution) == (
        EscalationState.RESOLVED,
        supervisor,
        "已回访，整改到位",
    )
    assert [(e.transition, e.from_state, e.to_state) for e in history_of(done)] == [
        ("resolve", "open", "resolved")
    ]
    # Resolved stays resolved: the closed ticket is not escalated again, and resolving twice is a no-op.
    assert sweep_on(DUE + dt.timedelta(days=2))["rectifications_escalated"] == 0
    assert resolve_for_ticket(late, actor=supervisor, note="again") == []


def test_verifying_the_ticket_resolves_its_escalation_through_the_tickets_service(late):
    tickets = pytest.importorskip("apps.feedback.tickets")
    late, department_supervisor = late
    centre_supervisor = make_staff(Role.SUPERVISOR, centre=late.centre)
    type(late).objects.filter(pk=late.pk).update(
        state=TicketState.SUBMITTED,
        follow_up_method="phone",
        followed_up_at=timezone.now(),
        follow_up_note="已致歉",
        cause="窗口人手不足",
        measures="增设窗口",
    )
    sweep_on(DUE + dt.timedelta(days=1))
    escalation = escalations_of_ticket(late.pk).get()
    with on(DUE + dt.timedelta(days=2)):
        tickets.verify_ticket(ticket_id=late.pk, note="核实整改到位", actor=centre_supervisor)
    done = fresh(escalation)
    assert (done.state, done.resolved_by, done.resolution) == (
        EscalationState.RESOLVED,
        centre_supervisor,
        "核实整改到位",
    )
    assert department_supervisor != centre_supervisor


def test_a_supervisor_acknowledges_and_resolves_a_tickets_escalation_logged_on_the_ticket(late):
    late, supervisor = late
    sweep_on(DUE + dt.timedelta(days=1))
    escalation = escalations_of_ticket(late.pk).get()
    review.acknowledge_escalation(escalation_id=escalation.pk, actor=supervisor, note="已约谈科室负责人")
    review.resolve_escalation(escalation_id=escalation.pk, actor=supervisor, resolution="科室承诺本周办结")
    done = fresh(escalation)
    assert (done.state, done.acknowledgement, done.resolution) == (
        EscalationState.RESOLVED,
        "已约谈科室负责人",
        "科室承诺本周办结",
    )
    # The steps are in the ticket's history too (its page reads the transition log).
    steps = [(e.transition, e.comment) for e in history_of(late)]
    assert steps == [
        ("escalation_acknowledged", "已约谈科室负责人"),
        ("escalation_resolved", "科室承诺本周办结"),
    ]


def test_an_escalation_concerns_a_case_or_a_subject_never_both_nor_neither(late):
    late, _supervisor = late
    case = make_case(department=late.department)
    common = {
        "reason": EscalationReason.OVERDUE,
        "level": EscalationLevel.DEPARTMENT,
        "department": late.department,
        "opened_on": DUE,
    }
    for wrong in ({}, {"case": case, "subject": late}, {"subject_type": ticket_type()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Escalation.objects.create(**common, **wrong)
    Escalation.objects.create(**common, subject=late)
    with pytest.raises(IntegrityError), transaction.atomic():  # one open per subject
        Escalation.objects.create(**common, subject=late)


# --- the supervision desk -----------------------------------------------------------------------------


def desk(client, user, **query) -> str:
    client.force_login(user)
    with translation.override("en"):
        response = client.get(reverse("desks:supervision"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_desk_lists_a_tickets_escalation_with_its_department_due_date_and_link(english, late):
    client = english
    late, supervisor = late
    sweep_on(DUE + dt.timedelta(days=1))
    escalation = escalations_of_ticket(late.pk).get()
    page = desk(client, supervisor)
    link = reverse("desks:rectification_ticket", args=[late.pk])
    assert f'href="{link}"' in page
    assert late.department.name in page and "2026-09-28" in page
    assert "Rectification overdue" in page
    assert reverse("desks:supervision_act", args=[escalation.pk, "acknowledge"]) in page
    # Another department's supervisor does not see it, nor act on it.
    other = DepartmentFactory(centre=late.centre)
    stranger = make_staff(Role.SUPERVISOR, centre=late.centre, department=other)
    assert link not in desk(client, stranger)
    response = client.post(
        reverse("desks:supervision_act", args=[escalation.pk, "acknowledge"]), {"note": "x"}
    )
    assert response.status_code == 404


def test_the_desk_acknowledges_and_resolves_a_tickets_escalation(client, late):
    late, supervisor = late
    sweep_on(DUE + dt.timedelta(days=1))
    escalation = escalations_of_ticket(late.pk).get()
    client.force_login(supervisor)
    act = "desks:supervision_act"
    client.post(reverse(act, args=[escalation.pk, "acknowledge"]), {"note": "已督促科室"})
    assert fresh(escalation).acknowledgement == "已督促科室"
    client.post(reverse(act, args=[escalation.pk, "resolve"]), {"note": "已整改"})
    assert fresh(escalation).state == EscalationState.RESOLVED
    page = desk(client, supervisor, tab="resolved")
    assert reverse("desks:rectification_ticket", args=[late.pk]) in page and "已整改" in page


def test_the_desk_reads_as_many_queries_for_many_escalations_as_for_one(
    client, django_assert_max_num_queries
):
    department = DepartmentFactory()
    supervisor = make_staff(Role.SUPERVISOR, centre=department.centre, department=department)

    def escalate(n):
        for _ in range(n):
            bad = rating(level=Level.DISSATISFIED)
            ticket(bad, due_on=DUE, department_id=department.pk, centre_id=department.centre_id)
        with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
            for _ in range(n):
                make_case(department=department, promised_limit_days=1)
        with on(DUE + dt.timedelta(days=1)):
            run_all()
        sweep_on(DUE + dt.timedelta(days=1))

    escalate(1)
    client.force_login(supervisor)
    with django_assert_max_num_queries(100) as one:
        client.get(reverse("desks:supervision"))
    escalate(6)
    assert Escalation.objects.filter(case__isnull=True).count() == 7
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("desks:supervision")).content.decode()
    assert page.count('data-testid="escalation-subject"') == 7


# --- the job --------------------------------------------------------------------------------------------


def test_the_rectification_sweep_job_is_recorded_with_what_it_changed(late):
    from apps.feedback.tasks import sweep_rectifications

    with on(DUE + dt.timedelta(days=1)):
        changes = sweep_rectifications()
    assert changes == {"rectifications_escalated": 1, "rectification_escalations_raised": 0}
    run = JobRun.objects.get(name="rectification_sweep")
    assert run.changes["rectifications_escalated"] == 1


def test_the_beat_runs_the_rectification_sweep_beside_the_deadline_sweep():
    from apps.feedback.tasks import sweep_rectifications
    from hall.celery import app

    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"apps.cases.tasks.sweep_deadlines", sweep_rectifications.name} <= schedule


# --- two sweeps at once (PostgreSQL: row locks and the partial unique index under concurrency) -------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_open_one_escalation_per_ticket():
    import threading

    from django.db import connection

    tickets = [bad_ticket() for _ in range(3)]
    barrier = threading.Barrier(2)
    opened = [None, None]

    def sweep(index):
        try:
            with on(DUE + dt.timedelta(days=1)), transaction.atomic():
                barrier.wait()
                opened[index] = sweeps.escalate_overdue_tickets()
        except Exception as error:  # noqa: BLE001 - the assertions below report it
            opened[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(ids, list) for ids in opened), opened
    assert len(opened[0]) + len(opened[1]) == 3
    assert sorted(Escalation.objects.values_list("subject_id", flat=True)) == sorted(t.pk for t in tickets)
