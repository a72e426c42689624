"""The elder-friendly mode (适老化) in the browser: wait until a page is drawn in it before measuring.

The body's ``elder`` class arrives with the HTML, but ``elder.css`` is a stylesheet the browser fetches
after it; a test that measures type as soon as the class is there can read the normal mode's sizes. The
stylesheet sets the root's type to 20 px, so that is the sign it has been applied.
"""

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

ROOT_SIZE = "getComputedStyle(document.documentElement).fontSize"


def wait_until_drawn(page, timeout: float = 10_000):
    """The page carries the mode and its stylesheet is applied; if not, the assertion names the page."""
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    try:
        page.wait_for_function(f"() => {ROOT_SIZE} === '20px'", timeout=timeout)
    except PlaywrightTimeout:
        size = page.evaluate(ROOT_SIZE)
        raise AssertionError(f"{page.url}: the elder stylesheet is not applied (root type {size})") from None


def switch_on(page):
    """The switch in the top bar, as a person would press it (it reloads the page in the mode)."""
    page.get_by_test_id("elder-mode").click()
    wait_until_drawn(page)
