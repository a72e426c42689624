"""The catalogue figures (事项统计) in a real Chromium: every chart drawn beside its table from the same
numbers, under the page's content security policy; a department chosen; a table's .xlsx. The figures
are the planted catalogue's (tests/supervision/planted_catalogue.py), worked out by hand in
tests/supervision/test_catalogue_figures.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from tests.e2e.staff_login import log_in
from tests.e2e.test_supervision_dashboard import ALL_DRAWN, drawn_series, watch
from tests.factories import make_staff
from tests.supervision import workbooks
from tests.supervision.planted_catalogue import planted_catalogue


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_catalogue_figures_draw_beside_their_tables(live_server, page, shot, axe):
    planted = planted_catalogue()
    problems = watch(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=planted.centre))
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/supervision/catalogue/")
    expect(page.get_by_test_id("headline-items")).to_contain_text("5")
    expect(page.get_by_test_id("headline-time-compressed")).to_contain_text("63.37")
    page.wait_for_function(ALL_DRAWN)
    shot(page, "whole-centre")

    # The bundles' chart draws the table's materials before and after merging.
    before, after = drawn_series(page, "catalogue-bundles")
    assert (before, after) == ([6, 3, 3], [5, 2, 3])
    bundles = page.get_by_test_id("table-catalogue-bundles")
    assert bundles.locator("tbody th").all_inner_texts() == ["一件事一", "一件事二", "一件事三"]
    # The visits' pie: none, one, more.
    (slices,) = drawn_series(page, "catalogue-visits")
    assert [s["value"] if isinstance(s, dict) else s for s in slices] == [2, 2, 1]
    axe(page, "catalogue figures")

    # One department chosen: its items only, every chart drawn again.
    filters = page.get_by_test_id("catalogue-filters")
    filters.locator("select[name=department]").select_option(str(planted.market.pk))
    filters.locator("button[type=submit]").click()
    page.wait_for_url("**department=*")
    expect(page.get_by_test_id("headline-items")).to_contain_text("3")
    expect(page.get_by_test_id("headline-time-compressed")).to_contain_text("70.0")
    page.wait_for_function(ALL_DRAWN)
    expect(page.get_by_test_id("table-catalogue-bundles").locator("tbody tr")).to_have_count(2)
    shot(page, "one-department")

    # The department's table as .xlsx holds the page's numbers.
    with page.expect_download() as download:
        page.get_by_test_id("export-catalogue-departments").click()
    assert download.value.suggested_filename.startswith("catalogue-departments-")
    rows = workbooks.read(Path(download.value.path()).read_bytes()).first_table
    assert rows[1] == ("市场监管局", 3, 15, 50, 30, 70, 66.67, 100, 66.67, 33.33, 33.33, 1)
    assert problems == []
