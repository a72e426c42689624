"""The supervisor's journey on the supervision desk (issue 19, "Done when"), in a real Chromium: a
centre supervisor opens the work dashboard, chooses a department and a month, reads its figures, opens
the red case from the cases at risk (landing on the case's page), and downloads a table's .xlsx,
which opens with openpyxl and holds the numbers the page's table shows.

The work is done through the services on its days (time travel), rolled up by the roll-up job's
rebuild and swept by the deadline sweep, as the hall does it. What the page must show is counted
here from that plan:

- 民政局 (``civil``), its item of 5 working days: in August 2026 two filings accepted and decided (not
  in September's figures); in September four accepted (three on 7 September, decided on the 9th, one
  on the 24th, still open) and one returned for completion — five decided at the window, four
  accepted, first-time pass 4/5 = 80.0 %, three cases decided, all on time: 100.0 %.
- 市场监管 (``market``), its item of 6 working days: one accepted on 24 September, still open.
- On 9 October (after the National Day holidays) the sweep finds 民政局's case due that day (红牌) and
  市场监管's due in two working days (黄牌)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.cases import services as intake
from apps.cases.codes import MaterialStatus
from apps.cases.review import services as review
from apps.cases.sweeps import sweep_warnings
from apps.supervision import rollups
from tests.e2e.staff_login import log_in
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON, comprehensive_window, window_clerk
from tests.factories.catalogue import make_item
from tests.supervision import workbooks

AUGUST_20 = dt.datetime(2026, 8, 20, 2, 0)  # 10:00 in Shanghai
SEPTEMBER_7 = dt.datetime(2026, 9, 7, 2, 0)
SEPTEMBER_9 = dt.datetime(2026, 9, 9, 7, 0)
SEPTEMBER_24 = dt.datetime(2026, 9, 24, 2, 0)
OCTOBER_9 = dt.datetime(2026, 10, 9, 1, 0)


class Hall:
    def __init__(self):
        self.centre = ServiceCentreFactory()
        self.civil = DepartmentFactory(centre=self.centre, name="示范民政局")
        self.market = DepartmentFactory(centre=self.centre, name="示范市场监管局")
        self.civil_item = make_item(department=self.civil, name="婚姻登记证明", promised_limit_days=5)
        self.market_item = make_item(department=self.market, name="食品小作坊登记", promised_limit_days=6)
        self.window = comprehensive_window(self.centre)
        self.clerk = window_clerk(self.window)
        self.approver = make_staff(Role.APPROVER, department=self.civil)
        self.supervisor = make_staff(Role.SUPERVISOR, centre=self.centre)

    def accept(self, item):
        filing = intake.open_filing(
            centre=self.centre, applicant=PERSON, item_ids=[item.pk], actor=self.clerk, window=self.window
        )
        everything = [
            intake.MaterialRecord(material_id, MaterialStatus.ORIGINAL)
            for material_id in filing.checklist.values_list("material_id", flat=True)
        ]
        intake.accept(filing_id=filing.pk, actor=self.clerk, window=self.window, materials=everything)
        return filing.cases.get()

    def return_one(self, item):
        filing = intake.open_filing(
            centre=self.centre, applicant=PERSON, item_ids=[item.pk], actor=self.clerk, window=self.window
        )
        intake.return_for_completion(
            filing_id=filing.pk,
            corrections=[{"material": filing.checklist.first().material_id, "reason": "申请表未签字"}],
            actor=self.clerk,
            window=self.window,
        )

    def decide(self, case):
        review.claim(case_id=case.pk, actor=self.approver)
        review.decide(
            case_id=case.pk,
            actor=self.approver,
            outcome="approve",
            opinion="符合条件。",
            holder=PERSON.name,
            scope="依申请核准",
        )


def plant() -> tuple[Hall, object]:
    hall = Hall()
    with time_machine.travel(AUGUST_20, tick=False):
        for case in [hall.accept(hall.civil_item) for _ in range(2)]:
            hall.decide(case)
    with time_machine.travel(SEPTEMBER_7, tick=False):
        september = [hall.accept(hall.civil_item) for _ in range(3)]
        hall.return_one(hall.civil_item)
    with time_machine.travel(SEPTEMBER_9, tick=False):
        for case in september:
            hall.decide(case)
    with time_machine.travel(SEPTEMBER_24, tick=False):
        red = hall.accept(hall.civil_item)
        hall.accept(hall.market_item)
    with time_machine.travel(OCTOBER_9, tick=False):
        sweep_warnings()
        rollups.rebuild(dt.date(2026, 8, 1), dt.date(2026, 10, 9))
    red.refresh_from_db()
    assert red.warning == "red"
    return hall, red


def _cells(table) -> list[list[str]]:
    """The table's body as the page shows it: each row's header cell and data cells, as text."""
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('th, td')].map(c => c.textContent.trim()))"
    )


def _number(text: str):
    return None if text == "—" else float(text.rstrip("%"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_filters_the_work_opens_a_red_case_and_downloads_a_table(live_server, page, shot, axe):
    hall, red = plant()
    # The desk is read on the day of the sweep (its clock ticking): the red case is due that day.
    with time_machine.travel(OCTOBER_9, tick=True):
        _journey(live_server, page, shot, axe, hall, red)


def _journey(live_server, page, shot, axe, hall, red):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, hall.supervisor)
    sections = page.locator("nav.desk-sections")
    expect(sections).to_be_visible()
    shot(page, "supervision-desk")

    # 1. The work dashboard, for 民政局 in September 2026.
    sections.locator('a[href="/supervision/work/"]').click()
    page.wait_for_url(re.compile(r"/supervision/work/"))
    filters = page.get_by_test_id("work-filters")
    filters.locator("select[name=department]").select_option(label=hall.civil.name)
    filters.locator("input[name=month]").fill("2026-09")
    filters.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"month=2026-09"))
    expect(page.get_by_test_id("work-headline").get_by_role("heading")).to_contain_text(hall.civil.name)
    expect(page.get_by_test_id("work-headline").get_by_role("heading")).to_contain_text("2026-09-01")
    decisions = page.get_by_test_id("table-work-decisions")
    expect(decisions.locator("tbody tr").first.locator("td")).to_have_text("4")  # accepted
    expect(decisions.locator("tbody tr").nth(2).locator("td")).to_have_text("1")  # returned
    items = page.get_by_test_id("table-work-items")
    expect(items.locator("tbody tr")).to_have_count(1)
    # Decided at the window, accepted, 容缺, returned, refused, pass rate, cases decided, on time.
    assert _cells(items) == [[hall.civil_item.name, "5", "4", "0", "1", "0", "80.0", "3", "100.0"]]
    # The charts are drawn (a canvas with a size) once charts.js has run.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every(c => c.querySelector('canvas, svg'))"
    )
    shot(page, "work-figures-civil-september")
    axe(page, "work figures")

    # 2. The .xlsx of the table by item: the same rows, numbers as numbers.
    shown = _cells(items)
    with page.expect_download() as download:
        page.get_by_test_id("export-work-items").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    [sheet] = workbooks.read(Path(download.value.path()).read_bytes()).tables.values()
    headings, *body = [list(row) for row in sheet]
    assert headings[0] == "事项"
    assert all(isinstance(cell, int | float) for row in body for cell in row[1:] if cell is not None)
    assert [[row[0], *(None if c is None else float(c) for c in row[1:])] for row in body] == [
        [cells[0], *(_number(c) for c in cells[1:])] for cells in shown
    ]

    # 3. The cases at risk: the red case first of the department's, one click to its page.
    page.locator('nav.desk-sections a[href="/supervision/at-risk/"]').click()
    page.wait_for_url(re.compile(r"/supervision/at-risk/"))
    red_row = page.locator('[data-testid="at-risk-row"][data-level="red"]')
    expect(red_row).to_have_count(1)
    expect(red_row).to_contain_text(red.filing.number)
    expect(page.locator('[data-testid="at-risk-row"][data-level="yellow"]')).to_contain_text(hall.market.name)
    shot(page, "cases-at-risk")
    axe(page, "cases at risk")
    red_row.get_by_test_id("at-risk-case-link").click()
    page.wait_for_url(re.compile(rf"/supervision/at-risk/cases/{red.pk}/"))
    case = page.get_by_test_id("at-risk-case")
    expect(case.get_by_test_id("case-filing-number")).to_have_text(red.filing.number)
    expect(case.get_by_test_id("case-level")).to_have_text("红牌预警")
    expect(case.get_by_test_id("due-on")).to_have_text(re.compile(r"^2026-10-09\D*\b0\b\D*$"))  # due today
    expect(case).not_to_contain_text(PERSON.id_number)  # the applicant's identity masked
    shot(page, "red-case")
    axe(page, "a case at risk")
