"""The supervision desk's work dashboard (desks:work_figures): headline figures, every work table as a
chart beside its table with its .xlsx, the hall's waits and satisfaction, filtered by a department in
scope and a month; each table's and the whole .xlsx; constant queries. The right answers are worked out
by hand in tests/desks/work_figures_world.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.desks.work_figures_world import plant
from tests.factories import make_staff
from tests.supervision import workbooks

pytestmark = pytest.mark.django_db

PAGE = "desks:work_figures"
EXPORT = "desks:work_figures_export"
# The tables the dashboard draws (apps.supervision.work_figures.tables), each as a figure.
TABLES = (
    "work-channels",
    "work-decisions",
    "work-rates",
    "work-departments",
    "work-time",
    "work-suspensions",
    "work-deficiencies",
    "work-items",
    "work-windows",
)


@pytest.fixture
def world():
    return plant()


def headline(html: str, key: str) -> str | None:
    """A headline tile's value as shown (None: the tile is not on the page; "—": nothing to show)."""
    match = re.search(rf'data-testid="headline-{key}"><dt>[^<]*</dt><dd>(.*?)</dd>', html)
    if not match:
        return None
    value = re.search(r"<span data-value>([^<]*)</span>", match.group(1))
    return value.group(1) if value else match.group(1)


def page(client, user, **query):
    client.force_login(user)
    response = client.get(reverse(PAGE), query)
    return response, response.content.decode()


