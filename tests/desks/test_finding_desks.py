"""Finding work at every desk (issue 15, item 4): by filing number, applicant name, identity number
typed in full (and only in full) and item, within what the user's role already sees at their centre;
lists masked, sorted by a whitelist of keys, counted on every tab, in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind
from apps.cases.models import Case
from apps.cases.sweeps import run_all
from apps.certificates import services as certificates
from apps.worktime.warnings import WarningLevel
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import (
    PERSON,
    accept_filing,
    comprehensive_window,
    make_case,
    make_filing,
    window_clerk,
    window_hall,
)
from tests.factories.catalogue import make_item
from tests.factories.certificates import ready_filing

pytestmark = pytest.mark.django_db

MASKED = "110105********002X"
OTHER_ID = "11010519800101001" + resident_id_check_char("11010519800101001")
OTHER = ApplicantData(kind=ApplicantKind.PERSON, name="李小红", id_number=OTHER_ID, phone="13800001111")


def page_of(client, name, **params) -> str:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, name, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name), params).status_code == 200
    return len(captured)


def ways_to_find(filing) -> dict[str, str]:
    """Each way a desk finds the filing: its number, its applicant's name, the full identity number,
    and an item's name."""
    return {
        "number": filing.number,
        "number prefix": filing.number[:-2],
        "name": filing.applicant_name[1:],
        "full id": filing.applicant_id_number.lower(),  # typed as it comes: the check letter in any case
        "item": filing.items.get().item.name[2:],
    }


# --- the intake desk -------------------------------------------------------------------------------


@pytest.fixture
def intake():
    centre, item, _material, window, clerk = window_hall()
    ours = make_filing(items=[item], window=window, clerk=clerk)
    other = make_filing(
        items=[make_item(department=DepartmentFactory(centre=centre))], applicant=OTHER, window=window
    )
    return clerk, ours, other


def test_a_clerk_finds_a_filing_of_their_centre_every_way_and_sees_the_number_masked(client, intake):
    clerk, ours, other = intake
    client.force_login(clerk)
    for way, q in ways_to_find(ours).items():
        page = page_of(client, "desks:intake", q=q)
        found = page.split('data-testid="list-found"')[1].split("</section>")[0]
        assert ours.number in found, way
        assert other.number not in found, way
        assert MASKED in found and PERSON.id_number not in page, way


def test_part_of_an_identity_number_finds_nothing(client, intake):
    clerk, ours, _other = intake
    client.force_login(clerk)
    for part in (PERSON.id_number[-6:], PERSON.id_number[:10], MASKED):
        page = page_of(client, "desks:intake", q=part)
        assert 'data-testid="count-found">0<' in page, part


def test_a_full_identity_number_finds_exactly_its_filings(client, intake):
    clerk, ours, other = intake
    client.force_login(clerk)
    page = page_of(client, "desks:intake", q=OTHER_ID)
    found = page.split('data-testid="list-found"')[1].split("</section>")[0]
    assert other.number in found and ours.number not in found
    assert 'data-testid="count-found">1<' in page


def test_a_clerk_of_another_centre_never_finds_the_filing(client, intake):
    _clerk, ours, _other = intake
    stranger = window_clerk(comprehensive_window(ServiceCentreFactory()))
    client.force_login(stranger)
    for way, q in ways_to_find(ours).items():
        page = page_of(client, "desks:intake", q=q)
        assert reverse("desks:intake_filing", args=[ours.pk]) not in page, way
        assert 'data-testid="count-found">0<' in page, way


def test_a_citizen_never_finds_a_filing_at_a_desk(client, intake):
    _clerk, ours, _other = intake
    citizen = make_staff(Role.CITIZEN)
    client.force_login(citizen)
    for desk in ("intake", "backoffice", "issuing", "supervision"):
        response = client.get(reverse(f"desks:{desk}"), {"q": ours.number})
        assert response.status_code == 403, desk


