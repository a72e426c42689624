"""The rating figures (好差评统计) on a known data set (tests/feedback/test_rollups.py): the exact
numbers, per dimension and period, on the page, in the API and in the .xlsx download; who sees which;
constant queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.roles import Role
from apps.accounts.scopes import scope_of
from apps.feedback import rollups
from apps.feedback.figures import FiguresForm, Query, figures_for, lowest, totals
from apps.feedback.models import Dimension
from tests.factories.accounts import ServiceCentreFactory, make_staff
from tests.feedback.test_rollups import DAY_A, DAY_B, DAY_C, known_data_set

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def known():
    data = known_data_set()
    rollups.rebuild(DAY_A, DAY_C)
    return data


@pytest.fixture
def supervisor(known):
    return make_staff(Role.SUPERVISOR, centre=known.centre)


def rates(counts) -> tuple:
    return (
        counts.total,
        counts.satisfaction_rate,
        counts.bad,
        counts.rectification_rate,
        counts.on_time_rate,
    )


def pct(value: str) -> Decimal:
    return Decimal(value)


def test_the_centre_over_the_year(known, supervisor):
    figures = figures_for(scope_of(supervisor), Query(Dimension.CENTRE, "year", *YEAR))
    overall = figures.overall
    assert overall.levels == (3, 3, 3, 2, 2)
    assert overall.excluded == 1
    assert rates(overall) == (13, pct("69.2"), 5, pct("60.0"), pct("40.0"))
    assert [(row.period, rates(row.counts)) for row in figures.rows] == [
        (dt.date(2026, 1, 1), (13, pct("69.2"), 5, pct("60.0"), pct("40.0")))
    ]


def test_by_month_and_by_day(known, supervisor):
    scope = scope_of(supervisor)
    months = figures_for(scope, Query(Dimension.CENTRE, "month", *YEAR)).rows
    assert [(row.period, rates(row.counts)) for row in months] == [
        (dt.date(2026, 3, 1), (11, pct("72.7"), 4, pct("75.0"), pct("50.0"))),
        (dt.date(2026, 4, 1), (2, pct("50.0"), 1, pct("0.0"), pct("0.0"))),
    ]
    days = figures_for(scope, Query(Dimension.CENTRE, "day", DAY_A, DAY_B)).rows
    assert [(row.period, rates(row.counts)) for row in days] == [
        (DAY_A, (9, pct("66.7"), 3, pct("66.7"), pct("33.3"))),
        (DAY_B, (2, pct("100.0"), 1, pct("100.0"), pct("100.0"))),
    ]


def test_per_window_staff_department_and_item(known, supervisor):
    scope = scope_of(supervisor)

    def of(dimension):
        return {row.key: rates(row.counts) for row in totals(scope, dimension, *YEAR)}

    assert of(Dimension.WINDOW) == {
        known.w1.pk: (8, pct("62.5"), 3, pct("33.3"), pct("33.3")),
        known.w2.pk: (5, pct("80.0"), 2, pct("100.0"), pct("50.0")),
    }
    assert of(Dimension.STAFF) == {
        known.s1.pk: (6, pct("66.7"), 2, pct("50.0"), pct("50.0")),
        known.s2.pk: (7, pct("71.4"), 3, pct("66.7"), pct("33.3")),
    }
    assert of(Dimension.DEPARTMENT) == {
        known.d1.pk: (8, pct("75.0"), 3, pct("66.7"), pct("66.7")),
        known.d2.pk: (5, pct("60.0"), 2, pct("50.0"), pct("0.0")),
    }
    assert of(Dimension.ITEM) == {
        known.i1.pk: (8, pct("75.0"), 3, pct("66.7"), pct("66.7")),
        known.i2.pk: (5, pct("60.0"), 2, pct("50.0"), pct("0.0")),
    }
    names = {row.key: row.name for row in totals(scope, Dimension.STAFF, *YEAR)}
    assert names == {known.s1.pk: "甲窗口员", known.s2.pk: "乙窗口员"}


def test_the_lowest_rated_above_a_threshold(known, supervisor):
    scope = scope_of(supervisor)
    assert [row.key for row in lowest(scope, Dimension.WINDOW, *YEAR, min_ratings=5)] == [
        known.w1.pk,
        known.w2.pk,
    ]
    assert [row.key for row in lowest(scope, Dimension.WINDOW, *YEAR, min_ratings=6)] == [known.w1.pk]
    assert [row.key for row in lowest(scope, Dimension.ITEM, *YEAR, min_ratings=5)] == [
        known.i2.pk,
        known.i1.pk,
    ]
    assert lowest(scope, Dimension.ITEM, *YEAR, min_ratings=9) == []


def test_a_department_supervisor_sees_the_department_share(known):
    own = make_staff(Role.SUPERVISOR, centre=known.centre, department=known.d1)
    figures = figures_for(scope_of(own), Query(Dimension.WINDOW, "year", *YEAR))
    assert rates(figures.overall) == (8, pct("75.0"), 3, pct("66.7"), pct("66.7"))
    # Window 2 served department 1 on DAY_B only.
    assert {row.key: row.counts.total for row in figures.totals} == {known.w1.pk: 6, known.w2.pk: 2}


def test_another_centre_sees_nothing(known):
    elsewhere = make_staff(Role.SUPERVISOR, centre=ServiceCentreFactory())
    figures = figures_for(scope_of(elsewhere), Query(Dimension.CENTRE, "year", *YEAR))
    assert figures.rows == figures.totals == [] and figures.overall.total == 0
    clerk = make_staff(Role.CLERK, centre=known.centre)
    assert not scope_of(clerk)


def test_the_filters_default_and_refuse_bad_ranges():
    form = FiguresForm({})
    assert form.is_valid()
    query = form.query()
    assert (query.dimension, query.period, query.date_from.month, query.date_from.day) == (
        "department",
        "month",
        1,
        1,
    )
    assert not FiguresForm({"from": "2026-05-01", "to": "2026-04-01"}).is_valid()
    too_long = FiguresForm({"period": "day", "from": "2024-01-01", "to": "2026-01-01"})
    assert not too_long.is_valid() and "period" in too_long.errors
    assert not FiguresForm({"dimension": "planet"}).is_valid()


def login(client, user):
    client.force_login(user)


def test_the_page_shows_the_numbers(client, known, supervisor):
    login(client, supervisor)
    response = client.get(
        reverse("desks:figures"),
        {"dimension": "window", "period": "month", "from": "2026-01-01", "to": "2026-12-31"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-current="page"' in page and reverse("desks:figures") in page  # the section tab
    assert "69.2%" in page and "60.0%" in page and "40.0%" in page  # overall
    totals_row = page.split(f'data-testid="total-{known.w1.pk}"')[1].split("</tr>")[0]
    assert "62.5%" in totals_row and "33.3%" in totals_row
    march = page.split('data-testid="period-2026-03-01"')[1].split("</tr>")[0]
    assert "72.7%" in march and "75.0%" in march and "50.0%" in march  # all ratings in March
    assert reverse("desks:figures_export") in page
    # A window's name leads to its own figures by period.
    assert f"key={known.w1.pk}" in totals_row
    one = client.get(
        reverse("desks:figures"),
        {
            "dimension": "window",
            "period": "month",
            "from": "2026-01-01",
            "to": "2026-12-31",
            "key": known.w1.pk,
        },
    ).content.decode()
    april = one.split('data-testid="period-2026-04-01"')[1].split("</tr>")[0]
    assert "50.0%" in april and known.w1.number in one.split('data-testid="figures-trend"')[1]
    # The filters do not carry the chosen window on: another dimension must not read its pk as an item.
    filters = one.split('data-testid="figures-filters"')[1].split("</form>")[0]
    assert 'name="key"' not in filters


def test_a_bad_filter_is_named_on_the_page(english, known, supervisor):
    client = english
    login(client, supervisor)
    response = client.get(reverse("desks:figures"), {"from": "2026-05-01", "to": "2026-04-01"})
    assert response.status_code == 400
    assert "The first day is after the last." in response.content.decode()


def test_the_download_has_the_same_numbers(client, known, supervisor):
    login(client, supervisor)
    response = client.get(
        reverse("desks:figures_export"),
        {"dimension": "item", "period": "month", "from": "2026-01-01", "to": "2026-12-31"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "rating-figures-item-month-20260101-20261231.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    by_period = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(by_period) == 1 + 3  # March: both items; April: item 2
    over_range = list(book.worksheets[1].iter_rows(values_only=True))
    names = {row[0]: row for row in over_range[1:]}
    # name, five levels, ratings, satisfaction, bad, rectified, rate, on time, rate, set aside
    assert names["甲事项"][1:] == (3, 2, 1, 1, 1, 8, 75.0, 3, 2, 66.7, 2, 66.7, 0)
    assert names["乙事项"][6:8] == (5, 60.0)
    assert over_range[-1][6:] == (13, 69.2, 5, 3, 60.0, 2, 40.0, 1)  # all


def test_the_api_gives_the_same_numbers(client, known, supervisor):
    login(client, supervisor)
    response = client.get(
        "/api/v1/rating-figures/",
        {"dimension": "staff", "period": "year", "from": "2026-01-01", "to": "2026-12-31"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["overall"]["satisfaction_rate"] == "69.2"
    assert body["overall"]["ratings"] == 13 and body["overall"]["excluded"] == 1
    s2 = next(row for row in body["totals"] if row["key"] == known.s2.pk)
    assert (
        s2["name"],
        s2["ratings"],
        s2["satisfaction_rate"],
        s2["rectification_rate"],
        s2["on_time_rate"],
    ) == (
        "乙窗口员",
        7,
        "71.4",
        "66.7",
        "33.3",
    )
    assert [row["period"] for row in body["rows"]] == ["2026-01-01", "2026-01-01"]
    assert [(row["period"], row["ratings"]) for row in body["trend"]] == [("2026-01-01", 13)]


def test_the_api_names_a_bad_filter_and_refuses_non_supervisors(client, known, supervisor):
    login(client, supervisor)
    bad = client.get("/api/v1/rating-figures/", {"from": "2026-05-01", "to": "2026-04-01"})
    assert bad.status_code == 400 and "from" in bad.json()
    client.logout()
    login(client, make_staff(Role.CLERK, centre=known.centre))
    assert client.get("/api/v1/rating-figures/").status_code == 403
    assert client.get(reverse("desks:figures")).status_code == 403


def test_queries_do_not_grow_with_the_rows(client, django_assert_max_num_queries, known, supervisor):
    login(client, supervisor)
    params = {"dimension": "item", "period": "day", "from": "2026-03-01", "to": "2026-04-30"}
    with django_assert_max_num_queries(16) as few:
        assert client.get(reverse("desks:figures"), params).status_code == 200
    with django_assert_max_num_queries(16) as api:
        assert client.get("/api/v1/rating-figures/", params).status_code == 200
    # Three times the departments, windows, staff and items, at the same centre: the same queries.
    for _more in range(3):
        known_data_set(centre=known.centre)
    rollups.rebuild(DAY_A, DAY_C)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("desks:figures"), params)
    assert page.content.decode().count('data-testid="total-') == 8
    with django_assert_max_num_queries(len(api.captured_queries)):
        assert len(client.get("/api/v1/rating-figures/", params).json()["totals"]) == 8
