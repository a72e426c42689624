"""The online filing wizard's materials step, as the browser tests walk it.

In the elder-friendly mode each material has a screen of its own, reached with 下一项材料 (a plain link,
``?m=N#screen``); otherwise all of them are on one page.
"""

import re

from playwright.sync_api import expect


def material(page, name: str):
    return page.locator(f'[data-testid="material"][data-material="{name}"]')


def next_screen(page):
    """On to the next material's screen, waiting for it: a count taken while the click's navigation is
    still in flight reads the old screen, and a second click then skips the wanted one."""
    target = page.get_by_test_id("next-material").get_attribute("href").split("#")[0]
    page.get_by_test_id("next-material").click()
    page.wait_for_url(re.compile(re.escape(target) + r"(#.*)?$"))
    page.wait_for_load_state()


def screen_of(page, name: str, elder: bool):
    """The material's card; in the elder-friendly mode on its own screen (next … until it)."""
    if elder:
        while not material(page, name).count():
            next_screen(page)
        expect(page.get_by_test_id("material")).to_have_count(1)
    return material(page, name)