def test_the_intake_lists_are_counted_and_read_in_a_constant_number_of_queries(client, intake):
    clerk, ours, _other = intake
    client.force_login(clerk)
    page = page_of(client, "desks:intake")
    assert 'data-testid="count-today">2<' in page
    assert 'data-testid="count-awaiting">0<' in page and 'data-testid="count-mine">0<' in page
    params = {"q": ours.applicant_name, "sort": "received"}
    few = queries(client, "desks:intake", **params)
    for _ in range(4):
        make_filing(items=[ours.items.get().item], window=ours.window, clerk=clerk)
    assert 'data-testid="count-found">5<' in page_of(client, "desks:intake", **params)
    assert queries(client, "desks:intake", **params) == few


def test_an_unknown_sort_key_keeps_the_lists_own_order(client, intake):
    clerk, ours, other = intake
    client.force_login(clerk)
    page = page_of(client, "desks:intake", sort="applicant_id_number")
    # Newest first, as without a sort: the filing made second is listed first.
    assert page.index(other.number) < page.index(ours.number)


# --- the approval desk -----------------------------------------------------------------------------


@pytest.fixture
def backoffice():
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    ours = make_case(department=department, name="食品经营许可（新办）")
    other = make_case(department=department, applicant=OTHER, name="公共场所卫生许可")
    return approver, ours, other


def test_an_approver_finds_a_case_every_way_and_another_department_never_does(client, backoffice):
    approver, ours, other = backoffice
    client.force_login(approver)
    for way, q in ways_to_find(ours.filing).items():
        page = page_of(client, "desks:backoffice", q=q)
        assert ours.filing.number in page and other.filing.number not in page, way
        assert MASKED in page and PERSON.id_number not in page, way
        assert 'data-testid="count-unclaimed">1<' in page, way
    client.force_login(make_staff(Role.APPROVER, centre=ours.department.centre))  # a department of its own
    for way, q in ways_to_find(ours.filing).items():
        page = page_of(client, "desks:backoffice", q=q)
        assert reverse("desks:backoffice_case", args=[ours.pk]) not in page, way


def test_the_queues_sort_by_warning_and_count_every_tab_in_constant_queries(client, backoffice):
    approver, ours, other = backoffice
    Case.objects.filter(pk=other.pk).update(warning=WarningLevel.RED)
    client.force_login(approver)
    by_warning = page_of(client, "desks:backoffice", sort="warning")
    assert by_warning.index(other.filing.number) < by_warning.index(ours.filing.number)
    by_received = page_of(client, "desks:backoffice", sort="received")
    assert by_received.index(other.filing.number) < by_received.index(ours.filing.number)
    for queue in ("unclaimed", "mine", "sign_off", "suspended", "decided"):
        assert f'data-testid="count-{queue}">' in by_warning, queue
    few = queries(client, "desks:backoffice", q="张三", sort="due")
    for _ in range(3):
        make_case(department=ours.department)
    assert queries(client, "desks:backoffice", q="张三", sort="due") == few


# --- the certificate desk ---------------------------------------------------------------------------


def test_an_issuer_finds_a_filing_every_way_and_one_of_another_centre_never_does(client):
    centre = ServiceCentreFactory()
    ours = ready_filing(centre=centre)
    other = ready_filing(centre=centre, applicant=OTHER)
    issuer = make_staff(Role.ISSUER, centre=centre)
    client.force_login(issuer)
    for way, q in ways_to_find(ours).items():
        page = page_of(client, "desks:issuing", q=q)
        assert ours.number in page and other.number not in page, way
        assert MASKED in page and PERSON.id_number not in page, way
        assert 'data-testid="count-ready">1<' in page, way
    client.force_login(make_staff(Role.ISSUER))
    for way, q in ways_to_find(ours).items():
        page = page_of(client, "desks:issuing", q=q)
        assert reverse("desks:issuing_filing", args=[ours.pk]) not in page, way


