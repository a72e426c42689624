"""The filing wizard on a phone (issue 16, item 3), in a real Chromium emulating a 390×844 phone, in
the normal and the elder-friendly mode: from the guide's 在线申请 button, a citizen files an item for
themselves (a file uploaded with the progress bar, an executable renamed .pdf refused naming the
material, an e-certificate held used instead of a material, a double-clicked submit filed once) and a
bundle for their company; without JavaScript a file is still uploaded by a plain post. Nothing
scrolls sideways; in the elder-friendly mode one material is on each screen; axe-core finds no
serious or critical violation."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.test import Client
from playwright.sync_api import expect

from apps.audit.models import TransitionLog
from apps.cases.codes import FilingState
from apps.cases.models import Filing, MaterialUpload
from apps.catalogue.models import ServiceItem
from apps.portal.elder_mode import COOKIE
from tests.cases.online_hall import make_hall
from tests.e2e.elder import wait_until_drawn
from tests.e2e.material_screens import material, screen_of
from tests.factories.cases import COMPANY, MINIMAL_PDF, PERSON
from tests.portal.test_wizard import restaurant_bundle

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


def logged_in(context, live_server, user, *, elder=False):
    """The citizen's session (how they logged in is the accounts' tests' concern) and the mode."""
    client = Client()
    client.force_login(user)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    if elder:
        cookies.append({"name": COOKIE, "value": "1", "url": live_server.url})
    context.add_cookies(cookies)


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def check(page, shot, axe, name: str, elder: bool):
    fits(page)
    if elder:  # large type, and every button large enough for an unsteady thumb
        wait_until_drawn(page)
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20
        for button in page.locator(".wizard .button:visible, .wizard button:visible").all():
            height = button.bounding_box()["height"]
            assert height >= 56, f"{name}: {button.inner_text()!r} is {height}px high"
    shot(page, name)
    axe(page, name)


def a_file(tmp_path, name: str, content: bytes = MINIMAL_PDF) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


