"""The supervision desk's scopes (issue 19), on the permission matrix's world: every list, figure and
case the desk shows is cut by ``accounts.scopes.scope_of``. A supervisor of the case's department (D1)
sees its case at risk and may escalate it; a supervisor of another department (D2) or of another
centre (the county) opens the desk's pages but finds none of the city's filings in them, and the
city's case at risk is not found (404) for them, on the pages and in the API.

The matrix (test_permission_matrix.py) holds every role's columns for these URLs; these three
supervisors live in the same world (``SCOPED_SUPERVISORS``) and are checked here, with the matrix's
outcome categories."""

from __future__ import annotations

import pytest

from tests.security.test_permission_matrix import (
    DONE,
    HIDDEN,
    NOT_FOUND,
    OK,
    REFUSED,
    Row,
    _describe,
    _matches,
    _send,
    w,
)
from tests.security.world import SCOPED_SUPERVISORS

pytestmark = pytest.mark.django_db

OWN, OTHER_DEPARTMENT, OTHER_CENTRE = SCOPED_SUPERVISORS
NOTE = {"note": "今日到期，请当日办结。"}
RED = {"filing": w.f_red_number}  # the audit log searched by the red case's filing


def row(key: str, expect: dict, *, query=None, body=None, shows=None, **args) -> Row:
    method, route = key.split(" ", 1)
    outcomes = {user: (outcome,) for user, outcome in expect.items()}
    return Row(method, route, args, outcomes, query or {}, body, label=shows or "")


def lists(own=OK) -> dict:
    """A list or figures page: the department's own supervisor reads it; the others read theirs, in
    which none of the city's filings may appear."""
    return {OWN: own, OTHER_DEPARTMENT: HIDDEN, OTHER_CENTRE: HIDDEN}


OF_THE_CASE = {OWN: DONE, OTHER_DEPARTMENT: NOT_FOUND, OTHER_CENTRE: NOT_FOUND}
ROWS = (
    row("GET /supervision/work/", lists()),
    # A download is no page to read numbers from: its figures are the page's.
    row("GET /supervision/work/export/", {user: OK for user in SCOPED_SUPERVISORS}),
    row("GET /api/v1/work-figures/", lists()),
    row("GET /supervision/catalogue/", lists()),
    row("GET /api/v1/catalogue-figures/", lists()),
    row("GET /supervision/at-risk/", lists(), shows="the red case"),
    row("GET /api/v1/cases-at-risk/", lists(), shows="the red case"),
    row("GET /supervision/at-risk/cases/<pk>/", {**OF_THE_CASE, OWN: OK}, pk=w.case_red),
    row("POST /supervision/at-risk/cases/<pk>/escalate/", OF_THE_CASE, pk=w.case_red, body=NOTE),
    row("POST /api/v1/cases/<pk>/escalate/", OF_THE_CASE, pk=w.case_red, body=NOTE),
    row("GET /supervision/anomalies/", lists()),
    row("GET /api/v1/anomalies/", lists()),
    # The page without a search lists the latest entries in scope (a search box would echo the number).
    row("GET /supervision/audit-log/", lists()),
    row("GET /api/v1/audit/transitions/", lists(), query=RED),
    row("GET /api/v1/audit/disclosures/", lists()),
)
# A department outside one's scope is named, not quietly emptied: 400 on every figure and list.
D1 = {"department": w.d1}
OUT_OF_SCOPE = {OWN: OK, OTHER_DEPARTMENT: REFUSED, OTHER_CENTRE: REFUSED}
ROWS += tuple(
    row(key, OUT_OF_SCOPE, query=D1, shows="department=D1")
    for key in (
        "GET /supervision/work/",
        "GET /api/v1/work-figures/",
        "GET /supervision/catalogue/",
        "GET /api/v1/catalogue-figures/",
        "GET /supervision/at-risk/",
        "GET /api/v1/cases-at-risk/",
        "GET /supervision/anomalies/",
        "GET /api/v1/anomalies/",
    )
)
# Where the department's own supervisor must find the red case's filing.
SHOWN_TO_OWN = {r.name for r in ROWS if r.label == "the red case"}


@pytest.mark.parametrize(
    ("r", "user"), [pytest.param(r, u, id=f"{r.name} | {u}") for r in ROWS for u in SCOPED_SUPERVISORS]
)
def test_a_supervisor_sees_their_scope_only(r, user, world, client):
    client.force_login(world.users[user])
    response = _send(client, r, world)
    [expected] = r.expect[user]
    assert _matches(expected, response, r, world), (
        f"{r.name} as {user}: got {_describe(response)}, expected {expected}"
    )
    assert world.full_id not in response.content.decode("utf-8", "replace")
    if user == OWN and r.name in SHOWN_TO_OWN:
        assert world.values["f_red_number"] in response.content.decode("utf-8", "replace")
