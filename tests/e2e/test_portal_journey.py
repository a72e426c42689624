"""The citizens' online hall from end to end (issue 16, "Done when"), in a real Chromium emulating a
390×844 phone, in the normal and the elder-friendly mode, over the demo hall (``seed_demo``: its
catalogue's 我要开饭店 bundle, its clerk, approver, issuer and seal keeper).

林小红 registers with the SMS code read from the development gateway's record file, adds her
restaurant company (legal representative), files the 我要开饭店 bundle for it from the guide — a file
for each required material, the premises' proof replaced by the company's 不动产权证书 held in the
e-certificate library (免证) — and submits. The window returns it with a 一次性告知; she answers
online (the resubmission carries over what was not listed, she supplies the rest). The window
accepts; an approver asks for a correction (补正), which she answers online with a note and a file;
the cases are approved. She chooses free post; the desk issues and posts; she finds the four
certificates in her wallet and opens one's public verification page.

The staff's steps go through the same services their desks call (their pages have browser tests of
their own); every step of the citizen's is in the browser. On each portal page: nothing scrolls
sideways, and axe-core finds no serious or critical violation.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.models import Department, User, Window
from apps.accounts.roles import Role
from apps.cases import services
from apps.cases.codes import FilingState, MaterialStatus
from apps.cases.models import Filing
from apps.cases.review import services as review
from apps.catalogue.models import Bundle
from apps.certificates import services as certificates
from apps.certificates.models import DeliveryChoice
from apps.demo.seeding.organisation import demo_account
from apps.licences.models import ElectronicCertificate, LicenceType
from apps.notifications.services import deliver_due
from tests.e2e import elder as elder_mode
from tests.e2e.material_screens import next_screen, screen_of
from tests.factories import make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import MINIMAL_PDF

PHONE = {"width": 390, "height": 844}
MODES = [pytest.param(False, id="normal"), pytest.param(True, id="elder")]

NAME = "林小红"
MOBILE = "13700137000"
ID_NUMBER = "35010219850312004" + resident_id_check_char("35010219850312004")
COMPANY = "闽味轩餐饮有限公司"
# A valid GB 32100 code (with a valid GB 11714 organisation code inside) that belongs to no real body.
CREDIT_CODE = "91350100M000203Y9B"
DEED = "闽（2025）示范市不动产权第0020301号"
ADDRESS = "示范市鼓楼区五四路 88 号 闽味轩"


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
    cache.clear()  # code sends and verification lookups are counted per number and address
    yield
    cache.clear()


@pytest.fixture
def sms_file(settings, tmp_path):
    """The development SMS gateway `make run` uses: each text a JSON line in a file."""
    settings.HALL_SMS_GATEWAY = "apps.notifications.channels.RecordingSmsGateway"
    settings.HALL_SMS_RECORD_FILE = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


@pytest.fixture
def hall(settings, live_server):
    """The demo hall, and the company's property deed in the e-certificate library."""
    settings.HALL_PUBLIC_BASE_URL = live_server.url
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The demo's own messages, delivered as the hall's beat would have long before she registers: a
    # backlog of them (the supervision demo's, dated in the past) would otherwise go before her code.
    while deliver_due().sent:
        pass
    ElectronicCertificate.objects.create(
        identifier="1.2.156.3005.2.DEMO.12350100003001068F.20250020301.001.X",
        licence_type=LicenceType.objects.get(name="不动产权证书"),
        number=DEED,
        holder_name=COMPANY,
        holder_code=CREDIT_CODE,
        issuer="示范市不动产登记中心",
        issued_on=dt.date(2025, 3, 1),
        valid_from=dt.date(2025, 3, 1),
    )
    return Bundle.objects.get(name="我要开饭店")


# --- what every portal page is checked for --------------------------------------------------------


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


class Walk:
    """The citizen's browser, the screenshots and the checks made on every page on the way."""

    def __init__(self, page, shot, axe, live_server, elder: bool):
        self.page, self.shot, self.axe, self.url, self.elder = page, shot, axe, live_server.url, elder
        self.violations: list[str] = []

    def check(self, name: str):
        fits(self.page)
        if self.elder:
            elder_mode.wait_until_drawn(self.page)
            size = self.page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            if size < 20:
                where = f"{name} ({self.page.url})"
                self.violations.append(f"{where}: the elder-friendly mode's type is {size}px")
        self.shot(self.page, name)
        try:
            self.axe(self.page, name)
        except pytest.fail.Exception as failure:
            # The walk goes on: its end fails naming every page's violations at once.
            self.violations.append(str(failure))

    def goto(self, path: str):
        self.page.goto(self.url + path)


