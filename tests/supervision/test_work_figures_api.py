"""The work figures API (``/api/v1/work-figures/``) and its .xlsx export, on planted roll-up rows
(tests/supervision/test_work_figures.py's ``hall``): the same numbers as the figures, worked out by
hand there; bad filters named; who may call it and what each sees; constant queries."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.roles import Role
from tests.factories.accounts import DepartmentFactory, ServiceCentreFactory, WindowFactory, make_staff
from tests.factories.catalogue import make_item
from tests.supervision import workbooks
from tests.supervision.test_work_figures import hall, plant_everywhere  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

URL = "/api/v1/work-figures/"
EXPORT = "/api/v1/work-figures/export/"
MARCH = {"month": "2026-03"}


def test_the_centre_in_march(client, hall):  # noqa: F811
    centre, land, market, window, land_item, market_item = hall
    client.force_login(make_staff(Role.SUPERVISOR, centre=centre))
    response = client.get(URL, MARCH)
    assert response.status_code == 200
    data = response.json()
    assert (data["date_from"], data["date_to"], data["period"], data["department"]) == (
        "2026-03-01",
        "2026-03-31",
        "day",
        None,
    )
    totals = data["totals"]
    assert (totals["decided"], totals["decided_online"], totals["first_time_pass_rate"]) == (15, 7, 81.8)
    assert (totals["on_time_rate"], totals["online_share"], totals["average_days_used"]) == (60.0, 46.7, 5.8)
    assert [(row["period"], row["decided"]) for row in data["series"]] == [
        ("2026-03-02", 10),
        ("2026-03-03", 5),
    ]
    assert [(row["key"], row["name"], row["decided"]) for row in data["by_department"]] == [
        (market.pk, "市场监管局", 5),
        (land.pk, "自然资源局", 10),
    ]
    assert [(row["key"], row["name"]) for row in data["by_item"]] == [
        (land_item.lineage_id, "建设用地规划许可"),
        (market_item.lineage_id, "食品经营许可"),
    ]
    assert [(row["name"], row["decided"]) for row in data["by_window"]] == [("A01", 15)]


def test_one_department_and_a_department_supervisor(client, hall):  # noqa: F811
    centre, land, market, *_ = hall
    client.force_login(make_staff(Role.SUPERVISOR, centre=centre))
    data = client.get(URL, {**MARCH, "department": land.pk}).json()
    assert (data["department"], data["totals"]["decided"], data["totals"]["first_time_pass_rate"]) == (
        land.pk,
        10,
        66.7,
    )
    client.force_login(make_staff(Role.SUPERVISOR, centre=centre, department=market))
    assert client.get(URL, MARCH).json()["totals"]["decided"] == 5
    refused = client.get(URL, {**MARCH, "department": land.pk})
    assert refused.status_code == 400 and "department" in refused.json()


def test_bad_filters_are_named_in_the_query_strings_words(client, hall):  # noqa: F811
    centre, *_ = hall
    client.force_login(make_staff(Role.SUPERVISOR, centre=centre))
    bad = client.get(URL, {"from": "2026-03-10", "to": "2026-03-01"})
    assert bad.status_code == 400 and "from" in bad.json()
    bad = client.get(URL, {"month": "2026-3"})
    assert bad.status_code == 400 and list(bad.json()) == ["month"]
    assert client.get(EXPORT, {"month": "2026-13"}).status_code == 400


def test_only_supervisors(client, hall):  # noqa: F811
    centre, *_ = hall
    for role in (Role.CLERK, Role.APPROVER, Role.ISSUER):
        client.force_login(make_staff(role, centre=centre))
        assert client.get(URL, MARCH).status_code == 403, role
        assert client.get(EXPORT, MARCH).status_code == 403, role
    client.logout()
    assert client.get(URL, MARCH).status_code in (401, 403)
    # Another centre's supervisor: allowed, and sees nothing of this one.
    client.force_login(make_staff(Role.SUPERVISOR, centre=ServiceCentreFactory()))
    data = client.get(URL, MARCH).json()
    assert data["totals"]["decided"] == 0 and data["series"] == data["by_department"] == []


def test_the_export_holds_the_same_numbers(client, hall):  # noqa: F811
    centre, *_ = hall
    client.force_login(make_staff(Role.SUPERVISOR, centre=centre))
    response = client.get(EXPORT, {**MARCH, "table": "work-time"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="work-time-20260301-20260331.xlsx"'
    download = workbooks.read(response.content)
    [rows] = download.tables.values()
    assert download.about_value("统计周期") == "日" and download.about_value("实施主体") == "全部部门"
    # Average days used / promised / legal per department: 9/1, 5/1, 20/1 and 20/4, 30/4, 60/4.
    assert rows[1:] == [("市场监管局", 9, 5, 20, 1), ("自然资源局", 5, 7.5, 15, 4)]
    everything = client.get(EXPORT, MARCH)
    assert everything["Content-Disposition"] == 'attachment; filename="work-figures-20260301-20260331.xlsx"'
    assert len(workbooks.read(everything.content).tables) == 9
    assert client.get(EXPORT, {**MARCH, "table": "nothing"}).status_code == 404


def test_constant_queries(client, hall, django_assert_max_num_queries):  # noqa: F811
    centre, *_ = hall
    client.force_login(make_staff(Role.SUPERVISOR, centre=centre))
    with django_assert_max_num_queries(16) as before:
        assert client.get(URL, MARCH).status_code == 200
    for n in range(10):
        department = DepartmentFactory(centre=centre)
        plant_everywhere(
            centre,
            department,
            make_item(department=department).lineage_id,
            WindowFactory(centre=centre, number=f"B{n:02d}"),
            dt.date(2026, 3, 10 + n),
            decided_window=1,
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        data = client.get(URL, MARCH).json()
    assert len(data["by_department"]) == 12
