"""The audit viewer (日志查询) in a real Chromium: a supervisor opens it from the supervision desk's
sections, finds a filing's log by its number, reads who claimed its case, turns to the disclosure log,
and downloads the search as a spreadsheet that holds the page's rows."""

import io
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.cases.codes import CASE_STEPS, DISCLOSURES
from tests.audit.planted import plant
from tests.e2e.staff_login import log_in
from tests.factories import make_staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_searches_a_filings_log_and_downloads_it(live_server, page, shot, axe):
    planted = plant()
    number = planted.case.filing.number
    with translation.override("zh-hans"):
        claimed = str(CASE_STEPS["claim"])
        identity_number = str(DISCLOSURES["applicant_id_number"])
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=planted.centre))
    page.locator('nav.desk-sections a[href="/supervision/audit-log/"]').click()
    filters = page.get_by_test_id("audit-log-filters")
    expect(filters).to_be_visible()
    shot(page, "audit-log-opened")

    # A field's hint sits under its input, not between label and input.
    person_box = filters.get_by_test_id("audit-field-person")
    hint = person_box.locator(".help").bounding_box()
    assert hint["y"] >= person_box.locator("input").bounding_box()["y"] + 10
    expect(filters.locator("select[name=action]")).to_contain_text(claimed)  # actions by label

    filters.locator("input[name=filing]").fill(number[-12:])  # the date and serial clerks quote
    filters.locator("button[type=submit]").click()
    page.wait_for_url(f"**filing={number[-12:]}**")
    rows = page.get_by_test_id("audit-log-row")
    expected = TransitionLog.objects.filter(filing_number=number).count()
    expect(rows).to_have_count(expected)
    claim = rows.filter(has_text=claimed)
    expect(claim).to_have_count(1)
    expect(claim).to_contain_text("张审批")
    expect(page.get_by_test_id("audit-log-table")).not_to_contain_text("(")  # no username in brackets
    expect(page.get_by_test_id("audit-log-table")).not_to_contain_text(planted.other_case.filing.number)
    shot(page, "a-filings-log")
    axe(page, "audit log")

    with page.expect_download() as download:
        page.get_by_test_id("audit-log-xlsx").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    lines = list(sheet.iter_rows(values_only=True))[1:]
    assert len(lines) == expected and {line[6] for line in lines} == {number}

    filters = page.get_by_test_id("audit-log-filters")
    filters.locator("select[name=log]").select_option("disclosures")
    filters.locator("button[type=submit]").click()
    page.wait_for_url("**log=disclosures**")
    shown = page.get_by_test_id("audit-log-row")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text(identity_number)  # what was shown, by its label
    shot(page, "disclosures")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_audit_log_on_a_tablet(live_server, page, shot, axe):
    planted = plant()
    page.set_viewport_size({"width": 768, "height": 1024})
    log_in(page, live_server, make_staff(Role.SUPERVISOR, centre=planted.centre))
    page.goto(f"{live_server.url}/supervision/audit-log/?person=审批")
    expect(page.get_by_test_id("audit-log-row").first).to_be_visible()
    shot(page, "audit-log-tablet")
    axe(page, "audit log on a tablet")
