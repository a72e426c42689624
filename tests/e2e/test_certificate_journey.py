"""Issue #8's whole journey in a real Chromium, each person in their own browser context: a clerk accepts
a bundle filed by a company through its agent; an approver of each department claims and approves
their case; the issuer asks to issue and the seal keeper (the seals' custodian) confirms; the issuer
hands both certificates over to the agent and the filing is closed; an anonymous visitor follows
each certificate's QR link and sees it valid. Then the same company files again, and the clerk
marks a material as replaced by the new e-certificate (免证可办): no paper, no upload."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases.codes import ApplicantKind, CaseState, FilingState, MaterialStatus
from apps.cases.models import Filing
from apps.catalogue import services as catalogue
from apps.certificates.models import Delivery, IssuedDocument, RecipientRole, SealUse, VerificationOutcome
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import COMPANY, PERSON, comprehensive_window
from tests.factories.catalogue import (
    BundleFactory,
    LicenceTypeFactory,
    MaterialFactory,
    checklist,
    default_children,
    make_item,
    requirement,
)
from tests.factories.certificates import certificate_item, issuing_rule, make_seal

AGENT_NAME, AGENT_ID = PERSON.name, PERSON.id_number  # 张三 collects for the company


def log_in(page, live_server, user, desk: str):
    """Log in through the login page and land on ``desk`` (the ``data-desk`` of the desk shell)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(f"[data-desk='{desk}']")).to_be_visible()
    return page


def in_own_context(new_context, live_server, user, desk: str):
    """A fresh browser context (own cookies) with ``user`` logged in on their desk."""
    return log_in(new_context().new_page(), live_server, user, desk)


def label(page, choice) -> str:
    """A state's label in the language the page is shown in (the UI is Chinese first)."""
    with translation.override(page.locator("html").get_attribute("lang")):
        return str(choice.label)


def open_filing_for_the_company(page, *, search: str, link: str, exact: bool = False):
    """At the intake desk: find the item or bundle, enter the company and its agent, open the filing."""
    page.get_by_test_id("item-search").fill(search)
    page.locator("#offered").get_by_role("link", name=link, exact=exact).click()
    form = page.locator("form.applicant-form")
    form.locator(f"input[name='applicant_kind'][value='{ApplicantKind.ORGANISATION}']").check()
    form.locator("input[name='applicant_name']").fill(COMPANY.name)
    form.locator("input[name='applicant_id_number']").fill(COMPANY.id_number)
    expect(page.locator("#id-check .ok")).to_be_visible()  # the credit code's check character is right
    form.locator("input[name='legal_representative']").fill(COMPANY.legal_representative)
    form.locator("input[name='agent_name']").fill(AGENT_NAME)
    form.locator("input[name='agent_id_number']").fill(AGENT_ID)
    form.locator("button[type='submit']").click()
    expect(page.locator("[data-desk='intake-filing']")).to_be_visible()
    number = page.get_by_test_id("filing-number").inner_text()
    return Filing.objects.get(number=number)


def accept(page):
    page.locator("form[action$='/decide/accept/'] button[type='submit']").click()
    expect(page.get_by_test_id("filing-state")).to_have_text(label(page, FilingState.ACCEPTED))


