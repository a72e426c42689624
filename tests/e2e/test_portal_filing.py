"""The online hall on a phone (issue 16, items 2, 4 and 7), in a real Chromium emulating a 390×844
phone, in the normal and the elder-friendly mode: a citizen sees on their filing's page what to do
next and by when, answers a correction (补正) with a note and a file, resubmits a filing returned with
a one-time notice (一次性告知), and finds everything in "my hall". Nothing scrolls sideways; in the
elder-friendly mode the type is 20 px and up and the buttons are large; axe-core finds no serious or
critical violation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases.models import Filing
from apps.catalogue.models import ServiceItem
from apps.portal.elder_mode import COOKIE
from tests.cases.online_hall import make_hall
from tests.cases.test_public_tracking import bundle_filing
from tests.e2e.elder import switch_on, wait_until_drawn
from tests.factories import make_staff
from tests.factories.cases import MINIMAL_PDF
from tests.portal.test_filing_page import returned, submitted, with_correction

PHONE = {"width": 390, "height": 844}
MODES = [pytest.param(False, id="normal"), pytest.param(True, id="elder")]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    }


def logged_in(page, live_server, user):
    """The citizen's session in the browser (how they logged in is the accounts' tests' concern)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def switch_elder_mode(page):
    """The switch in the top bar, as a person would press it; it is remembered (a cookie)."""
    switch_on(page)
    assert any(c["name"] == COOKIE and c["value"] == "1" for c in page.context.cookies())


