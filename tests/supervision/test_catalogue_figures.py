"""The catalogue figures (事项统计) over a planted catalogue (``planted_catalogue``): every right answer
below is worked out by hand from the plan in that module's docstring, not by the code under test."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.scopes import Scope
from apps.supervision.catalogue_figures import CatalogueQuery, figures_for, tables
from tests.factories import DepartmentFactory
from tests.factories.catalogue import MaterialFactory
from tests.supervision.planted_catalogue import bundle, item, planted_catalogue

pytestmark = pytest.mark.django_db

# Σ promised 5+10+0+15+7 = 37 over Σ legal 20+20+10+30+21 = 101: 36.6336… %, compressed 64/101 = 63.3663… %.
CENTRE = {
    "items": 5,
    "promised_days": 37,
    "legal_days": 101,
    "no_visit": 2,  # a, c
    "at_most_one_visit": 4,  # a, b, c, e
    "online": 3,  # a, b, e
    "appointment": 2,  # b, d
    "postal": 2,  # a, d
    "immediate": 1,  # c
    "promised_to_legal": 36.63,
    "time_compressed": 63.37,
    "no_visit_share": 40.0,
    "at_most_one_visit_share": 80.0,
    "online_share": 60.0,
    "appointment_share": 40.0,
    "postal_share": 40.0,
}
# a, b, c: 15 of 50 days.
MARKET = {
    "items": 3,
    "promised_days": 15,
    "legal_days": 50,
    "no_visit": 2,
    "at_most_one_visit": 3,
    "online": 2,
    "appointment": 1,
    "postal": 1,
    "immediate": 1,
    "promised_to_legal": 30.0,
    "time_compressed": 70.0,
    "no_visit_share": 66.67,
    "at_most_one_visit_share": 100.0,
    "online_share": 66.67,
    "appointment_share": 33.33,
    "postal_share": 33.33,
}
# d, e: 22 of 51 days (43.137…, compressed 56.862…).
HEALTH = {
    "items": 2,
    "promised_days": 22,
    "legal_days": 51,
    "no_visit": 0,
    "at_most_one_visit": 1,
    "online": 1,
    "appointment": 1,
    "postal": 1,
    "immediate": 0,
    "promised_to_legal": 43.14,
    "time_compressed": 56.86,
    "no_visit_share": 0.0,
    "at_most_one_visit_share": 50.0,
    "online_share": 50.0,
    "appointment_share": 50.0,
    "postal_share": 50.0,
}
# (name, items, before, after, saved, produced): B1 = a (M1 M2 M3) + b (M1 M4) + d (M5), M3 produced by
# d; B2 = c (M6) + e (M6 M7); B3 = d (M5) + e (M6 M7).
B1 = ("一件事一", 3, 6, 5, 1, 1)
B2 = ("一件事二", 2, 3, 2, 1, 0)
B3 = ("一件事三", 2, 3, 3, 0, 0)


@pytest.fixture
def planted():
    return planted_catalogue()


def whole_centre(planted) -> Scope:
    return Scope(frozenset({planted.centre.pk}), frozenset())


def bundle_rows(figures):
    return [(b.name, b.items, b.before, b.after, b.saved, b.produced) for b in figures.bundles]


def test_a_centres_figures(planted):
    figures = figures_for(whole_centre(planted), CatalogueQuery())
    assert figures.total.as_dict() == CENTRE
    assert [(row.name, row.counts.as_dict()) for row in figures.by_centre] == [("示范中心", CENTRE)]
    by_department = {row.name: row.counts.as_dict() for row in figures.by_department}
    assert by_department == {"市场监管局": MARKET, "卫健委": HEALTH}
    assert bundle_rows(figures) == [B1, B2, B3]


def test_one_department_chosen(planted):
    figures = figures_for(whole_centre(planted), CatalogueQuery(department_id=planted.market.pk))
    assert figures.total.as_dict() == MARKET
    assert [row.name for row in figures.by_department] == ["市场监管局"]
    assert bundle_rows(figures) == [B1, B2]  # B3 has no item of 市场监管局


def test_a_departments_supervisor_sees_their_departments_items_only(planted):
    figures = figures_for(Scope(frozenset(), frozenset({planted.health.pk})), CatalogueQuery())
    assert figures.total.as_dict() == HEALTH
    assert [(row.name, row.counts.as_dict()) for row in figures.by_centre] == [("示范中心", HEALTH)]
    assert [row.name for row in figures.by_department] == ["卫健委"]
    assert bundle_rows(figures) == [B1, B2, B3]  # each has d or e


def test_another_centre_and_an_empty_scope_see_nothing_of_it(planted):
    other = figures_for(Scope(frozenset({planted.other_centre.pk}), frozenset()), CatalogueQuery())
    assert other.total.items == 2
    assert [b.name for b in other.bundles] == ["别的一件事"]
    nothing = figures_for(Scope(frozenset(), frozenset()), CatalogueQuery())
    assert nothing.total.items == 0 and nothing.by_department == [] and nothing.bundles == []
    assert nothing.total.time_compressed is None and nothing.total.online_share is None


def test_the_tables_hold_the_same_numbers(planted):
    figures = figures_for(whole_centre(planted), CatalogueQuery())
    by_slug = {table.slug: table for table in tables(figures)}
    assert set(by_slug) == {
        "catalogue-centres",
        "catalogue-departments",
        "catalogue-visits",
        "catalogue-bundles",
    }
    assert by_slug["catalogue-centres"].rows == [
        ["示范中心", 5, 37, 101, 36.63, 63.37, 40.0, 80.0, 60.0, 40.0, 40.0, 1]
    ]
    departments = {row[0]: row[1:] for row in by_slug["catalogue-departments"].rows}
    assert departments["市场监管局"] == [3, 15, 50, 30.0, 70.0, 66.67, 100.0, 66.67, 33.33, 33.33, 1]
    assert departments["卫健委"] == [2, 22, 51, 43.14, 56.86, 0.0, 50.0, 50.0, 50.0, 50.0, 0]
    # Visits: a and c none; b and e one; d more.
    assert [row[1] for row in by_slug["catalogue-visits"].rows] == [2, 2, 1]
    assert by_slug["catalogue-bundles"].rows == [list(B1), list(B2), list(B3)]
    for table in tables(figures):  # numbers as numbers: floats and ints, for the .xlsx
        for row in table.rows:
            assert all(isinstance(cell, int | float) for cell in row[1:])
    # Every drawn column is a percentage (its heading ends "(%)", or "（%）" in Chinese) on the share tables.
    centres = by_slug["catalogue-centres"]
    assert all(re.search(r"[(（]%[)）]$", str(centres.headings[n])) for n in centres.series)


def test_queries_are_as_many_for_one_item_as_for_many(planted):
    scope = whole_centre(planted)
    with CaptureQueriesContext(connection) as few:
        figures_for(scope, CatalogueQuery())
    # Many more departments, items and bundles.
    for n in range(4):
        department = DepartmentFactory(centre=planted.centre, name=f"部门{n}")
        made = [
            item(
                department,
                [MaterialFactory(), MaterialFactory()],
                legal=20,
                promised=10,
                visits=1,
                online=True,
                appointment=False,
                postal=False,
            )
            for _ in range(2)
        ]
        bundle(planted.centre, f"更多一件事{n}", made, 10)
    with CaptureQueriesContext(connection) as many:
        figures = figures_for(scope, CatalogueQuery())
    assert figures.total.items == 13 and len(figures.bundles) == 7
    assert len(many.captured_queries) == len(few.captured_queries) <= 5
