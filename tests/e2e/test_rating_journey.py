"""好差评 from end to end (issue 17, "Done when"), in a real Chromium, each person in a browser context
of their own over one live server:

1. a supervisor pairs the evaluation pad of window A0x on the supervision desk (评价器), and the tablet
   (1024×768, touch) claims it with the one-time code;
2. the window's clerk finishes an acceptance on the intake desk; the pad shows that act within a
   few seconds (its own poll, no reload);
3. the applicant rates 不满意 on the pad: first without a reason (refused, the reason named), then with
   one — thanks, and the pad goes back to its welcome, showing nothing of the filing;
4. the department's approver finds the ticket on the approval desk, calls the applicant back (the
   number shown in full on request), records the follow-up (回访), the cause and the measures, submits;
5. a supervisor of the centre verifies and closes it on the supervision desk; the applicant is texted
   the filing's rating link;
6. sixteen days later (past the change period: this is the one re-rating a closed rectification
   allows) the applicant opens that link on a phone (390×844) and rates 满意;
7. the roll-up job runs (in-process, as Celery beat would have it run) and the figures page
   (好差评统计) shows the window and the item at 100 % satisfied, rectified, rectified on time.

Each step is read off the page; each new page is screenshotted and checked by axe-core.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone, translation
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases.codes import FilingState
from apps.cases.messages import sms_number
from apps.cases.models import Filing
from apps.cases.rating_links import read_token
from apps.feedback import rollups
from apps.feedback.models import (
    ActKind,
    Channel,
    EvaluationPad,
    Level,
    Rating,
    Reason,
    RectificationTicket,
    TicketState,
)
from apps.notifications.services import deliver_due
from tests.cases.clerk_window import COMPANY_WITH_AGENT, restaurant_hall
from tests.factories import make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import make_filing

DESK = {"width": 1280, "height": 900}
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
# The machine running the suite is shared and slow at times: waiting on the pad's poll (every 2 s)
# and on a page is given room; nothing waits by sleeping.
PAD_WAIT_MS = 30_000
COMMENT = "排队一个多小时，窗口只开了一个"


def zh(label) -> str:
    """A label as the Chinese pages show it (the English msgid until its translation is merged)."""
    with translation.override("zh-hans"):
        return translation.gettext(str(label))


def log_in(context, live_server, user, desk: str):
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(f"[data-desk='{desk}']")).to_be_visible()
    return page


def rating_link_texted(sms_file, mobile: str) -> str:
    """The rating link in the last text to ``mobile`` telling them their rating was acted on."""
    lines = sms_file.read_text(encoding="utf-8").splitlines() if sms_file.exists() else []
    texts = [text["text"] for text in map(json.loads, lines) if text["phone"] == mobile]
    closed = [text for text in texts if "/rate/" in text]
    assert closed, f"no text with a rating link to {mobile}: {texts}"
    return re.search(r"https?://[^\s，。]+/rate/[^\s，。]+", closed[-1]).group(0)


# What the figures' row of the journey's one rating reads, by column heading: 满意 1 of 1 rating
# (satisfied 100 %); it was a bad rating, rectified by a supervisor before its due date.
FIGURES = {
    Level.SATISFIED.label: "1",
    Level.DISSATISFIED.label: "0",
    "Ratings": "1",
    "Satisfaction rate": "100.0%",
    "Bad ratings": "1",
    "Rectified": "1",
    "Rectification rate": "100.0%",
    "On-time rectification rate": "100.0%",
}


def expect_figures(table, row):
    """The row's cells under the table's column headings (as the page names them) are FIGURES."""
    headings = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    for heading, value in FIGURES.items():
        assert zh(heading) in headings, f"no column {zh(heading)!r} in {headings}"
        expect(row.locator("th, td").nth(headings.index(zh(heading)))).to_have_text(value)


def material_row(page, material):
    return page.locator(f"#material-{material.pk}")


@pytest.fixture
def sms_file(settings, tmp_path):
    """The development SMS gateway `make run` uses: each text a JSON line in a file."""
    settings.HALL_SMS_GATEWAY = "apps.notifications.channels.RecordingSmsGateway"
    settings.HALL_SMS_RECORD_FILE = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the rating throttle counts per address: every context here is 127.0.0.1
    yield
    cache.clear()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_bad_rating_on_the_pad_is_rectified_re_rated_and_counted(
    live_server, new_context, settings, shot, axe, sms_file
):
    settings.HALL_PUBLIC_BASE_URL = live_server.url

    def context_of(**kw):
        """A browser of its own, as the hall's users have them: Chinese (Accept-Language, the date and
        time inputs), in the hall's time zone."""
        return new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **kw)

    hall = restaurant_hall(clerk_name="李受理")
    supervisor = make_staff(Role.SUPERVISOR, centre=hall.centre, full_name="孙督办")
    approver = hall.approvers[0]  # 企业设立登记, the bundle's first item: the acts are charged to it
    draft = make_filing(
        bundle=hall.bundle, applicant=COMPANY_WITH_AGENT, window=hall.window, clerk=hall.clerk
    )

    # --- 0. The supervisor pairs the window's pad; the tablet claims it with the code. ---------------
    desk = log_in(context_of(viewport=DESK), live_server, supervisor, "supervision")
    desk.set_default_timeout(PAD_WAIT_MS)
    desk.goto(f"{live_server.url}/supervision/pads/")
    shot(desk, "supervisor-pads")
    axe(desk, "supervisor's pads")
    pair_form = desk.get_by_test_id("pad-pair-form")
    pair_form.locator("select[name=window]").select_option(str(hall.window.pk))
    pair_form.locator("input[name=name]").fill("左侧柜台")
    pair_form.get_by_role("button").click()
    code = desk.get_by_test_id("pairing-code")
    expect(code).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    shot(desk, "pairing-code")
    axe(desk, "pairing code")

    tablet = context_of(viewport=TABLET, has_touch=True).new_page()
    tablet.set_default_timeout(PAD_WAIT_MS)
    tablet.goto(f"{live_server.url}/pad/pair/")
    tablet.get_by_test_id("pad-code").fill(code.inner_text())
    shot(tablet, "pad-pairing")
    axe(tablet, "pad pairing")
    tablet.get_by_test_id("pad-pair").click()
    expect(tablet).to_have_url(f"{live_server.url}/pad/")
    expect(tablet.get_by_test_id("pad-window")).to_contain_text(hall.window.number)
    expect(tablet.get_by_test_id("pad-current")).to_have_attribute("data-state", "idle")
    shot(tablet, "pad-idle")
    axe(tablet, "pad idle")
    pad = EvaluationPad.objects.get()
    assert (pad.window_id, pad.last_seen_at is not None) == (hall.window.pk, True)

    # --- 1. The clerk finishes the acceptance at the window, on the intake desk. -------------------
    clerk = log_in(context_of(viewport=DESK), live_server, hall.clerk, "intake")
    clerk.set_default_timeout(PAD_WAIT_MS)
    clerk.goto(f"{live_server.url}/intake/filings/{draft.pk}/")
    expect(clerk.get_by_test_id("filing-state")).to_have_text("草稿")
    clerk.wait_for_load_state("networkidle")  # htmx set up: each row is then saved in place
    clerk.keyboard.press("Alt+KeyO")  # all required originals received
    expect(material_row(clerk, hall.required).locator("select.material-status")).to_have_value("original")
    for material, status in ((hall.letter, "original"), (hall.copy_only, "copy"), (hall.later, "original")):
        material_row(clerk, material).locator("select.material-status").select_option(status)
        expect(material_row(clerk, material).get_by_test_id("row-result")).to_contain_text("✓")
    shot(clerk, "clerk-checklist")
    clerk.locator("#accept-button").click()
    expect(clerk.get_by_test_id("filing-state")).to_have_text("已受理")
    shot(clerk, "clerk-accepted")
    axe(clerk, "intake desk, accepted")
    filing = Filing.objects.get(pk=draft.pk)
    assert filing.state == FilingState.ACCEPTED and filing.decided_by_id == hall.clerk.pk

    # --- 2. The pad shows the act just finished at its window, by its own poll. ---------------------
    current = tablet.get_by_test_id("pad-current")
    expect(current).to_have_attribute("data-state", "act", timeout=PAD_WAIT_MS)
    expect(current).to_have_attribute("data-act", f"{filing.pk}:{ActKind.WINDOW_VISIT}")
    expect(tablet.get_by_test_id("pad-item")).to_have_text("我要开饭店")
    expect(tablet.get_by_test_id("pad-staff")).to_have_text(str(hall.clerk))
    applicant = tablet.get_by_test_id("pad-applicant")
    expect(applicant).not_to_have_text(COMPANY_WITH_AGENT.name)  # masked
    expect(applicant).to_contain_text(COMPANY_WITH_AGENT.name[0])
    expect(tablet.locator("body")).not_to_contain_text(filing.number)  # nothing more of the filing
    shot(tablet, "pad-shows-the-act")
    axe(tablet, "pad showing the act")

    # --- 3. 不满意: without a reason refused, the reason named; then with one. ---------------------
    tablet.get_by_test_id(f"level-{Level.DISSATISFIED}").click()
    reasons = tablet.locator("fieldset[data-reasons]")
    expect(reasons).to_be_visible()
    tablet.get_by_test_id("pad-submit").click()
    # The tablet's browser refuses the form: a reason is required for 不满意, and nothing was sent.
    first_reason = reasons.locator("input[name=reason]").first
    assert first_reason.evaluate("input => input.validity.valueMissing"), (
        "the pad sent a bad rating without a reason"
    )
    expect(current).to_have_attribute("data-state", "act")
    shot(tablet, "pad-no-reason-refused-by-the-tablet")
    # The server refuses it too (a pad without JavaScript, or any client posting with the pad's key),
    # naming the field: the screen comes back with the error at the reasons.
    form = tablet.locator("form.pad-form")
    refused = tablet.request.post(
        f"{live_server.url}/pad/rate/",
        form={
            "csrfmiddlewaretoken": form.locator("input[name=csrfmiddlewaretoken]").input_value(),
            "filing": str(filing.pk),
            "act": ActKind.WINDOW_VISIT,
            "level": Level.DISSATISFIED,
            "reason": "",
        },
        headers={"Referer": f"{live_server.url}/pad/"},
    )
    assert refused.status == 400, refused.status
    assert 'data-testid="pad-reason-error"' in refused.text()
    assert not Rating.objects.exists()

    tablet.get_by_test_id(f"reason-{Reason.WAITING}").click()
    tablet.locator("#pad-comment").fill(COMMENT)
    shot(tablet, "pad-dissatisfied-with-a-reason")
    tablet.get_by_test_id("pad-submit").click()
    expect(tablet.get_by_test_id("pad-thanks")).to_be_visible()
    shot(tablet, "pad-thanks")
    axe(tablet, "pad thanks")
    rating = Rating.objects.get()
    assert (rating.level, rating.reason, rating.channel, rating.window_id, rating.staff_id) == (
        Level.DISSATISFIED,
        Reason.WAITING,
        Channel.PAD,
        hall.window.pk,
        hall.clerk.pk,
    )
    # Back to the welcome on its own, and the rated act is not offered again: nothing personal left.
    expect(current).to_have_attribute("data-state", "idle", timeout=PAD_WAIT_MS)
    expect(tablet.locator("body")).not_to_contain_text(str(hall.clerk))
    shot(tablet, "pad-idle-again")
    ticket = RectificationTicket.objects.get(rating=rating)
    assert ticket.department_id == approver.memberships.get().department_id

    # --- 4. The department's approver: the follow-up call, the cause and measures, submitted. ------
    office = log_in(context_of(viewport=DESK), live_server, approver, "backoffice")
    office.set_default_timeout(PAD_WAIT_MS)
    summary = office.get_by_test_id("rectification-summary")
    expect(summary.get_by_test_id("open-tickets")).to_have_text("1")
    shot(office, "approval-desk")
    axe(office, "approval desk with the ticket's summary")
    summary.get_by_role("link").first.click()
    row = office.get_by_test_id(f"ticket-{ticket.pk}")
    expect(row).to_contain_text(filing.number)
    expect(row).to_contain_text(zh(Level.DISSATISFIED.label))
    shot(office, "department-tickets")
    axe(office, "department's tickets")
    row.get_by_role("link", name=str(ticket.pk)).click()
    expect(office.get_by_test_id("rating-level")).to_have_text(zh(Level.DISSATISFIED.label))
    expect(office.get_by_test_id("rating-comment")).to_have_text(COMMENT)
    expect(office.get_by_test_id("submit-waits")).to_be_visible()
    expect(office.get_by_test_id("applicant-phone")).not_to_contain_text(COMPANY_WITH_AGENT.agent_phone)
    shot(office, "ticket-open")
    axe(office, "ticket, open")
    office.get_by_test_id("show-phone").click()  # to call back: the number in full, logged
    expect(office.get_by_test_id("applicant-phone")).to_contain_text(COMPANY_WITH_AGENT.agent_phone)
    follow_up = office.get_by_test_id("action-follow_up")
    follow_up.locator("select[name=method]").select_option("phone")
    follow_up.locator("textarea[name=note]").fill("已电话致歉并说明改进安排，申请人表示理解")
    follow_up.get_by_role("button").click()
    expect(office.get_by_test_id("follow-up")).to_contain_text("已电话致歉")
    rectify = office.get_by_test_id("action-rectify")
    rectify.locator("textarea[name=cause]").fill("上午高峰期综合窗口开放不足")
    rectify.locator("textarea[name=measures]").fill("高峰时段增开两个弹性窗口，叫号超过30分钟即时调度")
    rectify.get_by_role("button").click()
    expect(office.get_by_test_id("measures")).to_contain_text("增开两个弹性窗口")
    shot(office, "follow-up-and-measures")
    office.get_by_test_id("action-submit").click()
    expect(office.get_by_test_id("ticket-state")).to_have_text(zh(TicketState.SUBMITTED.label))
    expect(office.get_by_test_id("action-follow_up")).to_have_count(0)
    shot(office, "ticket-submitted")
    axe(office, "ticket, submitted")

    # --- 5. The supervisor verifies and closes it, on the supervision desk. ------------------------
    desk.goto(f"{live_server.url}/supervision/")
    desk.locator(".desk-sections").get_by_role("link", name=zh("Rectification")).click()
    desk.get_by_test_id("tab-submitted").click()
    expect(desk.get_by_test_id("count-submitted")).to_have_text("1")
    shot(desk, "supervisor-tickets")
    axe(desk, "supervisor's tickets")
    desk.get_by_test_id(f"ticket-{ticket.pk}").get_by_role("link", name=str(ticket.pk)).click()
    expect(desk.get_by_test_id("measures")).to_contain_text("增开两个弹性窗口")
    expect(desk.get_by_test_id("follow-up")).to_contain_text("已电话致歉")
    shot(desk, "supervisor-ticket")
    axe(desk, "supervisor's ticket")
    close = desk.get_by_test_id("action-close")
    close.locator("input[name=note]").fill("已电话抽查申请人，高峰增开窗口属实")
    close.get_by_role("button").click()
    expect(desk.get_by_test_id("ticket-state")).to_have_text(zh(TicketState.CLOSED.label))
    expect(desk.get_by_test_id("verification")).to_contain_text("增开窗口属实")
    shot(desk, "ticket-closed")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED and ticket.closed_at.date() <= ticket.due_on
    rated_on = rating.rated_on
    # The applicant is told by SMS, with the filing's rating link (the worker delivers the outbox).
    deliver_due()
    link = rating_link_texted(sms_file, sms_number(filing))
    token = re.fullmatch(rf"{re.escape(live_server.url)}/rate/([^/]+)/\?via=sms", link)
    assert token and read_token(token.group(1)) == filing.pk, link

    # --- 6. Sixteen days on, past the change period: the one re-rating, on the phone. --------------
    later = timezone.now() + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS + 1)
    with time_machine.travel(later, tick=True):
        phone = context_of(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
        phone.set_default_timeout(PAD_WAIT_MS)
        phone.goto(link)
        visit = phone.get_by_test_id(f"act-{ActKind.WINDOW_VISIT}")
        expect(visit.get_by_test_id("rate-current")).to_contain_text(zh(Level.DISSATISFIED.label))
        expect(visit.get_by_test_id("rate-again")).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the rating page scrolls sideways: {width}px wide"
        shot(phone, "phone-rating-link")
        axe(phone, "rating link, re-rating offered")
        # The one re-rating's form is open, not folded under the rating given as a change is.
        expect(visit.get_by_test_id("rate-change")).to_contain_text("再次评价")
        visit.get_by_test_id(f"level-{Level.SATISFIED}").click()
        visit.get_by_test_id("rate-submit").click()
        visit = phone.get_by_test_id(f"act-{ActKind.WINDOW_VISIT}")
        expect(visit.get_by_test_id("rate-thanks")).to_be_visible()
        expect(visit.get_by_test_id("rate-current")).to_contain_text(zh(Level.SATISFIED.label))
        expect(visit.get_by_test_id("rate-final")).to_be_visible()  # once, and no more
        shot(phone, "phone-re-rated")
        axe(phone, "rating link, re-rated")
        rating.refresh_from_db()
        assert (rating.level, rating.rerated_at is not None, rating.rated_on, rating.channel) == (
            Level.SATISFIED,
            True,
            rated_on,
            Channel.SMS,  # through the texted link
        )

        # --- 7. The roll-up job runs; the figures page shows the window and the item. --------------
        rollups.refresh()
        figures = log_in(context_of(viewport=DESK), live_server, supervisor, "supervision")
        figures.set_default_timeout(PAD_WAIT_MS)
        figures.locator(".desk-sections").get_by_role("link", name=zh("Rating figures")).click()
        filters = figures.get_by_test_id("figures-filters")
        for dimension, key, name in (
            ("window", hall.window.pk, hall.window.number),
            ("item", rating.item_id, "企业设立登记"),
        ):
            filters.locator("select[name=dimension]").select_option(dimension)
            filters.locator("select[name=period]").select_option("day")
            filters.locator("input[name=date_from]").fill(rated_on.isoformat())
            filters.get_by_role("button").click()
            totals = figures.get_by_test_id("figures-totals")
            total = totals.get_by_test_id(f"total-{key}")
            expect(total.get_by_role("rowheader")).to_contain_text(name)
            # 满意, 1 of 1 rating: satisfied 100 %; it was a bad rating, rectified on time: 100 %, 100 %.
            expect_figures(totals, total)
            # The row's name leads to its figures by period: the day of the rating.
            total.get_by_role("rowheader").get_by_role("link").click()
            expect(figures).to_have_url(re.compile(rf"[?&]key={key}(&|$)"))
            trend = figures.get_by_test_id("figures-periods")
            expect_figures(trend, trend.get_by_test_id(f"period-{rated_on.isoformat()}"))
            shot(figures, f"figures-by-{dimension}")
            axe(figures, f"figures by {dimension}")
        overall = figures.get_by_test_id("figures-overall")
        expect_figures(overall, overall.locator("tbody tr"))