# The elements reaching past the screen's right edge (the innermost ones), to name in a failure.
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
                 || e.scrollWidth > e.clientWidth + 0.5 && getComputedStyle(e).overflowX === "visible")
    .slice(0, 8).map(e => e.outerHTML.slice(0, 160))"""


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (
        f"{page.url} scrolls sideways: {width}px wide: {page.evaluate(OVERFLOWING)}"
    )


def check_mode(page, elder: bool):
    """Elder mode: type 20 px and up, buttons a thumb can hit; the normal mode's type stays 16 px."""
    if elder:
        wait_until_drawn(page)
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    if elder:
        assert size >= 20, f"elder mode's type is {size}px"
        for button in page.locator(".portal-page .button:visible, .portal-page button:visible").all():
            box = button.bounding_box()
            assert box["height"] >= 56, f"{button.inner_text()!r} is {box['height']}px high"
    else:
        assert size == 16


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_a_correction_is_answered_on_a_phone(live_server, page, shot, axe, tmp_path, elder):
    hall = make_hall()
    filing, correction = with_correction(hall)
    logged_in(page, live_server, hall.citizen)
    page.goto(f"{live_server.url}/portal/filings/{filing.pk}/")
    if elder:
        switch_elder_mode(page)
    next_step = page.get_by_test_id("next-step")
    expect(next_step).to_have_attribute("data-tone", "act")
    expect(next_step).to_contain_text(f"{correction.answer_due_on:%Y-%m-%d}")
    expect(page.get_by_test_id("promised")).to_be_visible()
    fits(page)
    check_mode(page, elder)
    shot(page, "filing-with-a-correction")
    axe(page, "a filing's page with an open correction")

    page.get_by_test_id("next-step-go").click()
    form = page.get_by_test_id("answer-form")
    expect(form).to_be_in_viewport()
    form.locator("textarea").fill("已重新扫描身份证，见附件")
    scan = tmp_path / "身份证.pdf"
    scan.write_bytes(MINIMAL_PDF)
    form.locator("input[type=file]").set_input_files(str(scan))
    shot(page, "answer-filled")
    form.get_by_test_id("answer-send").click()

    expect(page.get_by_test_id("answered")).to_be_visible()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.get_by_test_id("next-step")).to_have_attribute("data-tone", "wait")
    expect(page.get_by_test_id("corrections")).to_contain_text("身份证.pdf")
    fits(page)
    check_mode(page, elder)
    shot(page, "correction-answered")
    correction.refresh_from_db()
    assert correction.answer == "已重新扫描身份证，见附件" and correction.files.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_a_returned_filing_is_resubmitted_on_a_phone(live_server, page, shot, axe, elder):
    hall = make_hall()
    filing = returned(hall)
    logged_in(page, live_server, hall.citizen)
    if elder:
        page.context.add_cookies([{"name": COOKIE, "value": "1", "url": live_server.url}])
    page.goto(f"{live_server.url}/portal/filings/{filing.pk}/")
    completion = page.get_by_test_id("completion")
    expect(completion).to_contain_text("租赁合同")
    expect(completion).to_contain_text("申请表联系电话有误")
    expect(page.get_by_test_id("notice")).to_be_visible()
    fits(page)
    check_mode(page, elder)
    shot(page, "returned")
    axe(page, "a returned filing's page")

    page.get_by_test_id("resubmit").click()
    draft = Filing.objects.get(resubmission_of=filing)
    expect(page).to_have_url(re.compile(rf"/portal/.*{draft.pk}/materials/"))
    shot(page, "resubmission-materials")
    fits(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_another_citizens_filing_is_not_found_on_a_phone(live_server, page, shot):
    hall = make_hall()
    filing = submitted(hall)
    stranger = hall.citizen_account("lisi", id_number="110105194912310029", name="李四")
    logged_in(page, live_server, stranger)
    response = page.goto(f"{live_server.url}/portal/filings/{filing.pk}/")
    assert response.status == 404
    expect(page.get_by_text(filing.number)).to_have_count(0)
    fits(page)
    shot(page, "not-found")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_my_hall_on_a_phone_leads_to_what_needs_doing(live_server, page, shot, axe, elder):
    hall = make_hall()
    waiting = submitted(hall)
    filing, correction = with_correction(hall)
    draft = hall.draft()
    logged_in(page, live_server, hall.citizen)
    if elder:
        page.context.add_cookies([{"name": COOKIE, "value": "1", "url": live_server.url}])
    page.goto(f"{live_server.url}/portal/")
    cards = page.get_by_test_id("filing-card")
    expect(cards).to_have_count(3)
    expect(page.get_by_test_id("needs-action")).to_be_visible()
    for number in (waiting.number, filing.number, draft.number):
        expect(page.locator(f"[data-number='{number}']")).to_be_visible()
    corrected = page.locator(f"[data-number='{filing.number}']")
    expect(corrected).to_have_attribute("data-tone", "act")
    expect(corrected).to_contain_text(f"{correction.answer_due_on:%Y-%m-%d}")
    expect(page.locator(f"[data-number='{waiting.number}']")).to_have_attribute("data-tone", "wait")
    expect(page.locator(".portal-nav [aria-current='page']")).to_have_count(1)
    fits(page)
    check_mode(page, elder)
    shot(page, "my-hall")
    axe(page, "my hall")

    corrected.get_by_test_id("card-action").click()
    expect(page.get_by_test_id("answer-form")).to_be_in_viewport()
    fits(page)
    shot(page, "to-the-correction")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_a_bundles_departments_and_timeline_on_a_phone(live_server, page, shot, axe, elder):
    """我要开饭店 for a company: each department's progress and every step, names of staff never."""
    filing = bundle_filing()
    citizen = make_staff(Role.CITIZEN, username="zhangsan", full_name="张三")
    Filing.objects.filter(pk=filing.pk).update(citizen=citizen)  # filed by this account
    logged_in(page, live_server, citizen)
    if elder:
        page.context.add_cookies([{"name": COOKIE, "value": "1", "url": live_server.url}])
    page.goto(f"{live_server.url}/portal/filings/{filing.pk}/")
    expect(page.get_by_test_id("filing-title")).to_have_text("我要开饭店")
    expect(page.get_by_test_id("department-progress")).to_have_count(3)
    for department in ("市场监管局", "卫健委", "消防救援支队"):
        expect(page.get_by_test_id("progress")).to_contain_text(department)
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("食品经营许可")
    expect(timeline).not_to_contain_text("李审批")
    expect(page.get_by_test_id("days-left")).to_be_visible()
    fits(page)
    check_mode(page, elder)
    shot(page, "bundle")
    axe(page, "a bundle's page")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_every_portal_page_fits_a_phone(live_server, page, shot, elder):
    """Item 7 for the whole online hall: each page of each part (my hall, a filing, the wizard, the
    inbox, the wallet, my organisations, the delivery choice) on a 390 px phone without sideways
    scrolling, in 20 px type and up in the elder-friendly mode, with the hall's nav."""
    hall = make_hall()
    ServiceItem.objects.filter(pk=hall.item.pk).update(online_supported=True)
    filing, _correction = with_correction(hall)
    draft = hall.draft()
    logged_in(page, live_server, hall.citizen)
    if elder:
        page.context.add_cookies([{"name": COOKIE, "value": "1", "url": live_server.url}])
    pages = {
        "my-hall": reverse("portal:home"),
        "filing": reverse("portal:filing", args=[filing.pk]),
        "wizard-applicant": reverse("portal:wizard_applicant") + f"?item={hall.item.pk}",
        "wizard-materials": reverse("portal:wizard_materials", args=[draft.pk]),
        "wizard-declaration": reverse("portal:wizard_declaration", args=[draft.pk]),
        "wizard-review": reverse("portal:wizard_review", args=[draft.pk]),
        "inbox": reverse("portal:inbox"),
        "wallet": reverse("portal:wallet"),
        "organisations": reverse("portal:organisations"),
        "delivery": reverse("portal:delivery", args=[filing.pk]),
    }
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{name}: {response.status}"
        assert page.locator(".portal-nav").is_visible(), f"{name}: no portal nav at {page.url}"
        shot(page, name)
        fits(page)
        check_mode(page, elder)
