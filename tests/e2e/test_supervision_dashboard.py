"""The work dashboard (办件统计) in a real Chromium: ECharts really draws every chart (a canvas with a
size inside each figure), from the same numbers as the table beside it, under the page's content
security policy (no violation, no script error); the department filter; a table's .xlsx; no animation
when reduced motion is asked for; on a desk (1366×768) and a tablet (768×1024). The figures are the
planted world's (tests/desks/work_figures_world.py, worked out by hand there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from tests.desks.work_figures_world import plant
from tests.e2e.staff_login import log_in
from tests.factories import make_staff
from tests.supervision import workbooks

# Every chart drawn: a canvas with a size in each [data-chart], ECharts' instance on it.
ALL_DRAWN = """() => {
  const charts = [...document.querySelectorAll('[data-chart]')];
  return charts.length > 0 && charts.every((element) => {
    const canvas = element.querySelector('canvas');
    return canvas && canvas.width > 0 && canvas.height > 0 && element.dataset.chartDrawn === 'true'
      && window.echarts && window.echarts.getInstanceByDom(element);
  });
}"""


def watch(page) -> list[str]:
    """What went wrong on the page: script errors, console errors, CSP violations (each a line)."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console", lambda message: message.type == "error" and problems.append(f"console: {message.text}")
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return problems


def drawn_series(page, slug: str) -> list:
    """The numbers the chart of ``slug`` draws, as ECharts holds them."""
    return page.evaluate(
        """(slug) => {
          const element = document.querySelector(`[data-testid="chart-${slug}"]`);
          return window.echarts.getInstanceByDom(element).getOption().series.map((s) => s.data);
        }""",
        slug,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboards_charts_draw_beside_their_tables(live_server, page, shot, axe):
    world = plant()
    problems = watch(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=world.centre))
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/supervision/work/?month=2026-03")
    expect(page.get_by_test_id("headline-decided")).to_contain_text("8")
    page.wait_for_function(ALL_DRAWN)
    shot(page, "desk-march")

    # Each chart has a size in its figure, and sits beside its table on a desk; a table of more than
    # five columns under it, the figure's whole width.
    for slug in ("work-rates", "work-decisions", "work-departments"):
        box = page.get_by_test_id(f"chart-{slug}").bounding_box()
        assert box["width"] > 300 and box["height"] >= 300, (slug, box)
        table = page.get_by_test_id(f"table-{slug}").bounding_box()
        if slug == "work-departments":
            assert table["y"] >= box["y"] + box["height"] - 1 and table["width"] > 1000, (slug, box, table)
        else:
            assert table["x"] > box["x"] + box["width"] - 1, (slug, box, table)

    # Nothing suspended or extended in March: no empty chart, a line saying so where it would be, and
    # the table of zeros beside it.
    expect(page.get_by_test_id("chart-work-suspensions-no-data")).to_be_visible()
    expect(page.get_by_test_id("chart-work-suspensions")).to_have_count(0)
    expect(page.get_by_test_id("table-work-suspensions")).to_be_visible()

    # The chart draws the table's numbers: by department, decided and on-time rate.
    departments = page.get_by_test_id("table-work-departments")
    civil = departments.locator("tr", has_text="民政局").first
    expect(civil.locator("td").nth(0)).to_have_text("6")
    names = departments.locator("tbody th").all_inner_texts()
    decided, on_time = drawn_series(page, "work-departments")
    decided_cells = [
        int(text) for text in departments.locator("tbody tr td:nth-of-type(1)").all_inner_texts()
    ]
    assert decided == decided_cells and len(names) == 2
    assert "-" in on_time or all(isinstance(value, int | float) for value in on_time)

    # Hovering a bar shows its tooltip drawn on the canvas (no HTML tooltip: the CSP refuses inline style).
    chart = page.get_by_test_id("chart-work-rates")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    # The tooltip is drawn on the canvas in the frames after the move (a screenshot for a person).
    page.wait_for_function(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    page.screenshot(path=str(shot(page, "tooltip").with_name("tooltip-viewport.png")))
    axe(page, "work dashboard")
    assert problems == []

    # One department chosen: its share, every chart drawn again.
    filters = page.get_by_test_id("work-filters")
    filters.locator("select[name=department]").select_option(str(world.market.pk))
    filters.locator("button[type=submit]").click()
    page.wait_for_url("**department=*")
    expect(page.get_by_test_id("headline-decided")).to_contain_text("2")
    expect(page.get_by_test_id("headline-first-time-pass-rate")).to_contain_text("50.0")
    page.wait_for_function(ALL_DRAWN)
    shot(page, "one-department")

    # A table's own .xlsx holds the table's numbers.
    with page.expect_download() as download:
        page.get_by_test_id("export-work-departments").click()
    assert download.value.suggested_filename == "work-departments-20260301-20260331.xlsx"
    rows = workbooks.read(Path(download.value.path()).read_bytes()).first_table
    assert rows[1][0] == "市场监督管理局" and rows[1][1] == 2
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_tablet_the_table_is_under_its_chart_and_nothing_moves(live_server, page, shot, axe):
    world = plant()
    problems = watch(page)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.emulate_media(reduced_motion="reduce")
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=world.centre))
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/supervision/work/?from=2026-03-01&to=2026-04-30&period=month")
    expect(page.get_by_test_id("headline-decided")).to_contain_text("13")
    page.wait_for_function(ALL_DRAWN)
    chart = page.get_by_test_id("chart-work-channels").bounding_box()
    table = page.get_by_test_id("table-work-channels").bounding_box()
    assert table["y"] >= chart["y"] + chart["height"] - 1
    assert chart["width"] > 600
    # Asked for reduced motion: no animation.
    assert page.evaluate(
        """() => [...document.querySelectorAll('[data-chart]')].every(
             (element) => window.echarts.getInstanceByDom(element).getOption().animation === false)"""
    )
    # The page does not scroll sideways; a chart follows its box when the window changes size.
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_function(
        """() => {
          const element = document.querySelector('[data-testid="chart-work-channels"]');
          return Math.abs(window.echarts.getInstanceByDom(element).getWidth() - element.clientWidth) < 2
            && element.clientWidth > 800;
        }"""
    )
    page.set_viewport_size({"width": 768, "height": 1024})
    shot(page, "tablet-by-month")
    axe(page, "work dashboard on a tablet")
    assert problems == []