def test_a_centre_supervisor_reads_the_month_of_the_whole_centre(client, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    response, html = page(client, supervisor, month="2026-03")
    assert response.status_code == 200
    assert headline(html, "decided") == "8"
    assert headline(html, "decided-window") == "5"
    assert headline(html, "decided-online") == "3"
    assert headline(html, "decided-assisted") == "0"
    assert headline(html, "online-share") == "37.5"
    assert headline(html, "first-time-pass-rate") == "75.0"
    assert headline(html, "on-time-rate") == "66.7"
    assert headline(html, "average-days-used") == "5.0"
    assert headline(html, "average-days-promised") == "5.0"
    assert headline(html, "average-days-legal") == "20.0"
    assert headline(html, "accepted-with-deficiency") == "1"
    assert headline(html, "deficiencies-cleared") == "1"
    assert headline(html, "deficiencies-lapsed") == "0"
    assert headline(html, "materials-by-certificate") == "3"
    assert headline(html, "certificates-issued") == "2"
    assert headline(html, "documents-posted") == "1"
    assert headline(html, "documents-collected") == "1"
    assert headline(html, "tickets-issued") == "2"
    assert headline(html, "average-wait") == "15.0"
    assert headline(html, "longest-wait") == "20.0"
    assert headline(html, "ratings") == "7"
    assert headline(html, "satisfaction-rate") == "57.1"
    # Only the centre's departments to choose; nothing of the other centre anywhere.
    assert "市场监督管理局" in html and "城西" not in html


def test_every_work_table_is_a_figure_with_its_chart_table_and_download(client, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    _response, html = page(client, supervisor, month="2026-03")
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html and "js/charts.js" in html
    for slug in TABLES:
        assert f'data-testid="figure-{slug}"' in html, slug
        assert f'data-testid="table-{slug}"' in html, slug
        assert f'data-testid="export-{slug}"' in html, slug
        assert f'href="/supervision/work/export/?month=2026-03&amp;table={slug}"' in html, slug
    assert 'data-chart="chart-work-departments-option"' in html
    assert 'href="/supervision/work/export/?month=2026-03" data-testid="export-all"' in html


def test_one_department_chosen_shows_its_share_and_no_tickets(client, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    response, html = page(client, supervisor, month="2026-03", department=world.market.pk)
    assert response.status_code == 200
    assert headline(html, "decided") == "2"
    assert headline(html, "first-time-pass-rate") == "50.0"
    assert headline(html, "on-time-rate") == "0.0"
    assert headline(html, "average-days-used") == "9.0"
    assert headline(html, "deficiencies-cleared") == "0"
    assert headline(html, "satisfaction-rate") == "0.0"
    # Tickets are a centre's: no wait is shown for one department.
    assert headline(html, "tickets-issued") is None
    assert headline(html, "average-wait") is None


def test_a_department_supervisor_sees_their_department_only(client, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre, department=world.market)
    response, html = page(client, supervisor, month="2026-03")
    assert response.status_code == 200
    assert headline(html, "decided") == "2"
    assert headline(html, "satisfaction-rate") == "0.0"
    assert headline(html, "tickets-issued") is None
    assert "民政局</option>" not in html
    # Another department of the centre is not a choice: refused, naming the field.
    response, html = page(client, supervisor, month="2026-03", department=world.civil.pk)
    assert response.status_code == 400
    assert 'data-testid="headline-decided"' not in html
    assert "选择一个有效的选项" in html


def test_a_range_outside_the_month_and_by_month_counts_april_too(client, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    _response, html = page(
        client, supervisor, **{"from": "2026-03-01", "to": "2026-04-30", "period": "month"}
    )
    assert headline(html, "decided") == "13"
    assert headline(html, "first-time-pass-rate") == str(round(100 * 11 / 13, 1))  # 84.6


def test_a_bad_month_is_a_400_naming_the_field_in_chinese(client, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    response, html = page(client, supervisor, month="2026-13")
    assert response.status_code == 400
    assert 'data-testid="headline-decided"' not in html
    assert re.search(r'id="id_month_error"|class="errorlist', html)


def test_staff_without_the_supervision_desk_are_refused(client, world):
    clerk = make_staff(Role.CLERK, centre=world.centre)
    client.force_login(clerk)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.get(reverse(EXPORT)).status_code == 403


def _sheets(response) -> dict[str, list[tuple]]:
    """The tables' sheets; the About sheet before them names the filters the download was made with."""
    download = workbooks.read(response.content)
    assert download.about_value("From") == "2026-03-01" and download.about_value("To") == "2026-03-31"
    return download.tables


def test_one_tables_download_holds_that_table(client, english, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    client.force_login(supervisor)
    response = client.get(reverse(EXPORT), {"month": "2026-03", "table": "work-departments"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="work-departments-20260301-20260331.xlsx"'
    (rows,) = _sheets(response).values()
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"民政局", "市场监督管理局"}
    # Decided 4 + 2 = 6 at 民政局, first-time pass 5/6 = 83.3 %; 市场监管 2, 50.0 %.
    assert by_name["民政局"][1] == 6
    assert by_name["民政局"][6] == 83.3
    assert by_name["市场监督管理局"][1] == 2
    assert by_name["市场监督管理局"][6] == 50.0
    assert client.get(reverse(EXPORT), {"month": "2026-03", "table": "nothing"}).status_code == 404


def test_the_whole_download_starts_with_the_headline_figures(client, english, world):
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    client.force_login(supervisor)
    response = client.get(reverse(EXPORT), {"month": "2026-03"})
    assert response["Content-Disposition"] == 'attachment; filename="work-figures-20260301-20260331.xlsx"'
    sheets = _sheets(response)
    assert len(sheets) == 1 + len(TABLES)
    headline_rows = dict(next(iter(sheets.values()))[1:])
    assert headline_rows["Filed items decided"] == 8
    assert headline_rows["First-time pass rate (%)"] == 75.0
    assert headline_rows["Average wait (minutes)"] == 15.0
    assert headline_rows["Satisfaction rate (%)"] == 57.1


@pytest.mark.parametrize("more", [0, 6])
def test_the_page_reads_in_a_constant_number_of_queries(client, django_assert_max_num_queries, more):
    world = plant(extra_departments=more, extra_days=more)
    supervisor = make_staff(Role.SUPERVISOR, centre=world.centre)
    client.force_login(supervisor)
    client.get(reverse(PAGE), {"month": "2026-03"})  # the session and the user's permissions cached
    with django_assert_max_num_queries(QUERIES):
        response = client.get(reverse(PAGE), {"month": "2026-03"})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="figure-') == len(TABLES)


QUERIES = 19
