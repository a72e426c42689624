"""Who sees which rectification tickets, and the approval desk's summary (open, near due, past due)."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.roles import Role
from apps.feedback import ticket_selectors as selectors
from apps.feedback.models import Level, RectificationTicket, TicketState
from apps.worktime import calendar
from tests.factories import DepartmentFactory, make_staff
from tests.factories.feedback import rating, ticket

pytestmark = pytest.mark.django_db


def test_handlers_and_supervisors_see_their_own():
    mine = ticket(rating(level=Level.DISSATISFIED))
    centre, department = mine.centre, mine.department
    sibling = ticket(rating(level=Level.DISSATISFIED))
    other_department = DepartmentFactory(centre=centre)
    RectificationTicket.objects.filter(pk=sibling.pk).update(centre=centre, department=other_department)
    elsewhere = ticket(rating(level=Level.DISSATISFIED))  # another centre

    approver = make_staff(Role.APPROVER, department=department)
    department_supervisor = make_staff(Role.SUPERVISOR, centre=centre, department=department)
    centre_supervisor = make_staff(Role.SUPERVISOR, centre=centre)
    clerk = make_staff(Role.CLERK, centre=centre)

    def ids(queryset):
        return set(queryset.values_list("pk", flat=True))

    assert ids(selectors.tickets_for_handler(approver)) == {mine.pk}
    assert ids(selectors.tickets_for_supervisor(department_supervisor)) == {mine.pk}
    assert ids(selectors.tickets_for_supervisor(centre_supervisor)) == {mine.pk, sibling.pk}
    assert ids(selectors.tickets_visible_to(clerk)) == set()
    assert elsewhere.pk not in ids(selectors.tickets_visible_to(centre_supervisor))
    assert ids(selectors.tickets_for_supervisor(approver)) == set()


def test_the_summary_counts_open_near_and_past_due():
    today = timezone.localdate()
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    near = calendar.add_working_days(today, selectors.NEAR_DUE_WORKING_DAYS)

    def of_department(**fields):
        row = ticket(rating(level=Level.DISSATISFIED), **fields)
        RectificationTicket.objects.filter(pk=row.pk).update(department=department)
        return row

    late = of_department(due_on=today - dt.timedelta(days=1))
    soon = of_department(due_on=near)
    of_department(due_on=near + dt.timedelta(days=10))
    of_department(due_on=today - dt.timedelta(days=5), state=TicketState.CLOSED)  # done with
    of_department(due_on=today - dt.timedelta(days=5), state=TicketState.SUBMITTED)  # the supervisors' move

    summary = selectors.handler_summary(approver, today=today)
    assert (summary.open, summary.near_due, summary.overdue) == (3, 1, 1)
    assert [t.pk for t in summary.urgent] == [late.pk, soon.pk]


def test_tabs_and_filters():
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    rows = {}
    for state in (
        TicketState.OPEN,
        TicketState.SUBMITTED,
        TicketState.APPEALED,
        TicketState.CLOSED,
        TicketState.VOIDED,
    ):
        rows[state] = ticket(rating(level=Level.DISSATISFIED), state=state)
    RectificationTicket.objects.update(department=department)
    tickets = selectors.tickets_for_handler(approver)
    assert selectors.tab_counts(tickets) == {"open": 1, "submitted": 1, "appealed": 1, "closed": 2}
    closed = selectors.filtered(tickets, selectors.Filters(tab="closed"))
    assert set(closed.values_list("state", flat=True)) == {TicketState.CLOSED, TicketState.VOIDED}
    window = rows[TicketState.OPEN].window_id
    assert list(
        selectors.filtered(tickets, selectors.Filters(window=window)).values_list("pk", flat=True)
    ) == [rows[TicketState.OPEN].pk]
    assert selectors.Filters.from_query({"tab": "nonsense", "window": "x"}) == selectors.Filters()