def approve(page, filing, *, scope: str):
    """An approver claims their department's case of the filing and approves it."""
    page.get_by_test_id("case-queue").get_by_role("link", name=filing.number).click()
    page.get_by_test_id("action-claim").click()
    expect(page.get_by_test_id("case-state")).to_have_text(label(page, CaseState.IN_REVIEW))
    action = page.get_by_test_id("action-approve")
    action.locator("summary").click()
    expect(action.locator("input[name='holder']")).to_have_value(COMPANY.name)  # the holder, prefilled
    action.locator("textarea[name='scope']").fill(scope)
    action.locator("button[type='submit']").click()
    expect(page.get_by_test_id("case-state")).to_have_text(label(page, CaseState.APPROVED))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_bundle_to_certificates_verified_then_an_e_certificate_replaces_paper(
    live_server, page, new_context, settings
):
    settings.HALL_PUBLIC_BASE_URL = live_server.url  # the QR codes point at this server
    centre = ServiceCentreFactory()
    clerk = make_staff(Role.CLERK, centre=centre, window=comprehensive_window(centre), full_name="李受理")
    food = DepartmentFactory(centre=centre, name="市场监管局")
    health = DepartmentFactory(centre=centre, name="卫健委")
    food_approver = make_staff(Role.APPROVER, department=food, full_name="刘审批")
    health_approver = make_staff(Role.APPROVER, department=health, full_name="周审批")
    issuer = make_staff(Role.ISSUER, centre=centre, full_name="吴出证")
    keeper = make_staff(Role.SEAL_KEEPER, centre=centre, full_name="陈保管")
    seals = {department.pk: make_seal(department, custodian=keeper) for department in (food, health)}
    food_licence = LicenceTypeFactory(name="食品经营许可证")
    food_item = certificate_item(
        food,
        rule=issuing_rule(food_licence, number_format="JY{region}{year}{serial:06d}"),
        name="食品经营许可",
        children=default_children([MaterialFactory(name="经营场所平面图")]),
    )
    health_item = certificate_item(
        health,
        rule=issuing_rule(
            LicenceTypeFactory(name="公共场所卫生许可证"), number_format="WS{year}{serial:05d}"
        ),
        name="公共场所卫生许可",
        children=default_children([MaterialFactory(name="卫生检测报告")]),
    )
    bundle = BundleFactory(centre=centre, name="我要开饭店", promised_limit_days=10)
    catalogue.save_bundle(
        values={}, lineage_ids=[i.lineage_id for i in (food_item, health_item)], bundle_id=bundle.pk
    )
    catalogue.publish_bundle(bundle_id=bundle.pk)
    # A later item asks for the food licence itself, which its e-certificate may replace (免证可办).
    licence_material = MaterialFactory(name="原许可证件", licence_type=food_licence)
    make_item(
        name="食品经营许可延续",
        department=food,
        children=checklist(requirement(licence_material, e_certificate_accepted=True)),
    )

    # The clerk files the bundle for the company, its agent at the window; every material received.
    log_in(page, live_server, clerk, "intake")
    filing = open_filing_for_the_company(page, search="wykfd", link="我要开饭店")  # by pinyin initials
    assert (filing.bundle_id, filing.agent_name, filing.agent_id_number) == (bundle.pk, AGENT_NAME, AGENT_ID)
    expect(page.get_by_test_id("filing-state")).to_have_text(label(page, FilingState.DRAFT))
    statuses = page.locator("table.checklist select[name='status']")
    expect(statuses).to_have_count(2)
    page.locator("#all-received").click()  # saved in place: no reload
    for i in range(2):
        expect(statuses.nth(i)).to_have_value(MaterialStatus.ORIGINAL)
    accept(page)

    # Each department's approver, in their own browser, claims and approves their case.
    food_page = in_own_context(new_context, live_server, food_approver, "backoffice")
    approve(food_page, filing, scope="预包装食品销售；热食类食品制售")
    health_page = in_own_context(new_context, live_server, health_approver, "backoffice")
    approve(health_page, filing, scope="餐饮服务场所")
    filing.refresh_from_db()
    assert filing.state == FilingState.READY_FOR_ISSUE

    # The issuer finds the filing ready, sees what will be issued and asks the seal keeper.
    issuer_page = in_own_context(new_context, live_server, issuer, "issuing")
    expect(issuer_page.get_by_test_id("tab-ready")).to_have_attribute("aria-current", "page")
    issuer_page.get_by_test_id("desk-filings").get_by_role("link", name=filing.number).click()
    previews = issuer_page.get_by_test_id("preview-document")
    expect(previews).to_have_count(2)
    expect(previews.locator("[role='alert']")).to_have_count(0)  # a rule and a seal in use for each
    for seal in seals.values():
        expect(issuer_page.get_by_test_id("preview-seal").filter(has_text=seal.name)).to_have_count(1)
    expect(issuer_page.get_by_test_id("action-confirm_issue")).to_have_count(0)  # never their own request
    issuer_page.get_by_test_id("action-request_issue").locator("button[type='submit']").click()
    expect(issuer_page.get_by_test_id("pending-request")).to_be_visible()
    expect(issuer_page.get_by_test_id("action-request_issue")).to_have_count(0)
    expect(issuer_page.get_by_test_id("action-confirm_issue")).to_have_count(0)

    # The seal keeper, the seals' custodian, finds the request and confirms: both documents issued.
    keeper_page = in_own_context(new_context, live_server, keeper, "issuing")
    keeper_page.get_by_test_id("tab-requests").click()
    keeper_page.get_by_test_id("issue-requests").get_by_role("link", name=filing.number).click()
    keeper_page.get_by_test_id("action-confirm_issue").locator("button[type='submit']").click()
    numbers = keeper_page.get_by_test_id("document-number")
    expect(numbers).to_have_count(2)
    expect(keeper_page.get_by_test_id("filing-state")).to_have_text(label(keeper_page, FilingState.ISSUED))
    documents = list(IssuedDocument.objects.filter(filing=filing).order_by("pk"))
    assert sorted(numbers.all_inner_texts()) == sorted(d.number for d in documents)

    # The issuer hands both over to the company's agent, whose identity card they check: 办结.
    issuer_page.reload()
    expect(issuer_page.get_by_test_id("document-number")).to_have_count(2)
    # The PDF is an attachment (docs/security.md, "Uploads"): the browser downloads it.
    with issuer_page.expect_download() as download:
        issuer_page.get_by_test_id("document-pdf").first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    hand_over = issuer_page.get_by_test_id("action-hand_over")
    hand_over.locator("input[name='recipient_name']").fill(AGENT_NAME)
    hand_over.locator("input[name='recipient_id_number']").fill(AGENT_ID)
    hand_over.locator("button[type='submit']").click()
    expect(issuer_page.get_by_test_id("filing-state")).to_have_text(label(issuer_page, FilingState.CLOSED))
    expect(issuer_page.get_by_test_id("delivery")).to_contain_text(AGENT_NAME)
    expect(issuer_page.get_by_test_id("action-hand_over")).to_have_count(0)

    filing.refresh_from_db()
    assert filing.state == FilingState.CLOSED
    assert len(documents) == 2
    assert {d.department_id for d in documents} == {food.pk, health.pk}
    assert all(d.issued_by == issuer and d.confirmed_by == keeper for d in documents)
    uses = SealUse.objects.filter(document__filing=filing)
    assert sorted((u.seal_id, u.issuer_id, u.confirmer_id) for u in uses) == sorted(
        (seals[d.department_id].pk, issuer.pk, keeper.pk) for d in documents
    )
    delivery = Delivery.objects.get(filing=filing)
    assert (delivery.recipient_name, delivery.recipient_id_number, delivery.recipient_role) == (
        AGENT_NAME,
        AGENT_ID,
        RecipientRole.AGENT,
    )

    # Anyone scanning a certificate's QR code, with no login, sees it valid.
    public = new_context().new_page()
    for document in documents:
        url = document.content["verify_url"]
        assert url.startswith(f"{live_server.url}/verify/")
        public.goto(url)
        expect(public.get_by_test_id("verdict")).to_have_attribute("data-outcome", "valid")
        expect(public.get_by_test_id("number")).to_have_text(document.number)
        expect(public.get_by_test_id("holder")).to_have_text(COMPANY.name)  # an organisation: not masked
        expect(public.get_by_test_id("status")).to_have_text(label(public, VerificationOutcome.VALID))

    # The same company files again: the food licence it now holds replaces the paper (免证可办).
    [food_certificate] = [d for d in documents if d.licence_type_id == food_licence.pk]
    page.goto(live_server.url + reverse("desks:intake"))
    renewal = open_filing_for_the_company(
        page, search="食品经营许可延续", link="食品经营许可延续", exact=True
    )
    assert renewal.applicant_id_number == filing.applicant_id_number
    held = page.get_by_test_id("held-certificates-panel")
    for document in documents:  # the desk looked the company up in the e-certificate library
        expect(held).to_contain_text(document.number)
    row = page.locator(f"table.checklist tr[data-material='{licence_material.code}']")
    expect(row).to_contain_text(food_licence.name)  # "replaceable by" that type
    expect(row.locator("input[type='file']")).to_have_count(1)  # an upload is offered, and not used
    # The row offers the company's certificate of that type: picked, not typed.
    expect(row.get_by_test_id("held-certificates")).to_have_value(food_certificate.number)
    row.locator("select[name='status']").select_option(MaterialStatus.E_CERTIFICATE)  # saved in place
    page.wait_for_load_state("networkidle")
    expect(page.locator("ul.messages li.error")).to_have_count(0)
    expect(row.locator("select[name='status']")).to_have_value(MaterialStatus.E_CERTIFICATE)
    expect(row.get_by_test_id("held-certificates")).to_have_value(food_certificate.number)
    accept(page)
    expect(row).to_contain_text(label(page, MaterialStatus.E_CERTIFICATE))

    renewal.refresh_from_db()
    assert renewal.state == FilingState.ACCEPTED
    [entry] = renewal.checklist.all()
    assert (entry.material_id, entry.status, entry.certificate_reference) == (
        licence_material.pk,
        MaterialStatus.E_CERTIFICATE,
        food_certificate.number,
    )
    assert not entry.uploads.exists()  # nothing on paper, nothing uploaded