def test_a_seal_keeper_sees_the_waiting_requests_and_lands_on_them(client):
    centre = ServiceCentreFactory()
    filing = ready_filing(centre=centre)
    issuer = make_staff(Role.ISSUER, centre=centre)
    keeper = make_staff(Role.SEAL_KEEPER, centre=centre)
    client.force_login(keeper)
    page = page_of(client, "desks:issuing")
    assert 'data-testid="awaiting-confirmation"' not in page
    assert 'href="?tab=ready" aria-current="page"' in page

    certificates.request_issue(filing_id=filing.pk, actor=issuer)
    page = page_of(client, "desks:issuing")
    assert 'data-testid="awaiting-confirmation"' in page
    assert 'href="?tab=requests" aria-current="page"' in page and 'data-testid="issue-requests"' in page
    assert 'data-testid="count-requests">1<' in page and filing.number in page
    # The badge follows the keeper to the other desks' pages too, and a tab chosen is kept.
    assert 'href="?tab=ready" aria-current="page"' in page_of(client, "desks:issuing", tab="ready")
    # The issuer who asked is not a seal keeper: no badge, and the desk opens on its usual tab.
    client.force_login(issuer)
    page = page_of(client, "desks:issuing")
    assert 'data-testid="awaiting-confirmation"' not in page
    assert 'href="?tab=ready" aria-current="page"' in page and 'data-testid="count-requests">1<' in page


def test_the_certificate_desk_reads_a_constant_number_of_queries(client):
    centre = ServiceCentreFactory()
    issuer = make_staff(Role.ISSUER, centre=centre)

    def asked_and_not():
        certificates.request_issue(filing_id=ready_filing(centre=centre).pk, actor=issuer)
        ready_filing(centre=centre)

    asked_and_not()
    client.force_login(issuer)
    params = {"q": "张", "sort": "warning"}
    few = {tab: queries(client, "desks:issuing", tab=tab, **params) for tab in ("ready", "requests")}
    for _ in range(3):
        asked_and_not()
    for tab, count in few.items():
        assert queries(client, "desks:issuing", tab=tab, **params) == count, tab


# --- the supervision desk ---------------------------------------------------------------------------

ACCEPTED = dt.datetime(2026, 9, 24, 2, 0)  # a 1-day item accepted then is overdue on 9/29


def escalated_case(department, applicant=PERSON):
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, applicant=applicant, promised_limit_days=1)
    with time_machine.travel(dt.datetime(2026, 9, 29, 1, 0), tick=False):
        run_all()
    return case


def test_a_supervisor_finds_an_escalation_without_seeing_the_applicant(client):
    department = DepartmentFactory()
    ours = escalated_case(department)
    other = escalated_case(department, applicant=OTHER)
    client.force_login(make_staff(Role.SUPERVISOR, centre=department.centre, department=department))
    for way, q in ways_to_find(ours.filing).items():
        page = page_of(client, "desks:supervision", q=q)
        assert f'data-testid="escalation-case">{ours.filing.number}</a>' in page, way
        assert f'data-testid="escalation-case">{other.filing.number}</a>' not in page, way
        rows = page.split('data-testid="escalations"')[1].split("</table>")[0]
        assert PERSON.id_number.lower() not in rows.lower() and MASKED not in rows, way
        assert PERSON.name not in rows, way
        assert 'data-testid="count-open">1<' in page, way
    client.force_login(make_staff(Role.SUPERVISOR))
    for way, q in ways_to_find(ours.filing).items():
        page = page_of(client, "desks:supervision", q=q)
        assert f'data-testid="escalation-case">{ours.filing.number}</a>' not in page, way


def test_the_supervision_desk_reads_a_constant_number_of_queries(client):
    department = DepartmentFactory()
    escalated_case(department)
    client.force_login(make_staff(Role.SUPERVISOR, centre=department.centre, department=department))
    few = queries(client, "desks:supervision", q="张三", sort="due")
    escalated_case(department)
    escalated_case(department)
    assert queries(client, "desks:supervision", q="张三", sort="due") == few


def test_accepted_filing_found_by_item_name_at_the_window_after_acceptance(client, intake):
    clerk, ours, _other = intake
    accept_filing(ours)
    client.force_login(clerk)
    page = page_of(client, "desks:intake", q=ours.items.get().item.name)
    assert ours.number in page.split('data-testid="list-found"')[1].split("</section>")[0]
