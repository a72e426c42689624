"""Refreshing the work roll-ups: which days a refresh redoes (the log's days since the last refresh,
the start days of special procedures dated back, today), a past day re-aggregated when its work
changes after it was rolled up, a rebuild that changes nothing when nothing changed."""

from __future__ import annotations

import pytest

from apps.accounts.roles import Role
from apps.cases import services
from apps.cases.review import services as review
from apps.supervision import rollups
from apps.supervision.models import Dimension, RefreshMark, WorkRollup
from apps.worktime.codes import SpecialProcedure
from tests.factories.accounts import DepartmentFactory, make_staff
from tests.factories.cases import accept_filing, make_filing, window_hall
from tests.factories.catalogue import make_item
from tests.supervision.work_world import DAY_1, DAY_2, DAY_3, DAY_5, at

pytestmark = pytest.mark.django_db


def centre_row(centre, day):
    return WorkRollup.objects.filter(
        day=day, department=None, dimension=Dimension.CENTRE, key=centre.pk
    ).first()


def test_a_day_is_re_aggregated_when_its_work_changes_after_a_refresh():
    with at(DAY_1, 8):  # the hall's own logs (its item published) on the same day
        centre, item, _material, window, clerk = window_hall()
    with at(DAY_1, 9):
        accept_filing(make_filing(items=[item], centre=centre, window=window, clerk=clerk))
    with at(DAY_1, 12):
        assert rollups.refresh() == {"days_refreshed": 1, "rows_written": 8}
    assert (centre_row(centre, DAY_1).decided_window, centre_row(centre, DAY_1).refused) == (1, 0)
    with at(DAY_1, 15):
        refused = make_filing(items=[item], centre=centre, window=window, clerk=clerk)
        services.refuse(
            filing_id=refused.pk, reasons="不符合条件。", legal_basis="第三十二条", actor=clerk, window=window
        )
    with at(DAY_2, 9):
        # The day before (its log since the last refresh), and today.
        assert rollups.refresh()["days_refreshed"] == 2
    assert (centre_row(centre, DAY_1).decided_window, centre_row(centre, DAY_1).refused) == (2, 1)
    with at(DAY_2, 10):
        assert rollups.refresh()["days_refreshed"] == 1  # nothing new: today only
    assert RefreshMark.objects.get(name=rollups.MARK).at.hour == 2  # 10:00 in Shanghai, in UTC


def test_a_special_procedure_dated_back_re_aggregates_its_start_day():
    with at(DAY_1, 8):
        department = DepartmentFactory()
        item = make_item(department=department, special_procedures=[SpecialProcedure.EXPERT_REVIEW])
        approver = make_staff(Role.APPROVER, department=department)
    with at(DAY_1):
        filing = accept_filing(make_filing(items=[item]))
        rollups.refresh()
    case = filing.cases.get()
    with at(DAY_5):
        review.claim(case_id=case.pk, actor=approver)
        review.start_special_procedure(
            case_id=case.pk,
            actor=approver,
            procedure=SpecialProcedure.EXPERT_REVIEW,
            reason="专家评审",
            started_on=DAY_3,
        )
    with at(DAY_5, 11):
        rollups.refresh()
    assert centre_row(filing.centre, DAY_3).suspensions_special == 1
    assert centre_row(filing.centre, DAY_5) is None  # logged that day, but it counts on its start day


def test_a_rebuild_is_idempotent():
    centre, item, _material, window, clerk = window_hall()
    with at(DAY_1):
        accept_filing(make_filing(items=[item], centre=centre, window=window, clerk=clerk))
    first = rollups.rebuild(DAY_1, DAY_2)
    rows = sorted(
        (r.day, r.dimension, r.key, r.department_id or 0, r.decided_window) for r in WorkRollup.objects.all()
    )
    assert rollups.rebuild(DAY_1, DAY_2) == first == 8  # 4 dimensions, all and the department
    assert (
        sorted(
            (r.day, r.dimension, r.key, r.department_id or 0, r.decided_window)
            for r in WorkRollup.objects.all()
        )
        == rows
    )
