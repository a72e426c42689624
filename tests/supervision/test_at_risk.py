"""Cases at risk (预警): the live list of open yellow, red and overdue cases in a supervisor's scope,
counted by department and level, most urgent first, with who holds each; its page, its case page
(one click from the list: a supervisor opens it, though the approval desk's is not theirs), and the
queries a page costs whatever it holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.scopes import scope_of
from apps.supervision import at_risk
from tests.supervision import workbooks
from tests.supervision.at_risk_world import SWEPT, build, expected_level, on

pytestmark = pytest.mark.django_db

URGENCY = {"overdue": 0, "red": 1, "yellow": 2}


@pytest.fixture
def world():
    return build()


def planned(cases) -> list[int]:
    """The planted open cases at risk in the order the list must give: level, then due date, then id."""
    at_risk_cases = [c for c in cases if expected_level(c) in URGENCY and c.is_open]
    at_risk_cases.sort(key=lambda c: (URGENCY[expected_level(c)], c.clock.due_on, c.pk))
    return [c.pk for c in at_risk_cases]


def listed(user, *, size=25, page=1, **filters):
    departments = at_risk.departments_in(scope_of(user))
    form = at_risk.AtRiskForm(filters, departments=departments)
    assert form.is_valid(), form.errors
    with on(SWEPT):
        return at_risk.at_risk(form.query(departments), departments, page=page, size=size)


def test_the_planted_set_holds_every_level(world):
    levels = {expected_level(c) for c in world.open_cases()}
    assert {"overdue", "red", "yellow", "normal"} <= levels
    # The sweep set them as the rule says (what the list reads).
    assert all(c.warning == expected_level(c) for c in world.open_cases())


def test_a_centre_supervisor_sees_the_centres_cases_at_risk_most_urgent_first(world):
    result = listed(world.centre_supervisor)
    centre_cases = [c for c in world.open_cases() if c.department.centre_id == world.centre.pk]
    assert [row.case_id for row in result.rows] == planned(centre_cases)
    assert world.cases["x_decided"].warning == "overdue"  # stored, yet decided: not listed
    assert world.cases["x_decided"].pk not in [row.case_id for row in result.rows]
    assert world.cases["z1"].pk not in [row.case_id for row in result.rows]
    assert world.cases["x15"].pk not in [row.case_id for row in result.rows]
    # The counts by department and level, and in all.
    for counted in result.by_department:
        mine = [c for c in centre_cases if c.department_id == counted.department.pk]
        assert counted.cells == [
            sum(expected_level(c) == level for c in mine) for level in ("overdue", "red", "yellow")
        ]
    assert {c.department.pk for c in result.by_department} == {world.x.pk, world.y.pk}
    assert result.total == len(planned(centre_cases)) == result.page.paginator.count


def test_each_row_says_when_it_is_due_and_who_holds_it(world):
    result = listed(world.centre_supervisor)
    rows = {row.case_id: row for row in result.rows}
    held = rows[world.cases["x5"].pk]
    assert (held.level, held.due_on, held.held_by) == ("red", world.cases["x5"].clock.due_on, "李审")
    assert held.days_left == 0  # due today
    queued = rows[world.cases["x7"].pk]
    # Due Monday 10/12: working days after Friday 10/9 are the make-up Saturday 10/10 and Monday.
    assert queued.held_by == "" and queued.level == "yellow" and queued.days_left == 2
    overdue = rows[world.cases["x1"].pk]
    assert overdue.days_left < 0
    assert overdue.escalation is not None and overdue.escalation.reason == "overdue"  # the sweep's
    assert held.escalation is None
    # The applicant masked: a person's family name and the number's ends; an organisation's name.
    assert overdue.applicant == "张*" and overdue.applicant_id == "110105********002X"
    assert rows[world.cases["y5"].pk].applicant == "示范餐饮有限公司"


def test_a_department_supervisor_sees_their_department_only(world):
    result = listed(world.y_supervisor)
    y_cases = [c for c in world.open_cases() if c.department_id == world.y.pk]
    assert [row.case_id for row in result.rows] == planned(y_cases)
    assert [c.department.pk for c in result.by_department] == [world.y.pk]


def test_filters_by_department_and_level(world):
    result = listed(world.centre_supervisor, department=str(world.x.pk), level="red")
    x_red = [c for c in world.open_cases() if c.department_id == world.x.pk and expected_level(c) == "red"]
    assert [row.case_id for row in result.rows] == planned(x_red) != []
    assert result.by_level == {"overdue": 0, "red": len(x_red), "yellow": 0}


@pytest.mark.parametrize("size", [1, 2, 3])
def test_pages_follow_the_urgency_across_levels(world, size):
    wanted = planned([c for c in world.open_cases() if c.department.centre_id == world.centre.pk])
    got, pages = [], -(-len(wanted) // size)
    for number in range(1, pages + 1):
        got += [row.case_id for row in listed(world.centre_supervisor, size=size, page=number).rows]
    assert got == wanted


def test_a_department_outside_the_scope_is_refused_naming_the_field(world, client, english):
    client.force_login(world.y_supervisor)
    response = client.get(reverse("desks:at_risk"), {"department": world.x.pk})
    assert response.status_code == 400
    assert "Department" in response.content.decode() and 'data-testid="at-risk-row"' not in (
        response.content.decode()
    )
    response = client.get(reverse("desks:at_risk"), {"level": "green"})
    assert response.status_code == 400


def test_the_page_lists_the_rows_with_their_level_and_one_click_to_the_case(world, client):
    client.force_login(world.centre_supervisor)
    with on(SWEPT):
        page = client.get(reverse("desks:at_risk"))
    assert page.status_code == 200
    html = page.content.decode()
    wanted = planned([c for c in world.open_cases() if c.department.centre_id == world.centre.pk])
    assert html.count('data-testid="at-risk-row"') == len(wanted)
    for pk in wanted:
        case = next(c for c in world.cases.values() if c.pk == pk)
        assert f'data-level="{expected_level(case)}" data-case="{pk}"' in html
        assert reverse("desks:at_risk_case", args=[pk]) in html
    assert 'data-testid="figure-at-risk-by-department"' in html
    # The link opens the case for the supervisor — the approval desk's page is not theirs.
    red = world.cases["x5"]
    with on(SWEPT):
        case_page = client.get(reverse("desks:at_risk_case", args=[red.pk]))
    assert case_page.status_code == 200
    assert red.filing.number in case_page.content.decode()
    assert 'data-testid="escalate-form"' in case_page.content.decode()
    with on(SWEPT):
        assert client.get(reverse("desks:backoffice_case", args=[red.pk])).status_code == 403


def test_another_scopes_case_is_not_found(world, client):
    client.force_login(world.y_supervisor)
    assert client.get(reverse("desks:at_risk_case", args=[world.cases["x5"].pk])).status_code == 404
    assert client.get(reverse("desks:at_risk_case", args=[world.cases["y5"].pk])).status_code == 200
    client.force_login(world.other_supervisor)
    assert client.get(reverse("desks:at_risk_case", args=[world.cases["x5"].pk])).status_code == 404


def test_people_without_the_supervision_desk_are_refused(world, client):
    client.force_login(world.approver_x)
    assert client.get(reverse("desks:at_risk")).status_code == 403
    assert client.get(reverse("desks:at_risk_case", args=[world.cases["x5"].pk])).status_code == 403


def test_a_page_costs_the_same_queries_for_few_cases_or_many(client, django_assert_max_num_queries):
    # One case of each level (a page reads each level it spans), then more of each in two departments.
    small = build(limits_x=(1, 5, 7), limits_y=(), limit_z=0, decided=False)
    client.force_login(small.centre_supervisor)
    with on(SWEPT):
        client.get(reverse("desks:at_risk"))  # the calendar's cache, the session
        with django_assert_max_num_queries(16) as one:
            assert client.get(reverse("desks:at_risk")).content.decode().count('"at-risk-row"') == 3
    few = len(one.captured_queries)  # read now: the next request clears the connection's log
    many = build(limits_x=(1, 2, 5, 6, 7), limits_y=(1, 5, 6), limit_z=0, decided=False)
    client.force_login(many.centre_supervisor)
    with on(SWEPT):
        client.get(reverse("desks:at_risk"))
        with django_assert_max_num_queries(few) as several:
            assert client.get(reverse("desks:at_risk")).content.decode().count('"at-risk-row"') == 8
        assert len(several.captured_queries) == few


def test_the_counts_download_as_a_spreadsheet_with_the_pages_numbers(world, client):
    client.force_login(world.centre_supervisor)
    with on(SWEPT):
        response = client.get(reverse("desks:at_risk_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    download = workbooks.read(response.content)
    [rows] = download.tables.values()
    assert download.about_value("预警等级") == "全部等级"
    centre_cases = [c for c in world.open_cases() if c.department.centre_id == world.centre.pk]
    wanted = []
    for department in sorted([world.x, world.y], key=lambda d: (d.name, d.pk)):
        mine = [expected_level(c) for c in centre_cases if c.department_id == department.pk]
        cells = [mine.count(level) for level in ("overdue", "red", "yellow")]
        wanted.append((department.name, *cells, sum(cells)))
    assert rows[1:] == wanted
    # A filter outside the scope: refused, no spreadsheet.
    client.force_login(world.y_supervisor)
    assert client.get(reverse("desks:at_risk_export"), {"department": world.x.pk}).status_code == 400
