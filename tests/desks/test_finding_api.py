"""The API's ``?q=`` and ``?ordering=`` (apps/cases/api/filters.py, apps/certificates/api/filters.py):
the desks' search over the queryset each endpoint scopes to the user, never wider; sort keys from the
whitelist only."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from rest_framework.test import APIRequestFactory, force_authenticate

from apps.accounts.identifiers import resident_id_check_char
from apps.accounts.roles import Role
from apps.cases import selectors
from apps.cases.api.filters import CaseFilter, FilingFilter
from apps.cases.api.views import FilingViewSet
from apps.cases.applicants import ApplicantData
from apps.cases.codes import ApplicantKind
from apps.cases.models import Case
from apps.cases.review import selectors as review
from apps.certificates import selectors as desk
from apps.certificates import services as certificates
from apps.certificates.api.filters import IssueRequestFilter
from apps.certificates.api.views import IssueRequestViewSet
from apps.worktime.warnings import WarningLevel
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON, comprehensive_window, make_case, window_clerk
from tests.factories.certificates import ready_filing

pytestmark = pytest.mark.django_db

OTHER_ID = "11010519800101001" + resident_id_check_char("11010519800101001")
OTHER = ApplicantData(kind=ApplicantKind.PERSON, name="李小红", id_number=OTHER_ID, phone="13800001111")


def filtered(filterset_class, queryset, **params):
    query = QueryDict(mutable=True)
    query.update(params)
    filterset = filterset_class(query, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def test_the_filings_endpoint_finds_within_what_the_user_sees(client):
    department = DepartmentFactory()
    ours = make_case(department=department).filing
    other = make_case(department=department, applicant=OTHER).filing
    clerk = window_clerk(comprehensive_window(ours.centre))
    stranger = window_clerk(comprehensive_window(ServiceCentreFactory()))
    citizen = make_staff(Role.CITIZEN)
    for q in (ours.number, ours.applicant_name, PERSON.id_number.lower(), ours.items.get().item.name):
        assert filtered(FilingFilter, selectors.filings_visible_to(clerk), q=q) == [ours], q
        assert filtered(FilingFilter, selectors.filings_visible_to(stranger), q=q) == [], q
        assert filtered(FilingFilter, selectors.filings_visible_to(citizen), q=q) == [], q
    assert filtered(FilingFilter, selectors.filings_visible_to(clerk), q=PERSON.id_number[-8:]) == []
    assert other in filtered(FilingFilter, selectors.filings_visible_to(clerk))


def test_the_cases_endpoint_filters_and_sorts_the_queue_ids(client):
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    calm = make_case(department=department)
    urgent = make_case(department=department, applicant=OTHER)
    Case.objects.filter(pk=urgent.pk).update(warning=WarningLevel.OVERDUE)
    queue = review.queue(approver, review.Queue.UNCLAIMED)
    assert filtered(CaseFilter, queue, q=OTHER_ID) == [urgent.pk]
    assert filtered(CaseFilter, queue, ordering="warning") == [urgent.pk, calm.pk]
    other_department = make_staff(Role.APPROVER, centre=department.centre)
    assert filtered(CaseFilter, review.queue(other_department, review.Queue.UNCLAIMED), q=OTHER_ID) == []


def test_an_ordering_outside_the_whitelist_is_refused():
    filterset = CaseFilter(QueryDict("ordering=applicant_id_number"), queryset=Case.objects.values_list("pk"))
    assert not filterset.is_valid() and "ordering" in filterset.errors


def test_the_certificate_desk_endpoints_find_within_the_users_centres():
    centre = ServiceCentreFactory()
    ours = ready_filing(centre=centre)
    ready_filing(centre=centre, applicant=OTHER)
    issuer = make_staff(Role.ISSUER, centre=centre)
    elsewhere = make_staff(Role.ISSUER)
    asked = certificates.request_issue(filing_id=ours.pk, actor=issuer)
    assert filtered(FilingFilter, desk.ready_for_issue(issuer), q=PERSON.id_number) == [ours]
    assert filtered(FilingFilter, desk.ready_for_issue(elsewhere), q=PERSON.id_number) == []
    assert filtered(IssueRequestFilter, desk.pending_requests(issuer), q=ours.number) == [asked]
    assert filtered(IssueRequestFilter, desk.pending_requests(elsewhere), q=ours.number) == []


def listed(viewset, user, **params) -> tuple[int, dict]:
    request = APIRequestFactory().get("/", params)
    force_authenticate(request, user=user)
    response = viewset.as_view({"get": "list"})(request)
    return response.status_code, response.data


def test_the_filings_endpoint_searches_sorts_and_refuses_an_unknown_ordering():
    department = DepartmentFactory()
    ours = make_case(department=department).filing
    make_case(department=department, applicant=OTHER)
    clerk = window_clerk(comprehensive_window(ours.centre))
    status, data = listed(FilingViewSet, clerk, q=PERSON.id_number, ordering="due")
    assert status == 200 and [row["number"] for row in data["results"]] == [ours.number]
    assert data["results"][0]["applicant_id_number"] == "110105********002X"
    status, data = listed(
        FilingViewSet, window_clerk(comprehensive_window(ServiceCentreFactory())), q=ours.number
    )
    assert status == 200 and data["results"] == []
    status, data = listed(FilingViewSet, clerk, ordering="applicant_id_number")
    assert status == 400 and "ordering" in data


def test_the_issue_requests_endpoint_searches_within_the_desks_centres():
    centre = ServiceCentreFactory()
    ours = ready_filing(centre=centre)
    theirs = ready_filing(centre=centre, applicant=OTHER)
    issuer = make_staff(Role.ISSUER, centre=centre)
    for filing in (ours, theirs):
        certificates.request_issue(filing_id=filing.pk, actor=issuer)
    status, data = listed(IssueRequestViewSet, issuer, q=ours.items.get().item.name)
    assert status == 200 and [row["filing"] for row in data["results"]] == [ours.number]
    status, data = listed(IssueRequestViewSet, make_staff(Role.SEAL_KEEPER), q=ours.number)
    assert status == 200 and data["results"] == []
