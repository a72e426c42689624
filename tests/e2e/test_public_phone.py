"""The public pages on a phone (issue 15, items 16–19), in a real Chromium emulating a 390×844 phone:
the home page, a guide search and an item's guide, tracking a bundle filing department by department,
verifying a valid, a revoked and an unknown certificate typed in lower case with spaces, and the
portal's 404 page for a bad tracking token. On each page nothing scrolls sideways, and the words a
person reads are there."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases.codes import CaseState
from apps.cases.notices.tracking import PUBLIC_STEPS
from apps.certificates import services as certificates
from apps.certificates.models import VerificationOutcome as O
from apps.certificates.views import HEADLINES
from apps.licences.models import RevocationMode
from tests.cases.test_public_tracking import bundle_filing
from tests.factories import make_staff
from tests.factories.catalogue import MaterialFactory, default_children, make_item
from tests.factories.certificates import issue, ready_filing

PHONE = {"width": 390, "height": 844}
# The Chinese of this issue's new strings (var/po-pending/public.tsv); see words().
STEPS_ZH = {
    CaseState.APPROVED: "准予许可",
    CaseState.AWAITING_DECISION: "已审查，待签发决定",
    CaseState.IN_REVIEW: "审查中",
    CaseState.QUEUED: "已收件，待审查",
}
HEADLINES_ZH = {O.VALID: "有效", O.REVOKED: "已撤销：无效", O.UNKNOWN: "查无此证"}


@pytest.fixture
def browser_context_args(browser_context_args):
    """A phone: its viewport, its pixel density, touch, and the meta viewport honoured."""
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    }


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # verification lookups are counted per address
    yield
    cache.clear()


def words(chinese: str, english: str) -> re.Pattern:
    """A new string of this issue: its Chinese (var/po-pending/public.tsv) once the lead has merged
    it into the catalogue, its English msgid until then."""
    return re.compile(f"^\\s*({re.escape(chinese)}|{re.escape(str(english))})\\s*$")


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def spaced_lower(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4)).lower()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_and_guides_on_a_phone(live_server, page, shot):
    make_item(
        name="食品经营许可证核发（含网络食品交易第三方平台提供者备案及小餐饮登记）",
        children=default_children(
            [MaterialFactory(name="食品安全管理制度及食品安全自查、从业人员健康管理、进货查验记录制度清单")]
        ),
    )
    make_item(name="民办学校办学许可")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("public-home")).to_be_visible()
    for tile in ("guides", "verify", "login"):
        expect(page.get_by_test_id(f"tile-{tile}")).to_be_visible()
    expect(page.get_by_test_id("tile-guides")).to_contain_text("办事指南")
    expect(page.get_by_test_id("tile-login")).to_contain_text("登录")
    expect(page.get_by_role("heading", name=words("查询办件进度", "Track a filing"))).to_be_visible()
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= 100, f"the header takes {header['height']}px of the phone"
    fits(page)
    shot(page, "home")

    page.get_by_test_id("tile-guides").click()
    page.get_by_role("searchbox").fill("spjy")
    expect(page.get_by_test_id("result-count")).to_have_text("共1个事项")
    # The result table is a card: its header row is hidden, each value carries its column's name.
    expect(page.locator("table.guide-list thead")).to_be_hidden()
    expect(page.locator("table.guide-list td[data-label]").first).to_be_visible()
    fits(page)
    shot(page, "guide-search")

    page.get_by_role(
        "link", name="食品经营许可证核发（含网络食品交易第三方平台提供者备案及小餐饮登记）"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("食品经营许可证核发")
    expect(page.get_by_text("食品安全管理制度及食品安全自查")).to_be_visible()
    expect(page.locator("table.materials thead")).to_be_hidden()
    fits(page)
    shot(page, "item-guide")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tracking_a_bundle_on_a_phone_and_a_bad_token(live_server, page, shot):
    filing = bundle_filing()
    food = filing.cases.order_by("pk").first()
    page.goto(f"{live_server.url}/")
    page.get_by_placeholder(words("通知书上的查询地址", "Tracking address from the notice")).fill(
        f"{live_server.url}/track/{filing.tracking_token}/"
    )
    page.get_by_role("button", name=words("查询", "Track")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("办件进度")
    expect(page.get_by_test_id("filing-number")).to_have_text(filing.number)
    expect(page.get_by_test_id("bundle")).to_have_text("我要开饭店")
    rows = page.get_by_test_id("department-progress")
    expect(rows).to_have_count(3)
    for n, (department, state) in enumerate(
        (("市场监管局", food.state), ("卫健委", CaseState.IN_REVIEW), ("消防救援支队", CaseState.QUEUED))
    ):
        expect(rows.nth(n)).to_contain_text(department)
        expect(rows.nth(n).get_by_test_id("department-state")).to_have_text(
            words(STEPS_ZH[state], PUBLIC_STEPS[state][0])
        )
    expect(page.get_by_text("示范餐饮有限公司")).to_be_visible()
    fits(page)
    shot(page, "tracking-bundle")

    # The bundle's own guide: its items and its one set of materials, as cards.
    page.goto(f"{live_server.url}/guide/bundles/{filing.bundle.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我要开饭店")
    expect(page.locator("table.cards thead").first).to_be_hidden()
    expect(page.get_by_role("link", name="公共场所卫生许可")).to_be_visible()
    fits(page)
    shot(page, "bundle-guide")

    response = page.goto(f"{live_server.url}/track/{filing.tracking_token}x/")
    assert response.status == 404
    expect(page.get_by_test_id("error-page")).to_be_visible()
    expect(page.locator(".error-code")).to_have_text("404")
    expect(page.get_by_role("link", name=words("首页", "Home page"))).to_be_visible()
    fits(page)
    shot(page, "tracking-404")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_verifying_valid_revoked_and_unknown_on_a_phone(live_server, page, shot):
    valid, revoked = (issue(ready_filing())[0] for _ in range(2))
    boss = make_staff(Role.DECISION_MAKER, department=revoked.department)
    certificates.revoke(
        document_id=revoked.pk, actor=boss, reason="以欺骗手段取得许可", mode=RevocationMode.REVOKE
    )

    def verify(number, code, tone, outcome, step):
        page.goto(f"{live_server.url}/verify/")
        page.get_by_label("证照编号").fill(number)
        page.get_by_label("核验码").fill(code)
        page.get_by_role("button", name="核验").click()
        box = page.get_by_test_id("verification")
        expect(box).to_have_attribute("data-tone", tone)
        expect(page.get_by_test_id("headline")).to_have_text(words(HEADLINES_ZH[outcome], HEADLINES[outcome]))
        expect(page.locator(".verdict-icon")).to_be_visible()
        fits(page)
        shot(page, step)
        return box

    box = verify(
        spaced_lower(valid.number), spaced_lower(valid.content["check_code"]), "valid", O.VALID, "valid"
    )
    expect(page.get_by_test_id("headline")).to_have_text("有效")
    expect(page.get_by_test_id("number")).to_have_text(valid.number)
    expect(box).to_contain_text("张*")
    colour_valid = box.evaluate("e => getComputedStyle(e).borderLeftColor")

    box = verify(
        spaced_lower(revoked.number),
        spaced_lower(revoked.content["check_code"]),
        "ended",
        O.REVOKED,
        "revoked",
    )
    expect(page.get_by_test_id("status")).to_have_text("已撤销")
    colour_revoked = box.evaluate("e => getComputedStyle(e).borderLeftColor")

    box = verify("jy 3501 0020 2699 9999", "abcd 1234", "unknown", O.UNKNOWN, "unknown")
    expect(page.get_by_test_id("number")).to_have_count(0)  # nothing of any certificate shown
    colour_unknown = box.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert len({colour_valid, colour_revoked, colour_unknown}) == 3
