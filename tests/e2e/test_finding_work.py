"""Finding work at every desk (issue 15, item 4), in Chromium: a clerk, an approver, an issuer, a seal
keeper and a supervisor each find a filing by its number, its applicant's name, the identity number
typed in full and its item; the lists show the number masked (the supervisor's none of it), another
applicant's filing is never among the results, and the seal keeper is told of the request awaiting
them and lands on it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind
from apps.cases.sweeps import run_all
from apps.certificates import services as certificates
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.accounts import PASSWORD
from tests.factories.cases import PERSON, make_case, make_filing
from tests.factories.catalogue import make_item
from tests.factories.certificates import ready_filing

MASKED = "110105********002X"
OTHER_ID = "11010519800101001" + resident_id_check_char("11010519800101001")
OTHER = ApplicantData(kind=ApplicantKind.PERSON, name="李小红", id_number=OTHER_ID, phone="13800001111")
ACCEPTED = dt.datetime(2026, 9, 24, 2, 0)  # a 1-day item accepted then is overdue on 9/29


def log_in(page, live_server, user, title):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def ways_to_find(filing) -> dict[str, str]:
    return {
        "number": filing.number,
        "name": filing.applicant_name,
        "full-id": filing.applicant_id_number.lower(),
        "item": filing.items.get().item.name,
    }


def find_each_way(page, shot, who, filing, other, results, masked=True):
    """Type each way into the desk's finder; the results (``results()``: the list's locator) hold the
    filing, masked, and never the other applicant's."""
    for way, q in ways_to_find(filing).items():
        page.get_by_test_id("finder-q").fill(q)
        page.get_by_test_id("finder-q").press("Enter")
        expect(page.get_by_test_id("finder-q")).to_have_value(q)
        listed = results()
        expect(listed.get_by_text(filing.number, exact=True)).to_be_visible()
        expect(listed.get_by_text(other.number, exact=True)).to_have_count(0)
        if masked:
            expect(listed.get_by_text(MASKED)).to_be_visible()
        expect(listed).not_to_contain_text(filing.applicant_id_number)
        shot(page, f"{who}-by-{way}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_desk_finds_a_filing_by_number_name_full_id_and_item(live_server, page, shot):
    # The clerk's window: two filings today, another applicant's for another item.
    ours = make_filing(name="食品经营许可（新办）")
    clerk = ours.created_by
    theirs = make_filing(
        items=[make_item(department=DepartmentFactory(centre=ours.centre), name="公共场所卫生许可")],
        applicant=OTHER,
        window=ours.window,
    )
    log_in(page, live_server, clerk, "综合受理台")
    expect(page.get_by_test_id("count-today")).to_have_text("2")
    shot(page, "clerk-desk")
    find_each_way(page, shot, "clerk", ours, theirs, lambda: page.get_by_test_id("list-found"))
    page.get_by_test_id("finder-q").fill(PERSON.id_number[-6:])  # part of a number finds nothing
    page.get_by_test_id("finder-q").press("Enter")
    expect(page.get_by_test_id("count-found")).to_have_text("0")
    shot(page, "clerk-part-of-a-number")

    # The approver's department: two queued cases.
    department = DepartmentFactory()
    case = make_case(department=department, name="食品经营许可（延续）")
    other_case = make_case(department=department, applicant=OTHER, name="药品零售许可")
    log_in(page, live_server, make_staff(Role.APPROVER, department=department), "审批台")
    expect(page.get_by_test_id("count-unclaimed")).to_have_text("2")
    find_each_way(
        page, shot, "approver", case.filing, other_case.filing, lambda: page.get_by_test_id("case-queue")
    )
    expect(page.get_by_test_id("count-unclaimed")).to_have_text("1")  # the counts follow the search

    # The certificate desk: two filings ready, ours asked for by the issuer.
    centre = ServiceCentreFactory()
    ready, other_ready = ready_filing(centre=centre), ready_filing(centre=centre, applicant=OTHER)
    issuer = make_staff(Role.ISSUER, centre=centre)
    certificates.request_issue(filing_id=ready.pk, actor=issuer)
    log_in(page, live_server, issuer, "出证台")
    expect(page.get_by_test_id("tab-ready")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("awaiting-confirmation")).to_have_count(0)
    find_each_way(page, shot, "issuer", ready, other_ready, lambda: page.get_by_test_id("desk-filings"))

    # The seal keeper: told of the request, and the desk opens on it.
    keeper = make_staff(Role.SEAL_KEEPER, centre=centre)
    log_in(page, live_server, keeper, "出证台")
    expect(page.get_by_test_id("awaiting-confirmation")).to_contain_text("1")
    expect(page.get_by_test_id("tab-requests")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("count-requests")).to_have_text("1")
    shot(page, "seal-keeper-lands-on-requests")
    find_each_way(
        page, shot, "seal-keeper", ready, other_ready, lambda: page.get_by_test_id("issue-requests")
    )

    # The supervisor: two overdue cases escalated; no applicant's identity on the desk at all.
    supervised = DepartmentFactory()
    with time_machine.travel(ACCEPTED, tick=False):
        late = make_case(department=supervised, promised_limit_days=1, name="建筑施工许可")
        other_late = make_case(department=supervised, applicant=OTHER, promised_limit_days=1)
    with time_machine.travel(dt.datetime(2026, 9, 29, 1, 0), tick=False):
        run_all()
    supervisor = make_staff(Role.SUPERVISOR, centre=supervised.centre, department=supervised)
    log_in(page, live_server, supervisor, "督办台")
    expect(page.get_by_test_id("count-open")).to_have_text("2")
    find_each_way(
        page,
        shot,
        "supervisor",
        late.filing,
        other_late.filing,
        lambda: page.get_by_test_id("escalations"),
        masked=False,
    )
    expect(page.get_by_test_id("escalations")).not_to_contain_text(PERSON.name)
    page.get_by_test_id("finder-sort").select_option("warning")
    page.get_by_test_id("finder-q").fill("")
    page.get_by_test_id("finder-q").press("Enter")
    expect(page.get_by_test_id("escalations").get_by_role("row")).to_have_count(3)
    shot(page, "supervisor-sorted-by-warning")
