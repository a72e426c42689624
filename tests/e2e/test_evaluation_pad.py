"""The window evaluation pad (评价器) in a real Chromium: a supervisor pairs a tablet with the clerk's
window, the clerk accepts a filing at the intake desk, the tablet (a second browser context, tablet
viewport and touch) shows it within a few seconds — masked — and the applicant rates it 不满意 with a
reason; the screen thanks them and goes back to the welcome. axe on each of the pad's pages."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases import services
from apps.cases.codes import MaterialStatus
from apps.feedback import pads
from apps.feedback.models import Channel, Level, Rating, Reason, RectificationTicket
from apps.feedback.pad import COOKIE
from tests.cases.clerk_window import restaurant_hall
from tests.factories.accounts import PASSWORD, make_staff
from tests.factories.cases import PERSON, make_filing

TABLET = {"width": 1024, "height": 768}
DESK = {"width": 1280, "height": 900}


def words(chinese: str, english: str) -> re.Pattern:
    """A string of this issue: its Chinese (var/po-pending/pad.tsv) once merged into the catalogue,
    its English msgid until then."""
    return re.compile(f"{re.escape(chinese)}|{re.escape(english)}")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # ratings and pairing attempts are counted per address
    yield
    cache.clear()


def _log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pad_shows_the_act_just_finished_and_the_applicant_rates_it(
    live_server, browser, shot, axe, settings
):
    settings.HALL_PUBLIC_BASE_URL = live_server.url
    hall = restaurant_hall()
    supervisor = make_staff(Role.SUPERVISOR, centre=hall.centre)
    filing = make_filing(bundle=hall.bundle, applicant=PERSON, window=hall.window, clerk=hall.clerk)
    services.record_materials(
        filing_id=filing.pk,
        records=[
            services.MaterialRecord(hall.required.pk, MaterialStatus.ORIGINAL),
            services.MaterialRecord(hall.copy_only.pk, MaterialStatus.COPY),
            services.MaterialRecord(hall.later.pk, MaterialStatus.ORIGINAL),
        ],
        actor=hall.clerk,
        window=hall.window,
    )

    desk_context = browser.new_context(viewport=DESK)
    tablet_context = browser.new_context(viewport=TABLET, has_touch=True)
    desk, tablet = desk_context.new_page(), tablet_context.new_page()
    try:
        # The supervisor pairs a pad for the clerk's window and is shown its one-time code.
        _log_in(desk, live_server, supervisor)
        desk.goto(f"{live_server.url}/supervision/pads/")
        desk.get_by_test_id("pad-pair-form").locator("select").select_option(str(hall.window.pk))
        desk.get_by_test_id("pad-pair-form").locator("button[type=submit]").click()
        code = desk.get_by_test_id("pairing-code").inner_text().replace(" ", "")
        assert re.fullmatch(r"\d{8}", code)
        shot(desk, "supervisor-pairing-code")

        # The tablet types it and shows the window's welcome.
        tablet.goto(f"{live_server.url}/pad/")
        expect(tablet).to_have_url(re.compile(r"/pad/pair/$"))
        axe(tablet, "pad pairing")
        shot(tablet, "tablet-pairing")
        tablet.get_by_test_id("pad-code").fill(code)
        tablet.get_by_test_id("pad-pair").click()
        expect(tablet.get_by_test_id("pad-current")).to_have_attribute("data-state", "idle")
        expect(tablet.get_by_test_id("pad-window")).to_contain_text(hall.window.number)
        axe(tablet, "pad idle")
        shot(tablet, "tablet-idle")

        # The clerk accepts the filing at the intake desk.
        desk_context.clear_cookies()
        _log_in(desk, live_server, hall.clerk)
        desk.goto(f"{live_server.url}/intake/filings/{filing.pk}/")
        desk.locator("#accept-button").click()
        expect(desk.get_by_test_id("filing-state")).to_have_text("已受理")
        shot(desk, "clerk-accepted")

        # Within a few seconds the pad shows it: what was done and by whom, the applicant masked.
        current = tablet.get_by_test_id("pad-current")
        expect(current).to_have_attribute("data-state", "act", timeout=8000)
        expect(tablet.get_by_test_id("pad-item")).to_have_text("我要开饭店")
        expect(tablet.get_by_test_id("pad-applicant")).to_have_text("张*")
        expect(tablet.get_by_test_id("pad-staff")).to_have_text("李受理")
        expect(current).not_to_contain_text("张三")
        expect(current).not_to_contain_text(filing.number)
        expect(tablet.get_by_test_id("level-4")).to_contain_text(words("不满意", "Dissatisfied"))
        expect(tablet.get_by_test_id("reason-waiting")).to_be_hidden()  # only for the two lowest
        axe(tablet, "pad showing an act")
        shot(tablet, "tablet-act")

        # The applicant rates 不满意 with a reason.
        tablet.get_by_test_id("level-4").tap()
        expect(tablet.get_by_test_id("reason-waiting")).to_be_visible()
        shot(tablet, "tablet-dissatisfied-reasons")
        tablet.get_by_test_id("reason-waiting").tap()
        tablet.locator("#pad-comment").fill("排队等了很久")
        # The whole form fits the tablet held sideways: the applicant sends without scrolling.
        assert tablet.evaluate("window.scrollY") == 0
        submit = tablet.get_by_test_id("pad-submit").bounding_box()
        assert submit["y"] + submit["height"] <= TABLET["height"], submit
        tablet.get_by_test_id("pad-submit").tap()
        expect(tablet.get_by_test_id("pad-thanks")).to_be_visible()
        axe(tablet, "pad thanks")
        shot(tablet, "tablet-thanks")
        # … and the screen goes back to the welcome by itself.
        expect(tablet.get_by_test_id("pad-current")).to_have_attribute("data-state", "idle", timeout=10000)
        expect(tablet.get_by_test_id("pad-current")).not_to_contain_text("张*")
        shot(tablet, "tablet-idle-again")
    finally:
        desk_context.close()
        tablet_context.close()

    rating = Rating.objects.get(filing=filing)
    assert (rating.level, rating.reason, rating.channel, rating.comment) == (
        Level.DISSATISFIED,
        Reason.WAITING,
        Channel.PAD,
        "排队等了很久",
    )
    assert (rating.window_id, rating.staff_id) == (hall.window.pk, hall.clerk.pk)
    assert RectificationTicket.objects.filter(rating=rating).exists()  # a bad rating is followed up


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_pad_left_alone_drops_the_act_when_its_time_is_up(live_server, browser, shot, settings):
    """HALL_PAD_SHOW_SECONDS shortened to a few seconds: nobody touches the screen, the act goes and
    nothing personal stays on it."""
    settings.HALL_PAD_SHOW_SECONDS = 6
    hall = restaurant_hall()
    supervisor = make_staff(Role.SUPERVISOR, centre=hall.centre)
    _pad, code = pads.pair_pad(window_id=hall.window.pk, name="", actor=supervisor)
    key = pads.claim_pad(code=code)[1]
    context = browser.new_context(viewport={"width": 800, "height": 1280}, has_touch=True)  # upright
    context.add_cookies([{"name": COOKIE, "value": key, "url": live_server.url}])
    tablet = context.new_page()
    try:
        tablet.goto(f"{live_server.url}/pad/")
        current = tablet.get_by_test_id("pad-current")
        expect(current).to_have_attribute("data-state", "idle")
        filing = make_filing(bundle=hall.bundle, applicant=PERSON, window=hall.window, clerk=hall.clerk)
        services.accept(
            filing_id=filing.pk,
            actor=hall.clerk,
            window=hall.window,
            materials=[
                services.MaterialRecord(hall.required.pk, MaterialStatus.ORIGINAL),
                services.MaterialRecord(hall.copy_only.pk, MaterialStatus.COPY),
                services.MaterialRecord(hall.later.pk, MaterialStatus.ORIGINAL),
            ],
        )
        expect(current).to_have_attribute("data-state", "act", timeout=5000)
        expect(tablet.get_by_test_id("pad-applicant")).to_have_text("张*")
        shot(tablet, "upright-act")
        expect(tablet.get_by_test_id("pad-current")).to_have_attribute("data-state", "idle", timeout=8000)
        for personal in ("张*", "我要开饭店", "李受理", filing.number):
            expect(tablet.locator("body")).not_to_contain_text(personal)
        shot(tablet, "upright-idle-after-the-set-seconds")
    finally:
        context.close()
    assert not Rating.objects.exists()
