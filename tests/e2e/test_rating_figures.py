"""The rating figures (好差评统计) in a real Chromium: a supervisor opens them from the supervision desk's
sections, chooses windows month by month over 2026, reads the known data set's numbers
(tests/feedback/test_rollups.py), follows a window to its months, downloads the spreadsheet; and the
page on a phone."""

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.feedback import rollups
from tests.e2e.staff_login import log_in
from tests.factories import make_staff
from tests.feedback.test_rollups import DAY_A, DAY_C, known_data_set


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reads_the_figures_and_downloads_them(live_server, page, shot, axe):
    known = known_data_set()
    rollups.rebuild(DAY_A, DAY_C)
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=known.centre))
    page.locator('nav.desk-sections a[href="/supervision/figures/"]').click()
    filters = page.get_by_test_id("figures-filters")
    expect(filters).to_be_visible()
    shot(page, "figures-opened")

    filters.locator("select[name=dimension]").select_option("window")
    filters.locator("select[name=period]").select_option("month")
    filters.locator("input[name=date_from]").fill("2026-01-01")
    filters.locator("input[name=date_to]").fill("2026-12-31")
    filters.locator("button[type=submit]").click()
    overall = page.get_by_test_id("figures-overall")
    # 13 ratings counted: 69.2 % satisfied; 5 bad, 60.0 % rectified, 40.0 % on time; 1 set aside.
    expect(overall.locator("tbody td").nth(5)).to_have_text("13")
    expect(overall.locator("tbody td").nth(6)).to_have_text("69.2%")
    expect(overall.locator("tbody td").nth(9)).to_have_text("60.0%")
    expect(overall.locator("tbody td").nth(10)).to_have_text("40.0%")
    expect(overall.locator("tbody td").nth(11)).to_have_text("1")
    w1 = page.get_by_test_id(f"total-{known.w1.pk}")
    expect(w1.locator("td").nth(6)).to_have_text("62.5%")
    march = page.get_by_test_id("period-2026-03-01")
    expect(march.locator("td").nth(6)).to_have_text("72.7%")
    lowest = page.get_by_test_id("lowest-windows")
    expect(lowest).to_have_count(0)  # fewer than 10 ratings each: none listed
    shot(page, "windows-by-month")
    axe(page, "rating figures")

    w1.get_by_role("link").click()
    april = page.get_by_test_id("period-2026-04-01")
    expect(april.locator("td").nth(5)).to_have_text("2")
    expect(april.locator("td").nth(6)).to_have_text("50.0%")
    expect(page.get_by_test_id("figures-trend").get_by_role("heading")).to_contain_text(known.w1.number)
    shot(page, "one-window-by-month")

    with page.expect_download() as download:
        page.get_by_test_id("figures-xlsx").click()
    assert download.value.suggested_filename == "rating-figures-window-month-20260101-20261231.xlsx"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_figures_fit_a_phone(live_server, page, shot):
    known = known_data_set()
    rollups.rebuild(DAY_A, DAY_C)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=known.centre))
    page.goto(
        f"{live_server.url}/supervision/figures/?dimension=item&period=month&from=2026-01-01&to=2026-12-31"
    )
    expect(page.get_by_test_id(f"total-{known.i1.pk}")).to_contain_text("75.0%")
    # Wide tables scroll inside themselves: the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phone")
