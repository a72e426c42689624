"""A calendar change moves a suspended case's clock; the warning sweep brings the case's copied due
date (what the department's queue sorts by) along, and leaves its frozen level alone."""

import datetime as dt

import pytest
import time_machine

from apps.accounts.roles import Role
from apps.cases.review import services as review
from apps.cases.sweeps import sweep_warnings
from apps.worktime import services
from apps.worktime.warnings import WarningLevel
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db
ACCEPTED = dt.datetime(2026, 9, 24, 2, 0)  # Thursday 10:00 in Shanghai


def on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 1, 0), tick=False)


def test_a_closure_moves_a_suspended_cases_due_date_in_its_queue(django_capture_on_commit_callbacks):
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=5)
    assert case.clock.due_on == dt.date(2026, 10, 9)
    with on(dt.date(2026, 9, 30)):
        sweep_warnings()
        review.claim(case_id=case.pk, actor=approver)
        review.request_correction(
            case_id=case.pk, actor=approver, items=[{"material": None, "what": "补签名"}]
        )
    case.refresh_from_db()
    assert (case.state, case.warning) == ("suspended", WarningLevel.YELLOW)

    # The centre closes on Thursday 10/8, before the due date: the clock's due date moves to the
    # make-up Saturday 10/10 (recomputed by the job the change queues).
    with on(dt.date(2026, 10, 5)), django_capture_on_commit_callbacks(execute=True):
        services.add_closure(
            centre=department.centre, first=dt.date(2026, 10, 8), last=dt.date(2026, 10, 8), name="搬迁闭厅"
        )
    case.clock.refresh_from_db()
    assert case.clock.due_on == dt.date(2026, 10, 10)

    with on(dt.date(2026, 10, 5)):
        assert sweep_warnings() == 1
        assert sweep_warnings() == 0  # idempotent
    case.refresh_from_db()
    assert case.due_on == dt.date(2026, 10, 10)
    assert case.warning == WarningLevel.YELLOW  # frozen while suspended, as before
