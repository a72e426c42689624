"""A rating link on a phone (好差评; issue 17), in a real Chromium emulating a 390×844 phone: the QR
code's page of a closed filing, 不满意 without a reason (refused, the reason field named), with one
(thanks, and until when it can be changed), the rating changed; the elder-friendly mode once; a
forged link's clear page. axe-core on each page; nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from apps.cases.rating_links import rating_url
from apps.feedback.models import ActKind, Channel, Level, Rating, Reason, RectificationTicket
from tests.e2e import elder
from tests.factories.feedback import closed_filing

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    }


def words(chinese: str, english: str) -> re.Pattern:
    """A new string of this issue: its Chinese (var/po-pending/channels.tsv) once the lead has merged
    it into the catalogue, its English msgid until then."""
    return re.compile(f"({re.escape(chinese)}|{re.escape(english)})")


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def tall_enough(locator, least: float):
    box = locator.bounding_box()
    assert box["height"] >= least, f"a level's button is {box['height']}px tall"
    assert box["width"] >= PHONE["width"] * 0.7, f"a level's button is {box['width']}px wide"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rating_a_filing_by_its_qr_link_on_a_phone(live_server, page, shot, axe):
    filing = closed_filing()
    page.goto(rating_url(filing.pk, live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text(words("评价", "Rate our service"))
    expect(page.get_by_test_id("rate-filing-number")).to_have_text(filing.number)
    for kind in (ActKind.WINDOW_VISIT, ActKind.HANDOVER, ActKind.FILING):
        expect(page.get_by_test_id(f"act-{kind}")).to_be_visible()
    visit = page.get_by_test_id("act-window_visit")
    for level in Level.values:
        tall_enough(visit.get_by_test_id(f"level-{level}"), 56)
    # The reasons wait for a bad level.
    expect(visit.get_by_test_id("reason")).to_be_hidden()
    fits(page)
    axe(page, "rating link")
    shot(page, "rating-link")

    visit.get_by_test_id(f"level-{Level.DISSATISFIED}").click()
    expect(visit.get_by_test_id("reason")).to_be_visible()
    shot(page, "dissatisfied-chosen")
    visit.get_by_test_id("rate-submit").click()

    # Refused: nothing saved, the reason field named, the choice kept.
    expect(page.get_by_test_id("rate-not-saved")).to_be_visible()
    visit = page.get_by_test_id("act-window_visit")
    expect(visit.get_by_test_id("reason-error")).to_be_visible()
    expect(visit.get_by_test_id("reason")).to_have_attribute("aria-invalid", "true")
    expect(visit.locator(f"#window_visit-level-{Level.DISSATISFIED}")).to_be_checked()
    assert not Rating.objects.exists()
    fits(page)
    axe(page, "refused without a reason")
    shot(page, "refused-without-reason")

    visit.get_by_test_id("reason").select_option(Reason.WAITING)
    visit.get_by_test_id("comment").fill("取号后等了一个多小时")
    visit.get_by_test_id("rate-submit").click()
    thanks = page.get_by_test_id("act-window_visit").get_by_test_id("rate-thanks")
    expect(thanks).to_be_visible()
    expect(thanks).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2}"))  # until when it can be changed
    [given] = Rating.objects.filter(filing=filing)
    assert (given.act, given.level, given.reason, given.channel) == (
        ActKind.WINDOW_VISIT,
        Level.DISSATISFIED,
        Reason.WAITING,
        Channel.QR,
    )
    assert RectificationTicket.objects.filter(rating=given).exists()
    fits(page)
    axe(page, "thanks")
    shot(page, "thanks")

    # Changed within the period: the same row.
    visit = page.get_by_test_id("act-window_visit")
    visit.get_by_test_id("rate-change").click()
    visit.get_by_test_id(f"level-{Level.FAIRLY_SATISFIED}").click()
    expect(visit.get_by_test_id("reason")).to_be_hidden()
    shot(page, "changing")
    visit.get_by_test_id("rate-submit").click()
    expect(page.get_by_test_id("act-window_visit").get_by_test_id("rate-thanks")).to_be_visible()
    [changed] = Rating.objects.filter(filing=filing)
    assert (changed.pk, changed.level, changed.reason) == (given.pk, Level.FAIRLY_SATISFIED, "")
    fits(page)
    shot(page, "changed")

    # The elder-friendly mode: larger type, the levels larger still, nothing sideways.
    elder.switch_on(page)
    handover = page.get_by_test_id("act-handover")
    for level in Level.values:
        tall_enough(handover.get_by_test_id(f"level-{level}"), 64)
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.rate-level span')).fontSize)")
    assert size >= 20, f"the elder-friendly mode's levels are {size}px"
    handover.get_by_test_id(f"level-{Level.VERY_SATISFIED}").click()
    fits(page)
    axe(page, "elder mode")
    shot(page, "elder-mode")
    handover.get_by_test_id("rate-submit").click()
    expect(page.get_by_test_id("act-handover").get_by_test_id("rate-thanks")).to_be_visible()
    assert Rating.objects.get(filing=filing, act=ActKind.HANDOVER).level == Level.VERY_SATISFIED
    shot(page, "elder-thanks")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_forged_rating_link_is_a_clear_page_on_a_phone(live_server, page, shot, axe):
    response = page.goto(f"{live_server.url}/rate/not-a-link/")
    assert response.status == 404
    expect(page.get_by_test_id("rate-invalid")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("评价链接无效", "This rating link is not valid")
    )
    fits(page)
    axe(page, "forged rating link")
    shot(page, "forged-link")
