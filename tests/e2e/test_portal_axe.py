"""axe-core on the pages a citizen meets (issue 16 item 7): the public home page, the guides (the
catalogue, an item's guide, a bundle's guide), the login page and the citizen's own hall, on a phone,
in the normal and the elder-friendly mode (cookie ``hall_elder=1``). No serious or critical
violation may be found; the `axe` fixture (tests/e2e/conftest.py) names each one it finds.

The whole journey (tests/e2e/test_portal_journey.py) runs axe on every portal page on the way; this
file keeps the pages that need no filing, each its own test so that one page's failure does not hide
another's."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.catalogue import services as catalogue
from apps.portal.elder_mode import COOKIE as ELDER_COOKIE
from tests.e2e import conftest as e2e_conftest
from tests.e2e.elder import wait_until_drawn
from tests.factories import make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.catalogue import BundleFactory, MaterialFactory, default_children, make_item

PHONE = {"width": 390, "height": 844}
MODES = {"normal": False, "elder": True}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


def _elder(page, live_server, on: bool):
    if on:
        page.context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": live_server.url}])


def _checked(page, axe, shot, name: str, elder: bool):
    if elder:
        wait_until_drawn(page)
    shot(page, name)
    axe(page, name)


def _guides():
    """Two items and a bundle of them, published: what the guides show."""
    item = make_item(
        name="食品经营许可",
        children=default_children([MaterialFactory(name="食品安全管理制度清单")]),
    )
    other = make_item(
        name="公共场所卫生许可",
        department=item.department,
        children=default_children([MaterialFactory(name="卫生检测报告")]),
    )
    bundle = BundleFactory(centre=item.lineage.centre, name="我要开饭店", promised_limit_days=10)
    lineages = [item.lineage_id, other.lineage_id]
    catalogue.save_bundle(values={}, lineage_ids=lineages, bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    return item, bundle


PUBLIC_PAGES = {
    "home": lambda item, bundle: reverse("home"),
    "guide-catalogue": lambda item, bundle: reverse("guides:catalogue"),
    "item-guide": lambda item, bundle: reverse("guides:item", args=[item.lineage.code]),
    "bundle-guide": lambda item, bundle: reverse("guides:bundle", args=[bundle.code]),
    "login": lambda item, bundle: reverse("accounts:login"),
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_have_no_serious_violation(live_server, page, axe, shot, name, mode):
    item, bundle = _guides()
    _elder(page, live_server, MODES[mode])
    page.goto(live_server.url + PUBLIC_PAGES[name](item, bundle))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _checked(page, axe, shot, f"{name}-{mode}", MODES[mode])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", MODES)
def test_my_hall_has_no_serious_violation(live_server, page, axe, shot, mode):
    citizen = make_staff(Role.CITIZEN, full_name="张三")
    _elder(page, live_server, MODES[mode])
    page.goto(f"{live_server.url}/accounts/login/?next=/portal/")
    page.get_by_label("用户名").fill(citizen.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _checked(page, axe, shot, f"my-hall-{mode}", MODES[mode])


@pytest.mark.browser
def test_axe_fails_a_page_with_a_serious_violation_and_names_it(page, axe):
    """The check itself can fail: a button with no name (critical) and an image with no text
    (critical) are each named with their element."""
    page.set_content(
        '<html lang="zh"><head><title>t</title></head><body><main><h1>t</h1>'
        '<button id="mute"></button><img id="logo" src="data:,"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page, "broken")
    report = str(failure.value)
    assert "critical: button-name" in report and "#mute" in report
    assert "critical: image-alt" in report and "#logo" in report


@pytest.mark.browser
def test_an_axe_run_that_never_settles_fails_instead_of_hanging(page, axe, axe_source, monkeypatch):
    monkeypatch.setattr(e2e_conftest, "AXE_LIMIT_MS", 300)
    page.set_content('<html lang="zh"><head><title>t</title></head><body><main><h1>t</h1></main></body>')
    page.evaluate(axe_source)
    page.evaluate("() => { window.axe.run = () => new Promise(() => {}); }")  # never settles
    with pytest.raises(pytest.fail.Exception, match=r"did not finish within 0\.3 s on stuck"):
        axe(page, "stuck")
