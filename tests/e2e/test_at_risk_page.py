"""Cases at risk in a real Chromium: a centre's supervisor opens the section, sees the counts and the
chart, filters the red cases, opens one with a click (its supervision page, not a 403), and escalates
it early with a note — first forgetting the note, told so."""

import pytest
from playwright.sync_api import expect

from tests.e2e.staff_login import log_in
from tests.supervision.at_risk_world import build, expected_level


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_opens_a_red_case_and_escalates_it_early(live_server, page, shot, axe):
    world = build(limits_x=(1, 5, 7), limits_y=(5,), limit_z=0, decided=False)
    log_in(page, live_server, world.centre_supervisor)
    page.goto(f"{live_server.url}/supervision/")
    page.locator('nav.desk-sections a[href="/supervision/at-risk/"]').click()
    page.wait_for_url("**/supervision/at-risk/")
    rows = page.get_by_test_id("at-risk-row")
    expect(rows).to_have_count(4)
    # Most urgent first: the overdue case, then the two red ones, then the yellow one.
    levels = [expected_level(world.cases[name]) for name in ("x1", "x5", "y5", "x7")]
    assert levels == ["overdue", "red", "red", "yellow"]
    assert [rows.nth(i).get_attribute("data-level") for i in range(4)] == levels
    expect(page.get_by_test_id("at-risk-total")).to_have_text("4")
    page.wait_for_function(
        "() => { const c = document.querySelector('[data-testid=chart-at-risk-by-department] canvas');"
        " return c && c.width > 0 && c.height > 0; }"
    )
    shot(page, "at-risk-list")
    axe(page, "cases at risk")

    filters = page.get_by_test_id("at-risk-filters")
    filters.locator("select[name=level]").select_option("red")
    filters.locator("button[type=submit]").click()
    page.wait_for_url("**/supervision/at-risk/?*level=red*")
    expect(rows).to_have_count(2)
    shot(page, "red-only")

    red = world.cases["x5"]
    page.locator(f'[data-testid=at-risk-row][data-case="{red.pk}"] a').click()
    page.wait_for_url(f"**/supervision/at-risk/cases/{red.pk}/")
    case = page.get_by_test_id("at-risk-case")
    expect(case).to_contain_text(red.filing.number)
    expect(page.get_by_test_id("case-level")).to_have_text("红牌预警")
    expect(page.get_by_test_id("held-by")).to_have_text("李审")
    shot(page, "red-case")
    axe(page, "a case at risk")

    form = page.get_by_test_id("escalate-form")
    form.locator("button[type=submit]").click()  # the browser asks for the required note first
    expect(page.get_by_test_id("case-escalation")).to_have_count(0)
    form.locator("textarea[name=note]").fill("今日到期，请承办人当日办结并回复进度。")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/supervision/at-risk/cases/{red.pk}/")
    escalation = page.get_by_test_id("case-escalation")
    expect(escalation).to_have_count(1)
    expect(escalation).to_contain_text("今日到期，请承办人当日办结并回复进度。")
    expect(page.get_by_test_id("escalated-already")).to_be_visible()
    expect(page.get_by_test_id("escalate-form")).to_have_count(0)
    expect(page.get_by_test_id("case-history")).to_contain_text("今日到期")
    shot(page, "escalated")
