"""A supervisor enters a 12345 caller's rating through a real Chromium: from the supervision desk's
section tabs to the 12345 page, finds the filing by its number, is refused a 非常不满意 without a
reason (named on the field), enters it with one, and sees it recorded on the filing's act."""

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.feedback.models import Channel, Level, Rating, RectificationTicket
from tests.e2e.staff_login import log_in
from tests.factories import ServiceCentreFactory, make_staff
from tests.factories.cases import comprehensive_window
from tests.factories.feedback import visited_filing


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_enters_a_12345_rating(live_server, page, shot, axe):
    centre = ServiceCentreFactory()
    window = comprehensive_window(centre)
    filing = visited_filing(centre=centre, window=window)
    supervisor = make_staff(Role.SUPERVISOR, centre=centre)

    log_in(page, live_server, supervisor)
    expect(page.get_by_role("heading", level=1)).to_have_text("督办台")
    page.get_by_role("button", name="English").click()

    sections = page.get_by_role("navigation", name="Supervision")
    sections.get_by_role("link", name="12345 ratings").click()
    expect(sections.get_by_role("link", name="12345 ratings")).to_have_attribute("aria-current", "page")
    shot(page, "phone-page")
    axe(page, "12345 page")

    page.get_by_label("Filing number").fill(filing.number)
    page.get_by_role("button", name="Find").click()
    found = page.get_by_test_id("phone-filing")
    expect(found).to_contain_text(filing.number)
    expect(page.get_by_test_id("act-window_visit")).to_contain_text("Not rated")
    shot(page, "filing-found")
    axe(page, "12345 page with a filing")

    form = page.get_by_test_id("phone-rating-form")
    form.get_by_role("radio", name="Window visit").check()
    form.get_by_label("Caller's name").fill("李四")
    form.get_by_label("Caller's phone").fill("137 0000 7777")
    form.get_by_role("radio", name="Very dissatisfied", exact=True).check()
    form.get_by_role("button", name="Enter the rating").click()
    expect(page.get_by_test_id("field-reason")).to_contain_text("Choose the reason")
    assert not Rating.objects.exists()
    shot(page, "reason-required")

    form = page.get_by_test_id("phone-rating-form")
    expect(form.get_by_label("Caller's name")).to_have_value("李四")  # what was typed is kept
    form.get_by_label("Reason (required for dissatisfied and very dissatisfied)").select_option(
        label="Long wait"
    )
    form.get_by_label("What the caller said").fill("排队一个多小时")
    form.get_by_role("button", name="Enter the rating").click()
    expect(page.get_by_role("status")).to_contain_text(f"12345 rating entered for filing {filing.number}")
    expect(page.get_by_test_id("act-window_visit")).to_contain_text(
        "Not rated"
    )  # the caller is not the applicant
    shot(page, "entered")

    rating = Rating.objects.get()
    assert (rating.channel, rating.level, rating.entered_by) == (
        Channel.PHONE,
        Level.VERY_DISSATISFIED,
        supervisor,
    )
    assert RectificationTicket.objects.filter(rating=rating).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_12345_page_fits_a_phone(live_server, page, shot):
    centre = ServiceCentreFactory()
    filing = visited_filing(centre=centre)
    supervisor = make_staff(Role.SUPERVISOR, centre=centre)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/supervision/phone-ratings/?number={filing.number}")
    expect(page.get_by_test_id("phone-rating-form")).to_be_visible()
    shot(page, "phone-viewport")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
