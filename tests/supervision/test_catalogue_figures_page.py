"""The supervision desk's catalogue figures page and its .xlsx downloads, over the planted catalogue
(``planted_catalogue``; the right answers are worked out in test_catalogue_figures from its plan)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from tests.factories import DepartmentFactory, make_staff
from tests.factories.catalogue import MaterialFactory
from tests.supervision import workbooks
from tests.supervision.planted_catalogue import bundle, item, planted_catalogue

pytestmark = pytest.mark.django_db

PAGE = reverse("desks:catalogue_figures")
EXPORT = reverse("desks:catalogue_figures_export")


@pytest.fixture
def planted():
    return planted_catalogue()


def table_rows(html: str, slug: str) -> list[list[str]]:
    """The cells of a table on the page, row by row (its <th> label and <td> values)."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.rows, self.cell = False, [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table" and attrs.get("data-testid") == f"table-{slug}":
                self.inside = True
            elif self.inside and tag == "tr":
                self.rows.append([])
            elif self.inside and tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag == "table":
                self.inside = False
            elif self.inside and tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell.strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Rows()
    parser.feed(html)
    return parser.rows[1:]  # the heading row left out


def test_a_centres_supervisor_sees_the_figures_drawn_with_their_tables(client, planted):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page"' in html and reverse("desks:catalogue_figures") in html
    assert table_rows(html, "catalogue-centres") == [
        ["示范中心", "5", "37", "101", "36.63", "63.37", "40.0", "80.0", "60.0", "40.0", "40.0", "1"]
    ]
    assert table_rows(html, "catalogue-bundles") == [
        ["一件事一", "3", "6", "5", "1", "1"],
        ["一件事二", "2", "3", "2", "1", "0"],
        ["一件事三", "2", "3", "3", "0", "0"],
    ]
    for slug in ("catalogue-centres", "catalogue-departments", "catalogue-visits", "catalogue-bundles"):
        assert f'data-testid="chart-{slug}"' in html  # drawn, from its json_script option
        assert f'id="chart-{slug}-option"' in html
        assert f'data-testid="export-{slug}"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert 'data-testid="headline-time-compressed"' in html and "63.37" in html
    assert "别的中心" not in html


def test_a_department_is_chosen_among_those_supervised(client, planted):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    html = client.get(PAGE, {"department": planted.market.pk}).content.decode()
    assert [row[0] for row in table_rows(html, "catalogue-departments")] == ["市场监管局"]
    assert [row[0] for row in table_rows(html, "catalogue-bundles")] == ["一件事一", "一件事二"]
    other = DepartmentFactory(centre=planted.other_centre)
    refused = client.get(PAGE, {"department": other.pk})
    assert refused.status_code == 400
    assert 'data-testid="table-catalogue-centres"' not in refused.content.decode()


def test_a_departments_supervisor_sees_their_departments_share(client, planted):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre, department=planted.health))
    html = client.get(PAGE).content.decode()
    assert [row[0] for row in table_rows(html, "catalogue-departments")] == ["卫健委"]
    assert table_rows(html, "catalogue-centres")[0][1:4] == ["2", "22", "51"]
    assert client.get(PAGE, {"department": planted.market.pk}).status_code == 400


@pytest.mark.parametrize("role", [Role.CLERK, Role.APPROVER, Role.CITIZEN])
def test_others_are_refused(client, planted, role):
    client.force_login(make_staff(role, centre=planted.centre) if role != Role.CITIZEN else make_staff(role))
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_downloads_hold_the_pages_numbers(client, planted, english):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    html = client.get(PAGE).content.decode()
    one = client.get(EXPORT, {"table": "catalogue-bundles"})
    assert one.status_code == 200
    assert one["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="catalogue-bundles-' in one["Content-Disposition"]
    download = workbooks.read(one.content)
    assert len(download.tables) == 1
    assert download.about_value("Department") == "All departments"
    rows = [list(row) for row in download.first_table]
    assert rows[0][:3] == ["Bundle", "Items", "Materials before merging"]
    assert [[str(cell) for cell in row] for row in rows[1:]] == table_rows(html, "catalogue-bundles")
    everything = workbooks.read(client.get(EXPORT).content)
    assert len(everything.tables) == 4
    centres = [list(row) for row in everything.first_table]
    assert centres[1] == ["示范中心", 5, 37, 101, 36.63, 63.37, 40, 80, 60, 40, 40, 1]
    assert client.get(EXPORT, {"table": "no-such-table"}).status_code == 404


def test_the_page_reads_as_few_queries_for_many_items(client, planted, django_assert_max_num_queries):
    client.force_login(make_staff(Role.SUPERVISOR, centre=planted.centre))
    with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(16):
        client.get(PAGE)
    for n in range(3):
        department = DepartmentFactory(centre=planted.centre, name=f"部门{n}")
        made = [
            item(
                department,
                [MaterialFactory()],
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
        assert len(table_rows(client.get(PAGE).content.decode(), "catalogue-departments")) == 5
    assert len(many.captured_queries) == len(few.captured_queries)
