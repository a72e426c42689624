"""The hall figures (大厅运行统计) in a real Chromium: a supervisor opens them from the supervision desk's
sections, chooses the planted data set's two days (tests/visits/test_hall_figures.py), reads its
numbers, downloads the spreadsheet; and the page on a phone."""

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from tests.e2e.staff_login import log_in
from tests.factories import make_staff
from tests.visits.test_hall_figures import plant


def cell(row, figure: str):
    return row.locator(f'[data-figure="{figure}"]')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_hall_figures_and_downloads_them(live_server, page, shot, axe):
    hall = plant()
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=hall.centre))
    page.locator('nav.desk-sections a[href="/supervision/hall-figures/"]').click()
    filters = page.get_by_test_id("hall-figures-filters")
    expect(filters).to_be_visible()
    shot(page, "hall-figures-opened")

    filters.locator("input[name=date_from]").fill("2026-03-02")
    filters.locator("input[name=date_to]").fill("2026-03-03")
    filters.locator("button[type=submit]").click()
    overall = page.get_by_test_id("hall-figures-overall")
    # 7 tickets; waits 75 minutes over 5 = 15.0; handling 85.5 over 4 = 21.4 (worked out in the
    # module of the data set).
    expect(cell(overall, "issued")).to_have_text("7")
    expect(cell(overall, "average-wait")).to_have_text("15.0")
    expect(cell(overall, "average-handling")).to_have_text("21.4")
    area_a = page.get_by_test_id(f"area-{hall.a.pk}")
    expect(cell(area_a, "average-wait")).to_have_text("17.5")
    # Today every slot of March has ended: A's 16:00 booking counts too — 2 no-shows of 6.
    expect(cell(area_a, "no-show-rate")).to_have_text("33.3%")
    expect(cell(page.get_by_test_id(f"window-{hall.w2.pk}"), "average-handling")).to_have_text("27.8")
    eleven = page.get_by_test_id("hour-11")
    expect(eleven.locator("th")).to_have_text("11:00")
    expect(cell(eleven, "average-wait")).to_have_text("—")
    expect(page.get_by_test_id("hour-9").locator("meter").first).to_have_attribute("value", "2")
    expect(cell(page.get_by_test_id("day-2026-03-02"), "issued")).to_have_text("5")
    expect(page.get_by_text(hall.other.name)).to_have_count(0)
    shot(page, "two-days")
    axe(page, "hall figures")

    with page.expect_download() as download:
        page.get_by_test_id("hall-figures-xlsx").click()
    assert download.value.suggested_filename == "hall-figures-20260302-20260303.xlsx"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_hall_figures_fit_a_phone(live_server, page, shot):
    hall = plant()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=hall.centre))
    page.goto(f"{live_server.url}/supervision/hall-figures/?from=2026-03-02&to=2026-03-03")
    expect(cell(page.get_by_test_id(f"area-{hall.b.pk}"), "average-handling")).to_have_text("40.0")
    # Wide tables scroll inside themselves: the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phone")