def latest_code(sms_file, count: int) -> str:
    """The code in the ``count``-th text to her mobile (the demo's filings text others too)."""
    lines = sms_file.read_text(encoding="utf-8").splitlines() if sms_file.exists() else []
    texts = [text for text in map(json.loads, lines) if text["phone"] == MOBILE]
    assert len(texts) == count, texts
    return re.search(r"\b(\d{6})\b", texts[-1]["text"]).group(1)


def upload(walk: Walk, name: str, tmp_path):
    scan = tmp_path / f"{name[:20]}.pdf"
    scan.write_bytes(MINIMAL_PDF)
    card = screen_of(walk.page, name, walk.elder)
    card.get_by_test_id("file-input").set_input_files(str(scan))
    card.get_by_test_id("upload").click()
    expect(card.get_by_test_id("uploaded-file")).to_have_count(1)


def declare_and_submit(walk: Walk, filing: Filing, step: str):
    onwards = walk.page.get_by_test_id("to-declaration")
    while walk.elder and not onwards.is_visible():  # one material a screen: on to the last one
        next_screen(walk.page)
    onwards.click()
    walk.page.get_by_test_id("agree").check()
    walk.check(f"{step}-declaration")
    walk.page.get_by_test_id("declare").click()
    expect(walk.page.get_by_test_id("submit")).to_be_visible()
    expect(walk.page.locator(".wizard")).to_contain_text(COMPANY)
    walk.check(f"{step}-review")
    walk.page.get_by_test_id("submit").click()
    expect(walk.page).to_have_url(re.compile(rf"/portal/filings/{filing.pk}/$"))
    filing.refresh_from_db()
    assert filing.state == FilingState.SUBMITTED
    walk.check(f"{step}-submitted")


# --- the staff's steps, through their desks' services -----------------------------------------------


def clerk_and_window():
    clerk = demo_account(Role.CLERK)
    return clerk, Window.objects.get(centre__name="示范市政务服务中心", number="A01")


def received_online(filing: Filing, but=()) -> list:
    """The window's check in pre-review: every material with a file is there electronically (an
    e-certificate stays one), except those in ``but``."""
    return [
        services.MaterialRecord(entry.material_id, MaterialStatus.ELECTRONIC)
        for entry in filing.checklist.filter(uploads__isnull=False).exclude(material__name__in=but).distinct()
    ]


def window_returns(filing: Filing) -> list[str]:
    """一次性告知: the floor plan is unreadable and the deferred hygiene report is wanted now."""
    clerk, window = clerk_and_window()
    services.start_pre_review(filing_id=filing.pk, actor=clerk, window=window)
    plan = "经营场所平面布局图及设备布局、操作流程图"
    services.record_materials(
        filing_id=filing.pk, records=received_online(filing, but=[plan]), actor=clerk, window=window
    )
    listed = {
        plan: "平面布局图比例不清，请按 1:100 重新绘制。",
        "卫生检测（评价）报告": "请一并提交卫生检测报告。",
    }
    entries = {e.material.name: e.material_id for e in filing.checklist.select_related("material")}
    services.return_for_completion(
        filing_id=filing.pk,
        corrections=[{"material": entries[name], "reason": reason} for name, reason in listed.items()],
        actor=clerk,
        window=window,
    )
    return list(listed)


def window_accepts(filing: Filing) -> None:
    clerk, window = clerk_and_window()
    services.start_pre_review(filing_id=filing.pk, actor=clerk, window=window)
    records = received_online(filing)
    services.record_materials(filing_id=filing.pk, records=records, actor=clerk, window=window)
    services.accept(filing_id=filing.pk, actor=clerk, window=window, materials=[])


def approver_of(case) -> User:
    demo = demo_account(Role.APPROVER)
    if demo.memberships.filter(department=case.department).exists():
        return demo
    return make_staff(Role.APPROVER, department=Department.objects.get(pk=case.department_id))


def approve(case, approver) -> None:
    review.decide(
        case_id=case.pk,
        actor=approver,
        outcome="approve",
        holder=COMPANY,
        scope="热食类食品制售；餐饮服务",
        opinion="材料齐全，符合要求。",
    )