@contextmanager
def slow_upload(page, bytes_per_second: int = 256 * 1024):
    """The page's uploads through a slow line (Chromium's network emulation), back to normal after."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    conditions = {"offline": False, "latency": 0, "downloadThroughput": -1}
    session.send("Network.emulateNetworkConditions", {**conditions, "uploadThroughput": bytes_per_second})
    try:
        yield
    finally:
        session.send("Network.emulateNetworkConditions", {**conditions, "uploadThroughput": -1})
        session.detach()


def upload(page, name: str, path: str):
    card = material(page, name)
    card.get_by_test_id("file-input").set_input_files(path)
    card.get_by_test_id("upload").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_an_item_is_filed_on_a_phone(live_server, page, shot, axe, tmp_path, elder):
    hall = make_hall()
    ServiceItem.objects.filter(pk=hall.item.pk).update(online_supported=True)
    certificate = hall.certificate(PERSON.id_number)  # the 营业执照 held: offered instead of the paper
    logged_in(page.context, live_server, hall.citizen, elder=elder)
    sent_by_script = []
    page.on(
        "request",
        lambda r: (
            sent_by_script.append(r.url) if r.headers.get("x-requested-with") == "XMLHttpRequest" else None
        ),
    )

    page.goto(f"{live_server.url}/guide/items/{hall.item.lineage.code}/")
    page.get_by_test_id("apply-online").click()
    expect(page.locator("h1")).to_have_text(hall.item.name)
    expect(page.locator("input[name=applicant][value=self]")).to_be_checked()
    expect(page.locator(".wizard")).to_contain_text(PERSON.name)
    check(page, shot, axe, "applicant", elder)
    page.get_by_test_id("start-draft").click()

    filing = Filing.objects.get()
    expect(page).to_have_url(re.compile(rf"/portal/drafts/{filing.pk}/materials/"))
    if elder:
        expect(page.get_by_test_id("material")).to_have_count(1)
        expect(page.get_by_test_id("screen-count")).to_be_visible()
    else:
        expect(page.get_by_test_id("material")).to_have_count(4)
    check(page, shot, axe, "materials", elder)

    # A 1 MB scan over a slow line: the bar shows how far the upload is, then the file is listed.
    card = screen_of(page, hall.id_card.name, elder)
    scan = a_file(tmp_path, "身份证.pdf", MINIMAL_PDF + b"0" * 2**20)
    with slow_upload(page):
        upload(page, hall.id_card.name, scan)
        bar = card.locator("progress")
        expect(bar).to_be_visible()
        page.wait_for_function("() => document.querySelector('progress:not([hidden])').value > 5")
        shot(page, "uploading")
    card = material(page, hall.id_card.name)
    expect(card.get_by_test_id("uploaded-file")).to_contain_text("身份证.pdf")
    assert sent_by_script, "the file was not sent by the page's script"
    shot(page, "uploaded")

    card = screen_of(page, hall.licence.name, elder)
    expect(card.get_by_test_id("e-certificate-used")).to_contain_text(certificate.number)
    shot(page, "e-certificate-used")

    # An executable renamed .pdf for the lease: refused at the card, naming the material; nothing kept.
    card = screen_of(page, hall.lease.name, elder)
    upload(page, hall.lease.name, a_file(tmp_path, "租赁合同.pdf", b"MZ\x90\x00\x03 an executable"))
    error = card.locator("[data-upload-error]")
    expect(error).to_contain_text(hall.lease.name)
    expect(error).to_contain_text("租赁合同.pdf")
    assert not MaterialUpload.objects.filter(entry__material=hall.lease).exists()
    check(page, shot, axe, "refused", elder)

    if elder:
        screen_of(page, hall.photo.name, elder)
    page.get_by_test_id("to-declaration").click()
    page.get_by_test_id("agree").check()
    check(page, shot, axe, "declaration", elder)
    page.get_by_test_id("declare").click()

    expect(page.get_by_test_id("submit")).to_be_visible()
    expect(page.get_by_test_id("review-material")).to_have_count(4)
    check(page, shot, axe, "review", elder)
    page.get_by_test_id("submit").dblclick()

    expect(page).to_have_url(re.compile(rf"/portal/filings/{filing.pk}/$"))
    expect(page.locator(".messages")).to_contain_text(filing.number)
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    assert TransitionLog.objects.filter(object_id=str(filing.pk), transition="submit").count() == 1
    fits(page)
    shot(page, "submitted")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_a_bundle_is_filed_for_a_company_on_a_phone(live_server, page, shot, axe, tmp_path, elder):
    hall = make_hall()
    bundle = restaurant_bundle(hall)
    hall.authorise(hall.citizen)  # 张三 is the company's legal representative
    logged_in(page.context, live_server, hall.citizen, elder=elder)

    page.goto(f"{live_server.url}/guide/bundles/{bundle.code}/")
    page.get_by_test_id("apply-online").click()
    expect(page.locator("h1")).to_have_text("我要开饭店")
    page.locator(f"input[name=applicant][value='{COMPANY.id_number}']").check()
    check(page, shot, axe, "applicant-company", elder)
    page.get_by_test_id("start-draft").click()

    filing = Filing.objects.get()
    assert (filing.bundle, filing.applicant_id_number) == (bundle, COMPANY.id_number)
    names = list(filing.checklist.order_by("order").values_list("material__name", flat=True))
    assert len(names) == 3  # the identity card once
    check(page, shot, axe, "bundle-materials", elder)
    for n, name in enumerate(names):
        screen_of(page, name, elder)
        upload(page, name, a_file(tmp_path, f"材料{n}.pdf"))
        expect(material(page, name).get_by_test_id("uploaded-file")).to_have_count(1)
    expect(page.get_by_test_id("all-there")).to_be_visible()
    shot(page, "bundle-uploaded")

    page.get_by_test_id("to-declaration").click()
    page.get_by_test_id("agree").check()
    page.get_by_test_id("declare").click()
    expect(page.locator(".wizard")).to_contain_text(COMPANY.name)
    check(page, shot, axe, "bundle-review", elder)
    page.get_by_test_id("submit").click()

    expect(page).to_have_url(re.compile(rf"/portal/filings/{filing.pk}/$"))
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    fits(page)
    shot(page, "bundle-submitted")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_file_is_uploaded_by_a_plain_post(live_server, browser, shot, tmp_path):
    hall = make_hall()
    filing = hall.draft()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    logged_in(context, live_server, hall.citizen)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/drafts/{filing.pk}/materials/")
    upload(page, hall.id_card.name, a_file(tmp_path, "身份证.pdf"))
    expect(material(page, hall.id_card.name).get_by_test_id("uploaded-file")).to_contain_text("身份证.pdf")
    expect(page.locator(".messages")).to_contain_text(hall.id_card.name)
    fits(page)
    shot(page, "uploaded-without-javascript")
    context.close()
