"""A Table's ECharts option (apps.supervision.charts) and the figure the desk pages include
(supervision/_figure.html): the chart draws the table's own numbers, the table is beside it, and its
.xlsx link."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from apps.supervision import charts
from apps.supervision.tables import Linked, Table

BY_DEPARTMENT = Table(
    slug="by-department",
    title="By department",
    headings=["Department", "Filed items", "On-time rate (%)"],
    rows=[["Civil", 12, 91.7], ["Housing", 3, None]],
    chart="bar",
)


def test_a_bar_chart_has_the_first_column_as_categories_and_a_series_per_column():
    option = charts.option(BY_DEPARTMENT)
    assert option["xAxis"]["type"] == "category"
    assert option["xAxis"]["data"] == ["Civil", "Housing"]
    assert [s["name"] for s in option["series"]] == ["Filed items", "On-time rate (%)"]
    assert [s["type"] for s in option["series"]] == ["bar", "bar"]
    assert option["series"][0]["data"] == [12, 3]
    # An empty cell is a gap, not a zero.
    assert option["series"][1]["data"] == [91.7, "-"]
    assert option["legend"]


def test_a_percentage_beside_counts_gets_its_own_axis_labelled_with_percent():
    option = charts.option(BY_DEPARTMENT)
    counts, rates = option["yAxis"]
    assert "axisLabel" not in counts
    # Counts go by whole numbers; percentages need not.
    assert counts["minInterval"] == 1 and "minInterval" not in rates
    assert rates["axisLabel"]["formatter"] == "{value}%"
    assert rates["position"] == "right"
    assert [s["yAxisIndex"] for s in option["series"]] == [0, 1]
    assert [s["hallUnit"] for s in option["series"]] == ["", "%"]


def test_percentages_alone_share_one_axis_and_chinese_headings_count_as_percentages():
    table = Table(
        slug="rates",
        title="Rates",
        headings=["月份", "一次性通过率（%）", "按时办结率(%)"],
        rows=[["2026-03", 80.0, 75.75]],
        chart="line",
    )
    option = charts.option(table)
    assert option["yAxis"] == {"type": "value", "axisLabel": {"formatter": "{value}%"}}
    assert all("yAxisIndex" not in s for s in option["series"])
    assert [s["type"] for s in option["series"]] == ["line", "line"]
    assert option["series"][1]["data"] == [75.75]


def test_only_the_chosen_columns_are_drawn_and_one_series_needs_no_legend():
    table = Table(
        slug="x",
        title="X",
        headings=["Day", "Filed", "Decided", "Average days"],
        rows=[[dt.date(2026, 3, 2), 4, 2, Decimal("1.5")]],
        chart="line",
        series=(3,),
    )
    option = charts.option(table)
    assert option["xAxis"]["data"] == ["2026-03-02"]
    assert [s["name"] for s in option["series"]] == ["Average days"]
    # A Decimal crosses to the browser as a number.
    assert option["series"][0]["data"] == [1.5]
    assert "legend" not in option


def test_many_or_long_labels_lay_a_bar_chart_on_its_side_first_row_on_top():
    rows = [[f"Item {n}", n] for n in range(1, 11)]
    # Seven Chinese characters are as long as fourteen letters: on its side too.
    long_name = Table(
        slug="d", title="D", headings=["部门", "办件"], rows=[["市场监督管理局", 1]], chart="bar"
    )
    assert charts.option(long_name)["yAxis"]["type"] == "category"
    assert charts.option(BY_DEPARTMENT)["xAxis"]["type"] == "category"
    table = Table(slug="items", title="Items", headings=["Item", "Filed items"], rows=rows, chart="bar")
    option = charts.option(table)
    assert option["yAxis"]["type"] == "category"
    assert option["yAxis"]["inverse"] is True
    assert option["yAxis"]["data"][0] == "Item 1"
    assert option["xAxis"] == {"type": "value", "minInterval": 1}
    # Ten rows of one series: taller than the default, every label room.
    assert charts.height(table) == charts.SIDEWAYS_MARGIN + charts.ROW_HEIGHT * 10
    assert charts.height(BY_DEPARTMENT) == charts.HEIGHT


def test_a_pie_draws_the_first_drawn_column_one_slice_per_row():
    table = Table(
        slug="channels",
        title="Channels",
        headings=["Channel", "Filed items", "Share (%)"],
        rows=[["Window", 30, 75.0], ["Online", 10, 25.0]],
        chart="pie",
    )
    option = charts.option(table)
    (series,) = option["series"]
    assert series["type"] == "pie"
    assert series["data"] == [{"name": "Window", "value": 30}, {"name": "Online", "value": 10}]
    assert option["tooltip"]["trigger"] == "item"


def test_no_chart_no_option_and_an_unknown_kind_is_refused():
    assert charts.option(Table(slug="t", title="T", headings=["A", "B"], rows=[["a", 1]])) == {}
    with pytest.raises(ValueError, match="radar"):
        charts.option(Table(slug="t", title="T", headings=["A", "B"], rows=[["a", 1]], chart="radar"))


def test_the_option_is_json_without_html_tooltips():
    option = charts.option(BY_DEPARTMENT)
    # Plain JSON (it travels in a json_script) and a canvas tooltip: HTML ones style inline (CSP).
    assert json.loads(json.dumps(option)) == option
    assert option["tooltip"]["renderMode"] == "richText"


def test_the_figure_draws_the_chart_from_its_table_beside_the_table_and_its_download():
    html = render_to_string(
        "supervision/_figure.html",
        {"table": BY_DEPARTMENT, "export_url": "/x/?format=xlsx&table=by-department"},
    )
    assert 'data-testid="figure-by-department"' in html
    assert 'data-chart="chart-by-department-option"' in html
    assert 'aria-hidden="true"' in html
    start = html.index('<script id="chart-by-department-option" type="application/json">')
    script = html[start:]
    payload = script[script.index(">") + 1 : script.index("</script>")]
    assert json.loads(payload) == charts.option(BY_DEPARTMENT)
    assert 'data-testid="table-by-department"' in html
    assert '<th scope="row">Civil</th><td>12</td><td>91.7</td>' in html
    assert '<th scope="row">Housing</th><td>3</td><td>—</td>' in html
    assert 'data-testid="export-by-department"' in html
    assert 'href="/x/?format=xlsx&amp;table=by-department"' in html


def test_a_figure_with_no_rows_says_so_and_draws_no_chart():
    empty = Table(slug="empty", title="Empty", headings=["Day", "Filed"], rows=[], chart="line")
    html = render_to_string("supervision/_figure.html", {"table": empty})
    assert "data-chart" not in html
    assert 'data-testid="table-empty-empty"' in html
    assert "export-empty" not in html


def test_a_table_without_chart_is_only_a_table():
    plain = Table(slug="plain", title="Plain", headings=["Item", "Filed"], rows=[["A", 1]])
    html = render_to_string("supervision/_figure.html", {"table": plain})
    assert "data-chart" not in html
    assert 'data-testid="table-plain"' in html


def test_a_stacked_bar_chart_stacks_its_series_and_others_do_not():
    parts = Table(
        slug="channels",
        title="Channels",
        headings=["Day", "Window", "Online"],
        rows=[["2026-03-02", 3, 1]],
        chart="bar",
        extra={"stack": True},
    )
    assert [s["stack"] for s in charts.option(parts)["series"]] == ["total", "total"]
    assert all("stack" not in s for s in charts.option(BY_DEPARTMENT)["series"])


ALL_ZERO = Table(
    slug="zeros",
    title="Suspensions",
    headings=["Department", "Corrections requested", "Extensions"],
    rows=[["Civil", 0, 0], ["Housing", None, 0.0]],
    chart="bar",
)


@pytest.mark.parametrize("kind", ["bar", "line", "pie"])
def test_a_chart_with_every_drawn_value_zero_or_empty_is_not_drawn(kind):
    table = Table(**{**ALL_ZERO.__dict__, "chart": kind})
    assert charts.option(table) == {}
    # One value is enough to draw (even when the columns it draws are zero elsewhere).
    some = Table(**{**ALL_ZERO.__dict__, "chart": kind, "rows": [["Civil", 0, 0], ["Housing", None, 2]]})
    assert charts.option(some)["series"]


def test_a_figure_with_nothing_to_draw_shows_its_table_and_says_there_is_no_data():
    with translation.override("en"):
        html = render_to_string("supervision/_figure.html", {"table": ALL_ZERO})
    assert "data-chart" not in html
    assert 'data-testid="chart-zeros-no-data"' in html
    assert "No data for this period" in html
    assert '<th scope="row">Civil</th><td>0</td><td>0</td>' in html


def _by_day(rows: int, **extra) -> Table:
    start = dt.date(2026, 11, 1)
    return Table(
        slug="channels",
        title="Filed items decided by channel",
        headings=["Day", "At a window", "Online"],
        rows=[[(start + dt.timedelta(days=n)).isoformat(), n, 1] for n in range(rows)],
        chart="bar",
        extra={"stack": True, **extra},
    )


@pytest.mark.parametrize(
    "table",
    [
        _by_day(27),  # ISO days: seen as a time axis
        Table(
            slug="m",
            title="M",
            headings=["Month", "Filed"],
            rows=[[f"2025-{m:02d}", m] for m in range(1, 13)],
            chart="bar",
        ),
        Table(
            slug="d",
            title="D",
            headings=["Day", "Filed"],
            rows=[[dt.date(2026, 3, 1) + dt.timedelta(days=n), n + 1] for n in range(20)],
            chart="bar",
        ),
        Table(
            slug="t",
            title="T",
            headings=["Week", "Filed"],
            rows=[[f"Week {n}", n + 1] for n in range(20)],
            chart="bar",
            extra={"time": True},  # said by the table
        ),
    ],
    ids=["iso-days", "iso-months", "dates", "said"],
)
def test_a_time_series_stays_upright_however_many_rows(table):
    option = charts.option(table)
    assert option["xAxis"]["type"] == "category"
    assert option["xAxis"]["data"][0] == charts.label(table.rows[0][0])
    assert option["yAxis"]["type"] == "value"
    assert charts.height(table) == charts.HEIGHT
    assert charts.is_time(table)


def test_a_table_can_say_its_first_column_is_not_time():
    # Twenty rows labelled like months but said not to be time: a long category list, on its side.
    table = Table(
        slug="codes",
        title="Codes",
        headings=["Code", "Filed"],
        rows=[[f"2025-{m:02d}", m] for m in range(1, 13)],
        chart="bar",
        extra={"time": False},
    )
    assert charts.option(table)["yAxis"]["type"] == "category"


def test_a_table_fixes_its_series_colours_by_index_or_heading():
    table = Table(
        slug="at-risk",
        title="Cases at risk",
        headings=["Department", "逾期", "红牌", "黄牌", "Total"],
        rows=[["Civil", 1, 2, 3, 6]],
        chart="bar",
        series=(1, 2, 3),
        extra={"stack": True, "colors": {1: "#7f1d1d", "红牌": "#dc2626", 3: "#d97706"}},
    )
    series = charts.option(table)["series"]
    assert [s["itemStyle"]["color"] for s in series] == ["#7f1d1d", "#dc2626", "#d97706"]
    # A table that fixes none keeps the palette's.
    assert all("itemStyle" not in s for s in charts.option(BY_DEPARTMENT)["series"])


def test_a_line_and_a_pie_take_their_fixed_colours_too():
    line = Table(
        slug="l",
        title="L",
        headings=["Day", "Overdue"],
        rows=[["2026-03-01", 1]],
        chart="line",
        extra={"colors": {"Overdue": "#7f1d1d"}},
    )
    (series,) = charts.option(line)["series"]
    assert series["itemStyle"] == {"color": "#7f1d1d"} and series["lineStyle"] == {"color": "#7f1d1d"}
    pie = Table(
        slug="p",
        title="P",
        headings=["Level", "Cases"],
        rows=[["Overdue", 1], ["Red", 2]],
        chart="pie",
        extra={"colors": {"Overdue": "#7f1d1d"}},
    )
    data = charts.option(pie)["series"][0]["data"]
    assert data[0]["itemStyle"] == {"color": "#7f1d1d"} and "itemStyle" not in data[1]


def test_the_table_body_escapes_every_text_and_links_a_linked_label():
    # The body is built in one Python call (supervision_figures.figure_body), not by the template:
    # the HTML is what the template drew, each text escaped once.
    table = Table(
        slug="mixed",
        title="Mixed",
        headings=["Label", "Count", "Rate (%)", "Share", "Note"],
        rows=[
            [
                Linked("A & <B>", "/r/?rule=a&x=1", current=True, testid="row-a"),
                1,
                Decimal("2.50"),
                0.5,
                "<i>",
            ],
            [Linked("C", "/r/?rule=c"), 0, None, 1.0, "x"],
            [dt.date(2026, 3, 2), 7, 12.3, None, "a\"b'"],
            ["<script>", 2, Decimal("0"), 3.25, None],
        ],
    )
    html = render_to_string("supervision/_figure.html", {"table": table})
    body = html[html.index("<tbody>") + len("<tbody>") : html.index("</tbody>")]
    assert body == (
        '<tr data-testid="row-a"><th scope="row"><a href="/r/?rule=a&amp;x=1" aria-current="true">'
        "A &amp; &lt;B&gt;</a></th><td>1</td><td>2.5</td><td>0.5</td><td>&lt;i&gt;</td></tr>"
        '<tr><th scope="row"><a href="/r/?rule=c">C</a></th><td>0</td><td>—</td><td>1.0</td><td>x</td></tr>'
        '<tr><th scope="row">2026-03-02</th><td>7</td><td>12.3</td><td>—</td><td>a&quot;b&#x27;</td></tr>'
        '<tr><th scope="row">&lt;script&gt;</th><td>2</td><td>0.0</td><td>3.25</td><td>—</td></tr>'
    )