def approvers_decide(filing: Filing):
    """Each department's approver claims its case; the food licence's asks for a correction, the
    others approve. Returns the food case and its approver."""
    food = None
    for case in filing.cases.select_related("item").order_by("pk"):
        approver = approver_of(case)
        review.claim(case_id=case.pk, actor=approver)
        if case.item.name == "食品经营许可":
            review.request_correction(
                case_id=case.pk,
                actor=approver,
                items=[{"material": None, "what": "请补充后厨排烟设施的照片。"}],
            )
            food = (case, approver)
        else:
            approve(case, approver)
    return food


def desk_issues_and_posts(filing: Filing) -> list:
    issuer, keeper = demo_account(Role.ISSUER), User.objects.get(username="keeper")
    request = certificates.request_issue(filing_id=filing.pk, actor=issuer)
    documents = certificates.confirm_issue(request_id=request.pk, actor=keeper)
    choice = DeliveryChoice.objects.get(filing=filing)  # what the desk's post form is filled with
    certificates.post(
        filing_id=filing.pk,
        actor=issuer,
        recipient_name=choice.recipient_name,
        phone=choice.phone,
        address=choice.address,
        carrier="中国邮政 EMS",
        tracking_number="1100123456789",
    )
    return documents


# --- the journey ----------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("elder", MODES)
def test_a_citizen_files_the_restaurant_bundle_online_to_the_certificates(
    live_server, page, shot, axe, tmp_path, sms_file, hall, elder
):
    walk = Walk(page, shot, axe, live_server, elder)

    # 1. Registration with the SMS code from the development gateway's record file.
    walk.goto("/")
    if elder:
        elder_mode.switch_on(page)  # switchable on every page, and remembered
    walk.goto("/accounts/login/")
    page.get_by_test_id("register-link").click()
    page.locator("#id_full_name").fill(NAME)
    page.locator("#id_id_number").fill(ID_NUMBER)
    page.locator("#id_phone").fill(MOBILE)
    page.get_by_test_id("send-code").click()
    expect(page.locator(".messages")).to_contain_text("137****7000")
    page.locator("#id_code").fill(latest_code(sms_file, 1))
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    walk.check("register")
    page.get_by_test_id("register").click()
    expect(page.get_by_test_id("current-user")).to_contain_text(NAME)
    walk.check("my-hall-empty")

    # 2. Her company, as its legal representative.
    page.get_by_test_id("nav-organisations").click()
    page.get_by_test_id("add-organisation").click()
    page.locator("#id_organisation_name").fill(COMPANY)
    page.locator("#id_credit_code").fill(CREDIT_CODE)
    page.locator("input[name=kind][value=legal_representative]").check()
    walk.check("add-organisation")
    page.get_by_test_id("save-organisation").click()
    expect(page.get_by_test_id("organisation")).to_contain_text(COMPANY)
    walk.check("organisations")

    # 3. The 我要开饭店 bundle from its guide, for the company.
    walk.goto(f"/guide/bundles/{hall.code}/")
    walk.check("bundle-guide")
    page.get_by_test_id("apply-online").click()
    expect(page.locator("h1")).to_have_text("我要开饭店")
    page.locator(f"input[name=applicant][value='{CREDIT_CODE}']").check()
    walk.check("applicant")
    page.get_by_test_id("start-draft").click()
    filing = Filing.objects.get(citizen__phone=MOBILE)
    assert (filing.bundle_id, filing.applicant_name, filing.legal_representative) == (hall.pk, COMPANY, NAME)
    expect(page).to_have_url(re.compile(rf"/portal/drafts/{filing.pk}/materials/"))
    walk.check("materials")

    from apps.cases.online import missing_for_submit

    to_upload = [entry.material.name for entry in missing_for_submit(filing)]
    premises = filing.checklist.get(material__code="premises")
    assert (premises.status, premises.certificate_reference) == (MaterialStatus.E_CERTIFICATE, DEED)
    for entry in filing.checklist.select_related("material").order_by("order", "pk"):
        name = entry.material.name
        if entry.material.code == "premises":
            card = screen_of(page, name, elder)
            expect(card.get_by_test_id("e-certificate-used")).to_contain_text(DEED)
            walk.check("e-certificate-used")
        elif name in to_upload:
            upload(walk, name, tmp_path)
    expect(page.get_by_test_id("all-there")).to_be_visible()
    walk.check("all-uploaded")
    declare_and_submit(walk, filing, "first")

    # 4. The window returns it with a 一次性告知; she answers it online (the resubmission).
    listed = window_returns(filing)
    walk.goto("/portal/")
    card = page.get_by_test_id("filing-card").filter(has_text=filing.number)
    expect(card).to_be_visible()
    walk.check("my-hall-returned")
    card.get_by_test_id("filing-link").click()
    completion = page.get_by_test_id("completion")
    for name in listed:
        expect(completion).to_contain_text(name)
    walk.check("returned")
    page.get_by_test_id("resubmit").click()
    second = Filing.objects.get(resubmission_of=filing)
    expect(page).to_have_url(re.compile(rf"/portal/drafts/{second.pk}/materials/"))
    walk.check("resubmission-materials")
    assert set(m.material.name for m in missing_for_submit(second)) <= set(listed)
    assert second.checklist.get(material__code="premises").status == MaterialStatus.E_CERTIFICATE
    for entry in second.checklist.select_related("material").order_by("order", "pk"):
        if entry.material.name in listed:
            upload(walk, entry.material.name, tmp_path)
    walk.check("resubmission-uploaded")
    declare_and_submit(walk, second, "resubmitted")

    # 5. Accepted; the food licence's approver asks for a correction, which she answers online.
    window_accepts(second)
    food_case, food_approver = approvers_decide(second)
    walk.goto(f"/portal/filings/{second.pk}/")
    next_step = page.get_by_test_id("next-step")
    expect(next_step).to_have_attribute("data-tone", "act")
    expect(page.get_by_test_id("timeline")).to_be_visible()
    expect(page.get_by_test_id("days-left")).to_be_visible()
    walk.check("correction-asked")
    page.get_by_test_id("next-step-go").click()
    form = page.get_by_test_id("answer-form")
    form.locator("textarea").fill("已补充后厨排烟设施照片，见附件。")
    photos = tmp_path / "排烟设施.pdf"
    photos.write_bytes(MINIMAL_PDF)
    form.locator("input[type=file]").set_input_files(str(photos))
    walk.check("correction-answer")
    form.get_by_test_id("answer-send").click()
    expect(page.get_by_test_id("answered")).to_be_visible()
    walk.check("correction-answered")
    food_case.refresh_from_db()
    approve(food_case, food_approver)
    second.refresh_from_db()
    assert second.state == FilingState.READY_FOR_ISSUE

    # 6. Free post, chosen before the desk issues.
    walk.goto(f"/portal/filings/{second.pk}/")
    page.get_by_test_id("delivery").click()
    page.get_by_test_id("method-post").check()
    page.locator("#id_recipient_name").fill(NAME)
    page.locator("#id_phone").fill(MOBILE)
    page.locator("#id_address").fill(ADDRESS)
    walk.check("delivery")
    page.get_by_test_id("delivery-save").click()
    expect(page.get_by_test_id("delivery-chosen")).to_contain_text(ADDRESS)
    walk.check("delivery-chosen")

    # 7. Issued and posted; the certificates in her wallet, one verified by its public page.
    documents = desk_issues_and_posts(second)
    assert len(documents) == 4
    page.get_by_test_id("nav-wallet").click()
    cards = page.get_by_test_id("wallet-card")
    expect(cards).to_have_count(4)
    walk.check("wallet")
    cards.filter(has_text="食品经营许可证").locator("a").click()
    expect(page.get_by_test_id("wallet-qr")).to_be_visible()
    walk.check("wallet-document")
    page.get_by_test_id("wallet-verify").click()
    expect(page.locator("body")).to_contain_text("有效")
    expect(page.locator("body")).to_contain_text(COMPANY[0])
    walk.check("verified")

    # 8. What the hall told her on the way, in the inbox (delivered as beat has the worker deliver
    # the outbox every few seconds); a message leads to the filing.
    deliver_due()
    walk.goto("/portal/")
    badge = page.get_by_test_id("nav-inbox").get_by_test_id("inbox-unread")
    expect(badge).to_be_visible()
    walk.check("my-hall-issued")
    page.get_by_test_id("nav-inbox").click()
    rows = page.get_by_test_id("inbox-row")
    expect(rows.first).to_be_visible()
    walk.check("inbox")
    rows.first.locator("a").first.click()
    expect(page.get_by_test_id("message")).to_be_visible()
    walk.check("inbox-message")
    page.get_by_test_id("message-filing").click()
    expect(page.get_by_test_id("filing-page")).to_be_visible()
    walk.check("filing-issued")
    assert not walk.violations, "\n\n".join(walk.violations)
