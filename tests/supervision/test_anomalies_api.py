"""GET /api/v1/anomalies/: the page's counts and findings as JSON, in the reader's scope, with the
same filters; supervisors only. Expected counts by hand from anomaly_world.py."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from tests.factories import make_staff
from tests.supervision.anomaly_world import plant

pytestmark = pytest.mark.django_db
URL = "/api/v1/anomalies/"


@pytest.fixture
def world():
    return plant()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_counts_and_findings_of_the_centre(world):
    body = api(make_staff(Role.SUPERVISOR, centre=world.centre)).get(URL).json()
    counts = {c["rule"]: c["count"] for c in body["counts"]}
    assert counts == {
        "decided_late": 4,
        "suspended_too_long": 0,
        "extension_unapproved": 0,
        "decision_without_opinion": 1,
        "returned_twice": 1,
        "bulk_clicking": 1,
        "issued_without_seal": 0,
    }
    assert body["count"] == 7 and len(body["results"]) == 7
    first = body["results"][0]
    assert (first["day"], first["rule"], first["department"], first["subject_type"]) == (
        "2026-04-01",
        "decided_late",
        world.food.pk,
        "case",
    )
    assert first["filing_number"] == world.filing.number
    try:  # the case's supervision page, where it is routed
        assert first["page"] == reverse("desks:at_risk_case", args=[first["subject_id"]])
    except NoReverseMatch:
        assert first["page"] == ""
    bulk = next(r for r in body["results"] if r["rule"] == "bulk_clicking")
    assert bulk["department"] is None and bulk["subject_type"] == "user" and bulk["detail"]["filings"] == 6


def test_filters_and_scope(world):
    food = api(make_staff(Role.SUPERVISOR, department=world.food))
    body = food.get(URL, {"rule": "decided_late", "from": "2026-03-05", "to": "2026-03-31"}).json()
    assert body["count"] == 1 and [r["day"] for r in body["results"]] == ["2026-03-10"]
    assert sum(c["count"] for c in body["counts"]) == 2  # 3/10 late, 3/5 returned twice
    other = api(make_staff(Role.SUPERVISOR, centre=world.other_centre)).get(URL).json()
    assert other["count"] == 2 and {r["centre"] for r in other["results"]} == {world.other_centre.pk}


def test_bad_filters_are_named(world):
    food = api(make_staff(Role.SUPERVISOR, department=world.food))
    response = food.get(URL, {"department": world.health.pk, "rule": "nonsense"})
    assert response.status_code == 400 and set(response.json()) == {"department", "rule"}
    response = food.get(URL, {"from": "2026-03-10", "to": "2026-03-01"})
    assert response.status_code == 400 and set(response.json()) == {"to"}


def test_only_supervisors(world):
    assert APIClient().get(URL).status_code in (401, 403)
    for user in (
        make_staff(Role.CLERK, centre=world.centre),
        make_staff(Role.APPROVER, department=world.food),
    ):
        assert api(user).get(URL).status_code == 403
