"""The printed documents as staff get them in a real Chromium (issue 15): an issuer previews, from the
issuing desk, the certificate of a company with a 60-character name and a 200-character scope, and
every word of it is printed with no text over another; a clerk accepts a bundle filed by a company's
agent, and the acceptance notice names the agent. Assertions are on the text of the downloaded PDFs."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases.codes import ApplicantKind, FilingState
from apps.cases.models import Filing, Outcome
from apps.catalogue import services as catalogue
from apps.certificates.models import Layout
from tests.capabilities import require
from tests.certificates.test_certificate_layout import LONG_NAME, LONG_SCOPE, overlaps, printed, words
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import COMPANY, PERSON, accept_filing, comprehensive_window, make_filing
from tests.factories.catalogue import (
    BundleFactory,
    LicenceTypeFactory,
    MaterialFactory,
    default_children,
    make_item,
)
from tests.factories.certificates import certificate_item, decide_all, issuing_rule, make_seal


def log_in(page, live_server, user, desk: str):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(f"[data-desk='{desk}']")).to_be_visible()


def downloaded(page, link) -> Path:
    """The PDF a link opens (documents are attachments: the browser downloads them)."""
    with page.expect_download() as download:
        link.click()
    path = Path(download.value.path())
    assert path.read_bytes().startswith(b"%PDF")
    return path


def show_first_page(page, pdf: Path) -> None:
    """The PDF's first page as a picture in the browser, for the step's screenshot (headless Chromium
    shows no PDF itself); pdftoppm comes with pdftotext (poppler-utils)."""
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf)], capture_output=True, check=True
    ).stdout
    page.set_content(f"<img alt='PDF' src='data:image/png;base64,{base64.b64encode(png).decode()}'>")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_issuer_previews_the_licence_of_a_company_with_the_longest_name_and_scope(
    live_server, page, settings, shot, tmp_path
):
    require("pdftotext")
    settings.HALL_PUBLIC_BASE_URL = live_server.url
    centre = ServiceCentreFactory()
    department = DepartmentFactory(centre=centre, name="示范市市场监督管理局")
    make_seal(department)
    rule = issuing_rule(
        LicenceTypeFactory(name="营业执照"),
        layout=Layout.LANDSCAPE,
        holder_label="名称",
        scope_label="经营范围",
    )
    item = certificate_item(department, rule=rule, name="企业设立登记")
    company = dataclasses.replace(COMPANY, name=LONG_NAME)
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):
        filing = accept_filing(make_filing(items=[item], applicant=company, centre=centre))
        decide_all(filing, outcome=Outcome.APPROVE, holder=LONG_NAME, scope=LONG_SCOPE)
    filing.refresh_from_db()
    assert filing.state == FilingState.READY_FOR_ISSUE
    issuer = make_staff(Role.ISSUER, centre=centre, full_name="吴出证")

    log_in(page, live_server, issuer, "issuing")
    shot(page, "issuing-desk")
    page.get_by_test_id("desk-filings").get_by_role("link", name=filing.number).click()
    preview = page.get_by_test_id("preview-document")
    expect(preview).to_have_count(1)
    expect(preview).to_contain_text("营业执照")
    shot(page, "what-will-be-issued")
    pdf = downloaded(page, preview.get_by_test_id("preview-pdf"))

    # The preview's watermark (预览件 未盖章 无效, 56 pt, at an angle) lies across the page by design:
    # its glyphs are the only boxes that tall. Everything else is printed, and nothing overlaps.
    boxes = [box for box in words(pdf.read_bytes(), tmp_path) if box[3] - box[1] < 40]
    text = printed(boxes)
    for expected in (
        LONG_NAME,
        LONG_SCOPE,
        "统一社会信用代码",
        COMPANY.id_number,
        "发证机关：示范市市场监督管理局",
    ):
        assert expected in text, expected
    assert overlaps(boxes) == []
    show_first_page(page, pdf)
    shot(page, "certificate-preview-pdf")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_acceptance_notice_of_a_bundle_filed_by_an_agent_names_the_agent(
    live_server, page, settings, shot
):
    require("pdftotext")
    settings.HALL_PUBLIC_BASE_URL = live_server.url
    centre = ServiceCentreFactory()
    clerk = make_staff(Role.CLERK, centre=centre, window=comprehensive_window(centre), full_name="李受理")
    shared = MaterialFactory(name="法定代表人身份证明")
    items = [
        make_item(
            name=name,
            department=DepartmentFactory(centre=centre),
            children=default_children([shared, MaterialFactory(name=f"{name}申请书")]),
        )
        for name in ("食品经营许可", "公共场所卫生许可")
    ]
    bundle = BundleFactory(centre=centre, name="我要开饭店", promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)

    log_in(page, live_server, clerk, "intake")
    page.locator("input[type='search'][hx-target='#offered']").fill("wykfd")  # by pinyin initials
    page.locator("#offered").get_by_role("link", name="我要开饭店").click()
    form = page.locator("form.applicant-form")
    form.locator(f"input[name='applicant_kind'][value='{ApplicantKind.ORGANISATION}']").check()
    form.locator("input[name='applicant_name']").fill(COMPANY.name)
    form.locator("input[name='applicant_id_number']").fill(COMPANY.id_number)
    expect(page.locator("#id-check .ok")).to_be_visible()
    form.locator("input[name='legal_representative']").fill(COMPANY.legal_representative)
    form.locator("input[name='agent_name']").fill(PERSON.name)
    form.locator("input[name='agent_id_number']").fill(PERSON.id_number)
    shot(page, "company-and-agent")
    form.locator("button[type='submit']").click()
    expect(page.locator("[data-desk='intake-filing']")).to_be_visible()
    filing = Filing.objects.get(number=page.get_by_test_id("filing-number").inner_text())
    assert (filing.bundle_id, filing.agent_name) == (bundle.pk, PERSON.name)
    page.locator("#all-received").click()
    expect(page.get_by_test_id("checklist-message")).to_contain_text("法定代表人身份证明")
    page.locator("#accept-button").click()
    expect(page.get_by_test_id("filing-state")).to_have_text("已受理")
    shot(page, "accepted")

    pdf = downloaded(page, page.get_by_test_id("notice-acceptance"))
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    text = "".join(out.stdout.split())
    assert f"代理人{PERSON.name}（身份证号码：" in text
    assert PERSON.id_number not in text  # masked on the notice
    assert "食品经营许可" in text and "公共场所卫生许可" in text and "示范餐饮有限公司" in text
    show_first_page(page, pdf)
    shot(page, "acceptance-notice-pdf")
