"""A citizen finds an item by pinyin initials in a real Chromium and opens its guide."""

import pytest
from playwright.sync_api import expect

from tests.factories.catalogue import MaterialFactory, default_children, make_item


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_searching_as_you_type_and_opening_a_guide(live_server, page):
    make_item(
        name="食品经营许可证核发", children=default_children([MaterialFactory(name="食品安全管理制度")])
    )
    make_item(name="民办学校办学许可")
    page.goto(f"{live_server.url}/guide/")
    expect(page.get_by_test_id("result-count")).to_have_text("共2个事项")
    page.get_by_role("searchbox").fill("spjy")
    expect(page.get_by_test_id("result-count")).to_have_text("共1个事项")  # updated in place by htmx
    assert "q=spjy" in page.url
    page.get_by_role("link", name="食品经营许可证核发").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("食品经营许可证核发")
    expect(page.get_by_role("cell", name="食品安全管理制度")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()
