"""The delivery choice, the wallet and the inbox on a phone (issue 16, items 5 and 6), in a real
Chromium emulating a 390×844 phone, in the normal and the elder-friendly mode: a citizen chooses free
post before issue (the desk's form is filled from it); with the certificate issued, they open the
wallet, see its QR code and open its public verification page; the inbox's unread badge counts down
as a message is opened. Nothing scrolls sideways; axe-core finds no serious or critical violation."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.certificates.models import DeliveryChoice, DeliveryMethod
from apps.notifications.inbox import unread_count
from apps.notifications.models import SiteMessage
from apps.portal.elder_mode import COOKIE
from tests.certificates.test_delivery_choice import citizens_filing
from tests.e2e.elder import wait_until_drawn
from tests.factories import make_staff
from tests.factories.certificates import issue

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


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # verification lookups are counted per address
    yield
    cache.clear()


def logged_in(page, live_server, user):
    """The citizen's session in the browser (how they logged in is the accounts' tests' concern)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def badge(page):
    return page.get_by_test_id("nav-inbox").get_by_test_id("inbox-unread")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_delivery_wallet_qr_verification_and_the_inbox_badge_on_a_phone(live_server, page, shot, axe, elder):
    citizen = make_staff(Role.CITIZEN)
    filing = citizens_filing(citizen)
    logged_in(page, live_server, citizen)
    if elder:
        page.context.add_cookies([{"name": COOKIE, "value": "1", "url": live_server.url}])

    # Before issue: free post to the applicant's address.
    page.goto(f"{live_server.url}/portal/filings/{filing.pk}/delivery/")
    form = page.get_by_test_id("delivery-form")
    form.get_by_test_id("method-post").check()
    form.get_by_role("textbox", name=re.compile("邮寄地址|Postal address")).fill(
        "福建省福州市鼓楼区示范路1号"
    )
    fits(page)
    shot(page, "delivery-choice")
    axe(page, "the delivery choice")
    form.get_by_test_id("delivery-save").click()
    expect(page.get_by_test_id("delivery-chosen")).to_contain_text("福建省福州市鼓楼区示范路1号")
    fits(page)
    shot(page, "delivery-chosen")
    choice = DeliveryChoice.objects.get(filing=filing)
    assert (choice.method, choice.recipient_name) == (DeliveryMethod.POST, filing.applicant_name)

    [document] = issue(filing)
    for subject in ("您的证照已制发", "请选择领取方式"):
        SiteMessage.objects.create(
            key=uuid.uuid4(),
            user=citizen,
            subject=subject,
            body=f"办件 {filing.number}：{subject}。",
            subject_ref=f"cases.filing:{filing.pk}",
        )
    unread = unread_count(citizen)  # the two above, and whatever the issue itself told the citizen
    assert unread >= 2

    # The inbox: the badge on the nav counts the unread messages; opening one counts it down.
    page.goto(f"{live_server.url}/portal/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("消息|Messages"))
    expect(badge(page)).to_contain_text(str(unread))
    expect(page.get_by_test_id("inbox-row")).to_have_count(unread)
    expect(page.get_by_test_id("inbox-row").locator("strong")).to_have_count(unread)
    if elder:
        wait_until_drawn(page)
    fits(page)
    shot(page, "inbox")
    axe(page, "the inbox")
    page.get_by_role("link", name=re.compile("请选择领取方式")).click()
    expect(page.get_by_test_id("message")).to_contain_text(filing.number)
    expect(badge(page) if unread > 1 else page.get_by_test_id("nav-inbox")).to_contain_text(
        str(unread - 1) if unread > 1 else ""
    )
    expect(page.get_by_test_id("message-filing")).to_be_visible()
    fits(page)
    shot(page, "message-opened")
    axe(page, "a message")
    page.get_by_test_id("nav-inbox").click()
    expect(page.get_by_test_id("inbox-row").locator("strong")).to_have_count(unread - 1)
    expect(page.get_by_test_id("inbox-row").last).to_contain_text("请选择领取方式")  # read: last

    # The wallet: the certificate, its QR code, its verification page.
    page.get_by_test_id("nav-wallet").click()
    card = page.get_by_test_id("wallet-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(document.number)
    expect(card.get_by_test_id("wallet-standing")).to_have_text(re.compile("有效|Valid"))
    fits(page)
    shot(page, "wallet")
    axe(page, "the wallet")
    card.get_by_role("link").click()
    expect(page.get_by_test_id("wallet-number")).to_have_text(document.number)
    qr = page.get_by_test_id("wallet-qr")
    expect(qr).to_be_visible()
    # The image loaded (an SVG the browser drew, not a broken image) and is large enough to scan.
    # (waited for: the page may be shown before its image has arrived from a busy server)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    box = qr.bounding_box()
    assert box["width"] >= 180 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    fits(page)
    shot(page, "certificate-qr")
    axe(page, "a certificate in the wallet")
    page.get_by_test_id("wallet-verify").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-outcome", "valid")
    expect(page.get_by_test_id("number")).to_have_text(document.number)
    fits(page)
    shot(page, "verification")
