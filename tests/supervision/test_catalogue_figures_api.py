"""The catalogue figures API over the planted catalogue (``planted_catalogue``): the same figures as
the page, cut by the caller's scope; the right answers are worked out by hand from the plan."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.factories import DepartmentFactory, make_staff
from tests.supervision import workbooks
from tests.supervision.planted_catalogue import planted_catalogue
from tests.supervision.test_catalogue_figures import CENTRE, HEALTH, MARKET

pytestmark = pytest.mark.django_db

URL = reverse("catalogue-figures")
EXPORT = reverse("catalogue-figures-export")


@pytest.fixture
def planted():
    return planted_catalogue()


def without_ids(rows):
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


def test_a_centres_supervisor_reads_the_figures(client, planted):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    data = client.get(URL).json()
    assert data["department"] is None
    assert data["total"] == CENTRE
    assert data["by_centre"] == [{"id": planted.centre.pk, "name": "示范中心", **CENTRE}]
    departments = {row["name"]: row for row in data["by_department"]}
    assert departments["市场监管局"] == {"id": planted.market.pk, "name": "市场监管局", **MARKET}
    assert departments["卫健委"] == {"id": planted.health.pk, "name": "卫健委", **HEALTH}
    assert [
        (b["name"], b["items"], b["before"], b["after"], b["saved"], b["produced"]) for b in data["bundles"]
    ] == [
        ("一件事一", 3, 6, 5, 1, 1),
        ("一件事二", 2, 3, 2, 1, 0),
        ("一件事三", 2, 3, 3, 0, 0),
    ]


def test_a_department_chosen_and_a_department_not_supervised(client, planted):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    data = client.get(URL, {"department": planted.health.pk}).json()
    assert data["department"] == planted.health.pk and data["total"] == HEALTH
    refused = client.get(URL, {"department": DepartmentFactory(centre=planted.other_centre).pk})
    assert refused.status_code == 400 and list(refused.json()) == ["department"]


def test_a_departments_supervisor_and_another_centres(client, planted):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre, department=planted.market))
    data = client.get(URL).json()
    assert data["total"] == MARKET
    assert [row["name"] for row in data["by_department"]] == ["市场监管局"]
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.other_centre))
    data = client.get(URL).json()
    assert data["total"]["items"] == 2
    assert "示范中心" not in str(data)


@pytest.mark.parametrize("role", [Role.CLERK, Role.ISSUER, Role.CITIZEN])
def test_others_are_refused(client, planted, role):
    client.force_login(make_staff(role, centre=planted.centre) if role != Role.CITIZEN else make_staff(role))
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_export_holds_the_same_numbers(client, planted):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    response = client.get(EXPORT, {"table": "catalogue-centres"})
    assert response.status_code == 200
    assert 'filename="catalogue-centres-' in response["Content-Disposition"]
    download = workbooks.read(response.content)
    assert list(download.first_table[1]) == ["示范中心", 5, 37, 101, 36.63, 63.37, 40, 80, 60, 40, 40, 1]
    assert download.about[0][1] == "全部部门"  # the About sheet first: cut to no one department
    assert len(workbooks.read(client.get(EXPORT).content).tables) == 4
    assert client.get(EXPORT, {"table": "nothing"}).status_code == 404
