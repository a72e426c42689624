"""The cases at risk API: the same list as the desk's, paginated, filtered, cut by the scope, at a
constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.supervision.at_risk_world import SWEPT, build, expected_level, on

pytestmark = pytest.mark.django_db

URGENCY = {"overdue": 0, "red": 1, "yellow": 2}


@pytest.fixture
def world():
    return build()


def get(client, **params):
    with on(SWEPT):
        return client.get(reverse("cases_at_risk"), params)


def test_the_list_is_the_scopes_cases_at_risk_most_urgent_first(world, client):
    client.force_login(world.centre_supervisor)
    body = get(client).json()
    mine = [
        c
        for c in world.open_cases()
        if c.department.centre_id == world.centre.pk and expected_level(c) in URGENCY
    ]
    mine.sort(key=lambda c: (URGENCY[expected_level(c)], c.clock.due_on, c.pk))
    assert [row["case"] for row in body["results"]] == [c.pk for c in mine]
    assert body["count"] == len(mine) and body["next"] is None
    assert body["counts"] == {
        "overdue": sum(expected_level(c) == "overdue" for c in mine),
        "red": sum(expected_level(c) == "red" for c in mine),
        "yellow": sum(expected_level(c) == "yellow" for c in mine),
        "total": len(mine),
    }
    red = next(row for row in body["results"] if row["case"] == world.cases["x5"].pk)
    assert (red["level"], red["held_by"], red["working_days_left"], red["escalation"]) == (
        "red",
        "李审",
        0,
        None,
    )
    assert red["applicant_id"] == "110105********002X"


def test_filters_and_scope(world, client):
    client.force_login(world.y_supervisor)
    body = get(client).json()
    assert {row["department"] for row in body["results"]} == {world.y.pk}
    assert get(client, department=world.x.pk).status_code == 400
    assert "department" in get(client, department=world.x.pk).json()
    assert "level" in get(client, level="green").json()
    client.force_login(world.centre_supervisor)
    reds = get(client, level="red").json()["results"]
    assert reds and {row["level"] for row in reds} == {"red"}
    client.force_login(world.approver_x)
    assert get(client).status_code == 403


def test_pages_link_on(world, client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}
    client.force_login(world.centre_supervisor)
    first = get(client).json()
    assert len(first["results"]) == 2 and first["previous"] is None and "page=2" in first["next"]
    with on(SWEPT):
        second = client.get(first["next"]).json()
    assert second["results"][0]["case"] not in [row["case"] for row in first["results"]]


def test_the_list_costs_the_same_queries_for_few_cases_or_many(client, django_assert_max_num_queries):
    small = build(limits_x=(1, 5, 7), limits_y=(), limit_z=0, decided=False)
    client.force_login(small.centre_supervisor)
    get(client)
    with django_assert_max_num_queries(16) as one:
        assert len(get(client).json()["results"]) == 3
    few = len(one.captured_queries)  # read now: the next request clears the connection's log
    many = build(limits_x=(1, 2, 5, 6, 7), limits_y=(1, 5, 6), limit_z=0, decided=False)
    client.force_login(many.centre_supervisor)
    get(client)
    with django_assert_max_num_queries(few):
        assert len(get(client).json()["results"]) == 8
