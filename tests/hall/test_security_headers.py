"""Every page carries a content security policy and a permissions policy; pages that may show personal
data are never stored by a browser or a proxy (hall terminals are shared); the API's schema and docs
need a login in production."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.cases import comprehensive_window, make_filing
from tests.factories.catalogue import default_children, make_item

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response, header="Content-Security-Policy") -> dict[str, str]:
    directives = [part.strip().split(None, 1) for part in response[header].split(";") if part.strip()]
    return {name: value for name, value in directives}


def test_a_page_carries_the_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    assert policy(response) == DIRECTIVES


def test_the_policy_only_reports_in_debug_so_that_django_s_error_pages_still_work(client, settings):
    settings.DEBUG = True
    response = client.get(reverse("accounts:login"))
    assert "Content-Security-Policy" not in response
    assert policy(response, "Content-Security-Policy-Report-Only") == DIRECTIVES


def test_drf_s_browsable_api_may_use_inline_style_but_not_inline_script(client):
    client.force_login(make_staff(Role.CLERK))
    response = client.get(reverse("api-me"), HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("text/html")
    assert policy(response) == {**DIRECTIVES, "style-src": "'self' 'unsafe-inline'"}
    # The same endpoint as JSON, and every other HTML page, keep the strict policy.
    assert "Content-Security-Policy" not in client.get(reverse("api-me"))
    assert policy(client.get(reverse("desks:home"))) == DIRECTIVES


def test_a_page_denies_powerful_browser_features(client):
    header = client.get(reverse("accounts:login"))["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_no_template_carries_inline_script_style_or_event_handlers():
    """The policy forbids them: a template that used one would silently lose its behaviour or look."""
    offending = []
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    for template in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if inline.search(line):
                offending.append(f"{template.relative_to(TEMPLATES)}:{number}")
    assert offending == []


def test_htmx_is_told_not_to_inject_its_indicator_style_or_evaluate_code(client):
    page = client.get(reverse("accounts:login")).content.decode()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert meta, "no htmx-config meta"
    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


@pytest.mark.parametrize("url_name", ["desks:intake", "desks:home", "accounts:password_change", "api-me"])
def test_pages_that_may_show_personal_data_are_not_stored(client, url_name):
    client.force_login(make_staff(Role.CLERK))
    response = client.get(reverse(url_name), follow=False)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Pragma"] == "no-cache"


@pytest.mark.parametrize("url_name", ["accounts:login", "verification:number"])
def test_pages_with_django_s_own_never_cache_also_say_no_cache_to_http_1_0(client, url_name):
    client.force_login(make_staff(Role.CLERK))
    response = client.get(reverse(url_name))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_an_intake_filing_and_the_api_list_of_filings_are_not_stored(client):
    centre = ServiceCentreFactory()
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    filing = make_filing(centre=centre, window=window, clerk=clerk)
    client.force_login(clerk)
    for url in (reverse("desks:intake_filing", args=[filing.pk]), "/api/v1/filings/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_an_error_page_is_not_stored_either(client):
    assert client.get("/no-such-page/")["Cache-Control"] == "private, no-store"


def test_a_view_s_own_cache_policy_is_kept(client):
    # Public verification sets its own (never_cache): the middleware leaves it alone.
    response = client.get(reverse("verification:number"))
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_a_public_guide_stays_cacheable_for_anonymous_visitors_only(client):
    item = make_item(name="食品经营许可证核发")
    url = reverse("guides:item", args=[item.code])
    assert "no-store" not in client.get(url).get("Cache-Control", "")
    client.force_login(make_staff(Role.CLERK))  # the top bar now names the user
    assert client.get(url)["Cache-Control"] == "private, no-store"


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/css/hall.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_schema_and_docs_need_a_login_in_production(client, settings):
    settings.PRODUCTION = True
    assert client.get(reverse("api-schema")).status_code == 403
    assert client.get(reverse("api-docs")).status_code == 403
    assert client.get(reverse("api-docs") + "?script=").status_code == 403
    client.force_login(make_staff(Role.CITIZEN))
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


def test_the_docs_page_loads_its_script_from_a_url_rather_than_inline(client):
    page = client.get(reverse("api-docs")).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# Records every policy violation the page reports, before any of the page's own scripts run.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
window.print = () => { window.__printed = true; };
"""


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_break_no_rule_of_the_content_security_policy(live_server, page):
    """The login page, the intake desk and a filing, the guides, the admin and the API docs, in Chromium:
    no violation reported, and what used inline handlers (print, submit on change) still works."""
    from playwright.sync_api import expect

    centre = ServiceCentreFactory()
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    item = make_item(
        name="食品经营许可证核发", department=DepartmentFactory(centre=centre), children=default_children()
    )
    filing = make_filing(items=[item], centre=centre, window=window, clerk=clerk)
    admin = UserFactory(is_staff=True, is_superuser=True)
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.add_init_script(RECORD_VIOLATIONS)

    def visit(path):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path

    visit("/accounts/login/")
    visit(f"/guide/items/{item.code}/")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") is True
    visit("/guide/")
    page.get_by_role("searchbox").fill("spjy")  # htmx swaps the results in place
    expect(page.get_by_test_id("result-count")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == [], page.url

    log_in(page, live_server.url, clerk)
    expect(page.get_by_role("heading", level=1)).to_have_text("综合受理台")
    page.get_by_test_id("item-search").fill("spjy")
    expect(page.get_by_role("link", name="食品经营许可证核发")).to_be_visible()
    assert page.evaluate("window.__violations") == [], page.url
    visit(f"/intake/filings/{filing.pk}/")
    status = page.locator("table.checklist tbody tr").first.get_by_role("combobox").first
    status.select_option("original")  # saved in place by htmx: no button, no reload
    page.wait_for_load_state("networkidle")
    assert page.locator("table.checklist tbody tr").first.get_by_role("combobox").first.input_value() == (
        "original"
    )
    assert page.evaluate("window.__violations") == [], page.url
    page.get_by_role("button", name="退出").click()

    log_in(page, live_server.url, admin)
    for path in (
        "/admin/",
        "/admin/catalogue/serviceitem/",
        f"/admin/catalogue/serviceitem/{item.pk}/change/",
        "/admin/worktime/calendarday/add/",
        "/admin/accounts/user/add/",
        "/admin/worktime/calendaryear/2026/view/",
        "/api/v1/me/",  # DRF's browsable API
        "/api/docs/",
    ):
        visit(path)
        if path == "/admin/":  # the calendar warning, styled from hall-admin.css rather than inline
            warning = page.get_by_test_id("calendar-warning")
            assert warning.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 247, 237)"
        if path == "/admin/worktime/calendarday/add/":  # the admin's date picker builds its calendar
            page.locator(".date-icon").first.click()
            expect(page.locator(".calendarbox").first).to_be_visible()
            assert page.evaluate("window.__violations") == [], path
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Hall portal API")
    assert [text for text in console if "Content Security Policy" in text] == []
