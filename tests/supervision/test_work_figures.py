"""The work figures (办件统计) read from roll-up rows: the form's rules, who sees which rows, the
derived rates (computed here by hand from the planted rows), the tables, constant queries. The roll-up
itself, from filings made through the services, is tests/supervision/test_work_rollups.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.roles import Role
from apps.accounts.scopes import Scope, scope_of
from apps.supervision.models import Dimension, WorkRollup
from apps.supervision.tables import workbook
from apps.supervision.work_figures import Counts, Period, WorkForm, WorkQuery, figures_for, tables
from tests.factories.accounts import DepartmentFactory, ServiceCentreFactory, WindowFactory, make_staff
from tests.factories.catalogue import make_item

pytestmark = pytest.mark.django_db

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def plant(centre, department, dimension, key, day, **counts):
    """One roll-up row for the department alone, and the same for all departments (as the roll-up
    writes both)."""
    for dept in (department, None):
        WorkRollup.objects.create(
            day=day,
            centre=centre,
            department=dept,
            dimension=dimension,
            key=key,
            refreshed_at=timezone.now(),
            **counts,
        )


def plant_everywhere(centre, department, item_lineage, window, day, **counts):
    """The same counts on the rows of every dimension (one filed item seen four ways)."""
    keys = {
        Dimension.CENTRE: centre.pk,
        Dimension.DEPARTMENT: department.pk,
        Dimension.ITEM: item_lineage,
        Dimension.WINDOW: window.pk,
    }
    for dimension, key in keys.items():
        plant(centre, department, dimension, key, day, **counts)


@pytest.fixture
def hall():
    centre = ServiceCentreFactory()
    land = DepartmentFactory(centre=centre, name="自然资源局")
    market = DepartmentFactory(centre=centre, name="市场监管局")
    window = WindowFactory(centre=centre, number="A01")
    land_item = make_item(department=land, name="建设用地规划许可")
    market_item = make_item(department=market, name="食品经营许可")
    # Land: 10 decided (8 at a window, 2 online), 6 first decisions of which 4 passed, 4 cases decided
    # (3 on time), 20 days used, 30 promised, 60 legal over 4 counted.
    plant_everywhere(
        centre,
        land,
        land_item.lineage_id,
        window,
        dt.date(2026, 3, 2),
        decided_window=8,
        decided_online=2,
        accepted=5,
        accepted_with_deficiency=1,
        returned=3,
        refused=1,
        first_decisions=6,
        first_time_passed=4,
        cases_decided=4,
        cases_approved=3,
        cases_denied=1,
        cases_on_time=3,
        days_counted=4,
        days_used=20,
        days_promised=30,
        days_legal=60,
        deficiencies_cleared=1,
        deficiencies_lapsed=1,
    )
    # Market, a day later: 5 decided online, all first decisions, all passed; 1 case, late.
    plant_everywhere(
        centre,
        market,
        market_item.lineage_id,
        window,
        dt.date(2026, 3, 3),
        decided_online=5,
        accepted=5,
        first_decisions=5,
        first_time_passed=5,
        cases_decided=1,
        cases_approved=1,
        days_counted=1,
        days_used=9,
        days_promised=5,
        days_legal=20,
    )
    # April: outside March.
    plant_everywhere(centre, land, land_item.lineage_id, window, dt.date(2026, 4, 1), decided_window=100)
    return centre, land, market, window, land_item, market_item


def test_a_centre_supervisor_sees_the_centre(hall):
    centre, land, market, *_ = hall
    supervisor = make_staff(Role.SUPERVISOR, centre=centre)
    figures = figures_for(scope_of(supervisor), WorkQuery(*MARCH))
    totals = figures.totals
    assert totals.decided == 15
    assert totals.decided_online == 7
    # 9 of 11 first decisions passed; 3 of 5 cases on time; 7 of 15 online.
    assert totals.first_time_pass_rate == 81.8
    assert totals.on_time_rate == 60.0
    assert totals.online_share == 46.7
    # (20 + 9) / 5, (30 + 5) / 5, (60 + 20) / 5
    assert (totals.average_days_used, totals.average_days_promised, totals.average_days_legal) == (
        5.8,
        7.0,
        16.0,
    )
    assert totals.deficiency_cleared_rate == 50.0
    assert [(row.period, row.counts.decided) for row in figures.series] == [
        (dt.date(2026, 3, 2), 10),
        (dt.date(2026, 3, 3), 5),
    ]
    assert [(row.name, row.counts.decided) for row in figures.by_department] == [
        ("市场监管局", 5),
        ("自然资源局", 10),
    ]
    assert [(row.name, row.counts.cases_decided) for row in figures.by_item] == [
        ("建设用地规划许可", 4),
        ("食品经营许可", 1),
    ]
    assert [(row.name, row.counts.decided) for row in figures.by_window] == [("A01", 15)]


def test_by_month(hall):
    centre, *_ = hall
    scope = Scope(frozenset({centre.pk}), frozenset())
    figures = figures_for(scope, WorkQuery(dt.date(2026, 1, 1), dt.date(2026, 12, 31), Period.MONTH))
    assert [(row.period, row.counts.decided) for row in figures.series] == [
        (dt.date(2026, 3, 1), 15),
        (dt.date(2026, 4, 1), 100),
    ]


def test_a_department_supervisor_sees_their_department_only(hall):
    centre, land, market, *_ = hall
    supervisor = make_staff(Role.SUPERVISOR, centre=centre, department=market)
    scope = scope_of(supervisor)
    figures = figures_for(scope, WorkQuery(*MARCH))
    assert figures.totals.decided == 5
    assert [row.name for row in figures.by_department] == ["市场监管局"]
    assert [row.name for row in figures.by_item] == ["食品经营许可"]
    # Asking for another department gives nothing, whatever the form would have allowed.
    assert figures_for(scope, WorkQuery(*MARCH, department_id=land.pk)).totals == Counts()


def test_a_centre_supervisor_chooses_a_department(hall):
    centre, land, *_ = hall
    scope = Scope(frozenset({centre.pk}), frozenset())
    figures = figures_for(scope, WorkQuery(*MARCH, department_id=land.pk))
    assert figures.totals.decided == 10
    assert figures.totals.first_time_pass_rate == 66.7


def test_another_centres_supervisor_sees_nothing(hall):
    supervisor = make_staff(Role.SUPERVISOR, centre=ServiceCentreFactory())
    figures = figures_for(scope_of(supervisor), WorkQuery(*MARCH))
    assert figures.totals == Counts()
    assert figures.series == figures.by_department == figures.by_item == figures.by_window == []
    assert figures.totals.first_time_pass_rate is None


def test_tables_hold_the_figures(hall):
    centre, *_ = hall
    figures = figures_for(Scope(frozenset({centre.pk}), frozenset()), WorkQuery(*MARCH))
    by_slug = {table.slug: table for table in tables(figures)}
    # Every day of March on the time axis, the quiet ones with nothing (rates: nothing to divide).
    channels = by_slug["work-channels"].rows
    assert [row[0] for row in channels] == [f"2026-03-{day:02d}" for day in range(1, 32)]
    assert channels[1:3] == [["2026-03-02", 8, 2, 0], ["2026-03-03", 0, 5, 0]]
    assert channels[0] == ["2026-03-01", 0, 0, 0] and channels[30] == ["2026-03-31", 0, 0, 0]
    assert [row[1] for row in by_slug["work-decisions"].rows] == [10, 1, 3, 1, 0]
    rates = by_slug["work-rates"].rows
    assert rates[1:3] == [["2026-03-02", 66.7, 75.0, 20.0], ["2026-03-03", 100.0, 0.0, 100.0]]
    assert rates[3] == ["2026-03-04", None, None, None]
    assert by_slug["work-channels"].extra["time"] and by_slug["work-rates"].extra["time"]
    assert by_slug["work-time"].rows == [["市场监管局", 9.0, 5.0, 20.0, 1], ["自然资源局", 5.0, 7.5, 15.0, 4]]
    for table in tables(figures):
        assert all(len(row) == len(table.headings) for row in table.rows), table.slug
    assert workbook(tables(figures))[:2] == b"PK"


def test_a_series_by_month_has_every_month_of_the_range(hall):
    centre, *_ = hall
    figures = figures_for(
        Scope(frozenset({centre.pk}), frozenset()),
        WorkQuery(dt.date(2026, 1, 15), dt.date(2026, 4, 2), Period.MONTH),
    )
    channels = next(table for table in tables(figures) if table.slug == "work-channels")
    assert [row[0] for row in channels.rows] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert channels.rows[0] == ["2026-01", 0, 0, 0] and channels.rows[2] == ["2026-03", 8, 7, 0]


def test_constant_queries(hall, django_assert_max_num_queries):
    centre, land, market, window, land_item, market_item = hall
    scope = Scope(frozenset({centre.pk}), frozenset())
    with django_assert_max_num_queries(7):
        figures_for(scope, WorkQuery(*MARCH))
    # Many more departments, items, windows and days: the same queries.
    for n in range(12):
        department = DepartmentFactory(centre=centre)
        item = make_item(department=department)
        plant_everywhere(
            centre,
            department,
            item.lineage_id,
            WindowFactory(centre=centre, number=f"B{n:02d}"),
            dt.date(2026, 3, 5 + n),
            decided_window=1,
        )
    with django_assert_max_num_queries(7):
        figures = figures_for(scope, WorkQuery(*MARCH))
    assert len(figures.by_department) == 14
    assert len(figures.series) == 14


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "March"}, "month"),
        ({"month": "2026-03", "from": "2026-03-01"}, "month"),
        ({"from": "2026-03-10", "to": "2026-03-01"}, "date_from"),
        ({"from": "tomorrow"}, "date_from"),
        ({"from": "2024-01-01", "to": "2026-01-01", "period": "day"}, "period"),
        ({"period": "week"}, "period"),
    ],
)
def test_bad_filters_name_their_field(hall, data, field):
    centre, *_ = hall
    form = WorkForm(data, scope=Scope(frozenset({centre.pk}), frozenset()))
    assert not form.is_valid()
    assert field in form.errors


def test_the_form_offers_departments_in_scope_only(hall):
    centre, land, market, *_ = hall
    DepartmentFactory(centre=ServiceCentreFactory())
    scope = Scope(frozenset(), frozenset({market.pk}))
    form = WorkForm({"department": land.pk}, scope=scope)
    assert not form.is_valid()
    assert "department" in form.errors
    assert list(form.fields["department"].queryset) == [market]


def test_the_form_reads_a_month_or_a_range(hall):
    centre, land, *_ = hall
    scope = Scope(frozenset({centre.pk}), frozenset())
    form = WorkForm({"month": "2026-02", "department": str(land.pk)}, scope=scope)
    assert form.is_valid(), form.errors
    assert form.query() == WorkQuery(dt.date(2026, 2, 1), dt.date(2026, 2, 28), Period.DAY, land.pk)
    form = WorkForm({"from": "2026-01-01", "to": "2026-06-30"}, scope=scope)
    assert form.is_valid(), form.errors
    assert form.query() == WorkQuery(dt.date(2026, 1, 1), dt.date(2026, 6, 30), Period.MONTH, None)
