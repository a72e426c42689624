"""A bad rating opens a rectification ticket for the department (and window) of the act, due in
HALL_RECTIFICATION_DAYS working days on the centre's calendar; the department's handlers are told."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import override_settings

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.feedback.models import Level, RectificationTicket, TicketState
from apps.feedback.tickets import OPENED, open_ticket
from apps.notifications.models import Outbox
from apps.worktime import calendar
from tests.factories import make_staff
from tests.factories.feedback import rating, ticket

pytestmark = pytest.mark.django_db


def test_a_ticket_is_the_departments_and_the_windows_of_the_act():
    bad = rating(level=Level.DISSATISFIED)
    opened = open_ticket(bad)
    assert opened.state == TicketState.OPEN
    assert (opened.centre_id, opened.department_id, opened.window_id) == (
        bad.centre_id,
        bad.department_id,
        bad.window_id,
    )
    assert opened.window_id is not None  # a window visit: the window is charged too
    log = TransitionLog.objects.get(object_id=str(opened.pk), transition="opened")
    assert log.actor is None  # the hall's own rule opened it


@override_settings(HALL_RECTIFICATION_DAYS=15)
def test_due_in_working_days_on_the_hall_calendar():
    # Friday 2026-01-09: 15 working days on is Friday 2026-01-30 (weekends skipped), not 2026-01-24.
    with time_machine.travel(dt.datetime(2026, 1, 9, 10, 0, tzinfo=dt.UTC), tick=False):
        bad = rating(level=Level.VERY_DISSATISFIED)
        opened = open_ticket(bad)
        assert opened.due_on == calendar.add_working_days(dt.date(2026, 1, 9), 15, bad.centre_id)
        assert opened.due_on > dt.date(2026, 1, 9) + dt.timedelta(days=15)
        assert opened.due_on.weekday() < 5


def test_the_departments_handlers_are_told_in_site_and_by_sms():
    bad = rating(level=Level.DISSATISFIED)
    approver = make_staff(Role.APPROVER, department=bad.department, phone="13800001111")
    decider = make_staff(Role.DECISION_MAKER, department=bad.department)
    elsewhere = make_staff(Role.APPROVER, centre=bad.centre)  # another department of the centre
    supervisor = make_staff(Role.SUPERVISOR, centre=bad.centre)
    opened = open_ticket(bad)
    rows = Outbox.objects.filter(event=OPENED)
    assert {(r.user_id, r.channel) for r in rows} == {
        (approver.pk, "site"),
        (approver.pk, "sms"),
        (decider.pk, "site"),
    }
    assert not rows.filter(user_id__in=[elsewhere.pk, supervisor.pk]).exists()
    row = rows.first()
    assert row.context["filing_number"] == bad.filing.number
    assert row.context["due_on"] == opened.due_on.isoformat()
    assert row.subject_ref == f"feedback.rectificationticket:{opened.pk}"


def test_a_rating_with_a_live_ticket_keeps_it():
    bad = rating(level=Level.DISSATISFIED)
    first = open_ticket(bad)
    assert open_ticket(bad) == first
    assert RectificationTicket.objects.filter(rating=bad).count() == 1


def test_a_closed_ticket_lets_a_new_one_open():
    bad = rating(level=Level.DISSATISFIED)
    ticket(bad, state=TicketState.CLOSED)
    again = open_ticket(bad)
    assert again.state == TicketState.OPEN
    assert RectificationTicket.objects.filter(rating=bad).count() == 2


def test_the_database_refuses_a_second_live_ticket():
    bad = rating(level=Level.DISSATISFIED)
    ticket(bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        ticket(bad, state=TicketState.SUBMITTED)
