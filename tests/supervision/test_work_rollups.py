"""The work roll-ups (``apps.supervision.rollups``) of a planted fortnight made through the services
(tests/supervision/work_world.py), against the plan's right answers worked out by hand there; a day
re-aggregated when its work changes; the refresh's days; the figures read from them."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.roles import Role
from apps.accounts.scopes import scope_of
from apps.cases.codes import MaterialStatus
from apps.supervision import rollups
from apps.supervision.models import Dimension, WorkRollup
from apps.supervision.models.rollups import COUNTS
from apps.supervision.work_figures import WorkQuery, figures_for
from tests.factories.accounts import make_staff
from tests.supervision.work_world import DAY_1, DAY_2, DAY_3, DAY_5, DAY_8, EXPECTED, plant

pytestmark = pytest.mark.django_db

ZERO = dict.fromkeys(COUNTS, 0)


@pytest.fixture(scope="module")
def planted(django_db_blocker, django_db_setup):
    """The world and its roll-ups, made once for the module's read-only tests."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            world = plant()
            written = rollups.rebuild(DAY_1, DAY_8)
            yield world, written
            transaction.set_rollback(True)


def counts_of(row: WorkRollup) -> dict:
    return {name: getattr(row, name) for name in COUNTS}


def expected(day, *departments) -> dict:
    total = dict(ZERO)
    for key in departments:
        for name, value in EXPECTED.get(day, {}).get(key, {}).items():
            total[name] += value
    return total


def test_the_plan_is_as_written(planted):
    """What the plan takes for granted about the planted set (not the roll-up's answers)."""
    world, _written = planted
    f = world.filings
    assert f["F3"].checklist.get(material=world.hall.licence).status == MaterialStatus.E_CERTIFICATE
    assert f["F5"].resubmission_of_id == f["F3"].pk
    for name in ("F4", "F6"):
        assert not f[name].checklist.filter(status=MaterialStatus.E_CERTIFICATE).exists()
    assert {f[name].window_id for name in f} == {world.window.pk}


@pytest.mark.parametrize("day", [DAY_1, DAY_2, DAY_3, DAY_5, DAY_8])
def test_each_department_each_day(planted, day):
    world, _written = planted
    for key, department in world.departments.items():
        rows = WorkRollup.objects.filter(
            day=day, department=department, dimension=Dimension.DEPARTMENT, key=department.pk
        )
        want = expected(day, key)
        if want == ZERO:
            assert not rows.exists(), key
        else:
            assert counts_of(rows.get()) == want, (day, key)


@pytest.mark.parametrize("day", [DAY_1, DAY_2, DAY_3, DAY_5, DAY_8])
def test_the_centre_each_day_adds_up_the_departments(planted, day):
    world, _written = planted
    row = WorkRollup.objects.get(day=day, department=None, dimension=Dimension.CENTRE, key=world.centre.pk)
    assert counts_of(row) == expected(day, "L", "M", "O")
    # All departments at once, by department: the same rows as each department's own.
    by_department = WorkRollup.objects.filter(day=day, department=None, dimension=Dimension.DEPARTMENT)
    assert {r.key: counts_of(r) for r in by_department} == {
        world.departments[key].pk: expected(day, key) for key in "LMO" if expected(day, key) != ZERO
    }


def test_items_are_keyed_by_lineage_and_windows_by_the_window_that_took_the_filing(planted):
    world, _written = planted
    for key, item in world.items.items():
        total = dict(ZERO)
        for row in WorkRollup.objects.filter(department=None, dimension=Dimension.ITEM, key=item.lineage_id):
            for name, value in counts_of(row).items():
                total[name] += value
        want = dict(ZERO)
        for day in EXPECTED:
            for name, value in expected(day, key).items():
                want[name] += value
        assert total == want, key
    windows = WorkRollup.objects.filter(department=None, dimension=Dimension.WINDOW)
    assert {row.key for row in windows} == {world.window.pk}
    # F1 (two items), F2, F3, F4, F6, F8 on day 1, F5 on day 2.
    assert sum(row.decided_window + row.decided_online for row in windows) == 8


def test_nothing_on_the_quiet_days(planted):
    assert not WorkRollup.objects.filter(day__in=[dt.date(2026, 3, 5), dt.date(2026, 3, 7)]).exists()


def test_the_work_figures_of_the_fortnight(planted):
    """The figures read from these roll-ups, against the rates worked out by hand from the plan."""
    world, _written = planted
    centre_supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    march = WorkQuery(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    totals = figures_for(scope_of(centre_supervisor), march).totals
    assert (totals.decided, totals.decided_window, totals.decided_online) == (8, 6, 2)
    # First decisions: L 2, M 2, O 3 (F5 is a resubmission); passed: L 1, M 2, O 2.
    assert (totals.first_decisions, totals.first_time_passed, totals.first_time_pass_rate) == (7, 5, 71.4)
    # Cases decided: F8's (on time), F1's iL (on time), F1's iM (late), F6's (on time).
    assert (totals.cases_decided, totals.cases_on_time, totals.on_time_rate) == (4, 3, 75.0)
    assert totals.online_share == 25.0
    # Days used 1 + 2 + 4 + 5, promised 2 + 5 + 2 + 10, legal 10 + 20 + 10 + 20, over 4 cases.
    assert (totals.average_days_used, totals.average_days_promised, totals.average_days_legal) == (
        3.0,
        4.8,
        15.0,
    )
    assert (totals.deficiencies_cleared, totals.deficiencies_lapsed, totals.deficiency_cleared_rate) == (
        1,
        1,
        50.0,
    )
    assert (totals.certificates_issued, totals.documents_posted, totals.documents_collected) == (2, 2, 1)
    assert (totals.suspensions_correction, totals.suspensions_special, totals.extensions) == (1, 1, 1)
    assert totals.materials_by_certificate == 2

    market = make_staff(Role.SUPERVISOR, centre=world.centre, department=world.departments["M"])
    mine = figures_for(scope_of(market), march)
    assert (mine.totals.decided, mine.totals.cases_decided, mine.totals.on_time_rate) == (2, 2, 50.0)
    assert [row.name for row in mine.by_department] == ["市场"]
