"""The kiosk's receipt printer, in a headless browser.

A kiosk's browser prints silently to its receipt printer; headless Chromium has none, and a real
``window.print()`` there now and then never returns, leaving the page (and the test) hung. Each
kiosk page in a test counts its prints instead: ``page.add_init_script(COUNT_PRINTS)``, then
``prints(page)``."""

COUNT_PRINTS = "window.print = () => { window.hallPrints = (window.hallPrints || 0) + 1; };"


def prints(page) -> int:
    """How many times the page has printed, once it has printed at all (the kiosk prints a moment after
    the ticket shows)."""
    # Polled from here: the pages' content security policy forbids wait_for_function's evaluation.
    for _ in range(50):
        count = page.evaluate("window.hallPrints || 0")
        if count:
            return count
        page.wait_for_timeout(100)
    return 0
