"""Roles are per centre at the certificate desk: every read and action checks the role at the filing's
(or seal's, or document's) centre. A user who is an issuer at the city and a seal keeper at the county
issues at the city and keeps seals at the county, never the other way round; staff of another centre
are refused by the desk, the API and the services alike."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.cases.codes import FilingState
from apps.certificates import services
from apps.certificates.models import IssuedDocument, IssueRequest, RequestState, Seal, SealStatus
from tests.factories import ServiceCentreFactory, make_staff
from tests.factories.cases import PERSON
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return ServiceCentreFactory(name="区政务服务中心")


@pytest.fixture
def dual(centre, county):
    """An issuer at the city (``centre``) who is a seal keeper at the county."""
    user = make_staff(Role.ISSUER, centre=centre, full_name="两地兼职")
    assign_role(user=user, role=Role.SEAL_KEEPER, centre=county)
    return user


def seal_of(filing) -> Seal:
    return Seal.objects.get(department=filing.cases.get().department)


def filing_page(client, filing) -> str:
    response = client.get(reverse("desks:issuing_filing", args=[filing.pk]))
    assert response.status_code == 200
    return response.content.decode()


def api_post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


# --- confirming: a seal keeper of the filing's centre only ----------------------------------------


def test_a_seal_keeper_elsewhere_is_offered_no_confirmation_here_and_is_refused_by_desk_and_api(
    client, english, centre, issuer, dual
):
    filing = ready_filing(centre=centre)
    pending = services.request_issue(filing_id=filing.pk, actor=issuer)
    client.force_login(dual)
    page = filing_page(client, filing)
    assert 'data-testid="action-confirm_issue"' not in page
    assert 'data-testid="action-cancel_request"' not in page
    client.post(
        reverse("desks:issuing_act", args=[filing.pk, "confirm_issue"]), {"request": pending.pk}, follow=True
    )
    assert api_post(client, reverse("issue-request-confirm", args=[pending.pk])).status_code == 403
    assert api_post(client, reverse("issue-request-cancel", args=[pending.pk])).status_code == 403
    assert not IssuedDocument.objects.exists()
    assert IssueRequest.objects.get(pk=pending.pk).state == RequestState.PENDING


def test_custody_of_a_seal_does_not_stand_in_for_the_seal_keepers_role_at_its_centre(
    client, centre, issuer, dual
):
    filing = ready_filing(centre=centre)
    Seal.objects.filter(pk=seal_of(filing).pk).update(custodian=dual)
    pending = services.request_issue(filing_id=filing.pk, actor=issuer)
    client.force_login(dual)
    assert api_post(client, reverse("issue-request-confirm", args=[pending.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.confirm_issue(request_id=pending.pk, actor=dual)
    assert not IssuedDocument.objects.exists()


def test_the_same_user_confirms_at_the_centre_where_they_keep_seals(client, county, dual):
    filing = ready_filing(centre=county)
    pending = services.request_issue(filing_id=filing.pk, actor=make_staff(Role.ISSUER, centre=county))
    client.force_login(dual)
    listed = client.get(reverse("issue-request-list")).json()["results"]
    assert [r["id"] for r in listed] == [pending.pk]
    confirmed = api_post(client, reverse("issue-request-confirm", args=[pending.pk]))
    assert confirmed.status_code == 201, confirmed.json()
    filing.refresh_from_db()
    assert filing.state == FilingState.ISSUED


def test_at_the_centre_where_they_issue_they_ask_for_the_seal_as_an_issuer(client, centre, dual):
    filing = ready_filing(centre=centre)
    client.force_login(dual)
    asked = api_post(client, reverse("issuing-filing-request-issue", args=[filing.pk]))
    assert asked.status_code == 201, asked.json()
    assert IssueRequest.objects.get().requested_by == dual


# --- the seal registry: a seal keeper of the seal's centre only -----------------------------------


def test_a_seal_keeper_elsewhere_can_neither_suspend_nor_is_offered_to_suspend_this_centres_seal(
    client, english, centre, dual
):
    filing = ready_filing(centre=centre)
    seal = seal_of(filing)
    client.force_login(dual)
    page = client.get(reverse("desks:issuing_seals")).content.decode()
    assert seal.name in page  # the issuer sees the registry of their desk
    assert reverse("desks:issuing_seal_status", args=[seal.pk]) not in page
    response = client.post(reverse("desks:issuing_seal_status", args=[seal.pk]), {"reason": "越权暂停"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.set_seal_status(seal_id=seal.pk, actor=dual, status=SealStatus.SUSPENDED, reason="越权暂停")
    seal.refresh_from_db()
    assert seal.status == SealStatus.ACTIVE


def test_the_same_user_suspends_a_seal_of_the_centre_where_they_keep_seals(client, english, county, dual):
    seal = seal_of(ready_filing(centre=county))
    client.force_login(dual)
    page = client.get(reverse("desks:issuing_seals"), {"seal": seal.pk}).content.decode()
    assert reverse("desks:issuing_seal_status", args=[seal.pk]) in page
    client.post(reverse("desks:issuing_seal_status", args=[seal.pk]), {"reason": "印章送修"})
    seal.refresh_from_db()
    assert seal.status == SealStatus.SUSPENDED


# --- asking, handing over and posting: the desk of the filing's centre ----------------------------


def test_the_services_refuse_an_issuer_of_another_centre_at_every_step(centre, county):
    outsider = make_staff(Role.ISSUER, centre=county)
    filing = ready_filing(centre=centre)
    with pytest.raises(PermissionDenied):
        services.request_issue(filing_id=filing.pk, actor=outsider)
    assert not IssueRequest.objects.exists()
    issue(filing)
    with pytest.raises(PermissionDenied):
        services.hand_over(
            filing_id=filing.pk,
            actor=outsider,
            recipient_name=PERSON.name,
            recipient_id_number=PERSON.id_number,
        )
    with pytest.raises(PermissionDenied):
        services.post(
            filing_id=filing.pk,
            actor=outsider,
            recipient_name=PERSON.name,
            phone="13812343210",
            address="示范市民生路1号",
            carrier="EMS",
            tracking_number="EMS0001",
        )
    filing.refresh_from_db()
    assert filing.state == FilingState.ISSUED
    # The desk of the filing's centre hands over.
    services.hand_over(
        filing_id=filing.pk,
        actor=make_staff(Role.ISSUER, centre=centre),
        recipient_name=PERSON.name,
        recipient_id_number=PERSON.id_number,
    )


def test_another_centres_filing_is_not_found_at_the_desk_its_preview_or_the_api(client, centre, county):
    filing = ready_filing(centre=centre)
    case = filing.cases.get()
    client.force_login(make_staff(Role.ISSUER, centre=county))
    assert client.get(reverse("desks:issuing_filing", args=[filing.pk])).status_code == 404
    preview = reverse("desks:issuing_preview_pdf", args=[filing.pk, case.pk])
    assert client.get(preview).status_code == 404
    assert client.get(reverse("issuing-filing-detail", args=[filing.pk])).status_code == 404
    assert api_post(client, reverse("issuing-filing-request-issue", args=[filing.pk])).status_code == 404


# --- documents: the desk of the centre, the department's approvers and decision-makers ------------


def test_a_supervisor_or_clerk_of_the_department_or_centre_sees_no_documents(client, centre):
    filing = ready_filing(centre=centre)
    [document] = issue(filing)
    detail = reverse("document-detail", args=[document.pk])
    for role in (Role.SUPERVISOR, Role.CLERK):
        client.force_login(make_staff(role, centre=centre, department=document.department))
        assert client.get(detail).status_code == 404, role
        assert client.get(reverse("document-pdf", args=[document.pk])).status_code == 404, role
        assert client.get(reverse("document-list")).json()["results"] == [], role
    client.force_login(make_staff(Role.APPROVER, department=document.department))
    assert client.get(detail).status_code == 200


def test_the_documents_of_the_centre_where_a_two_centre_user_works_the_desk_only(
    client, centre, county, dual
):
    [city_document] = issue(ready_filing(centre=centre))
    [county_document] = issue(ready_filing(centre=county))
    client.force_login(dual)  # on the desk at both: issuer at the city, seal keeper at the county
    listed = {d["id"] for d in client.get(reverse("document-list")).json()["results"]}
    assert listed == {city_document.pk, county_document.pk}
    client.force_login(make_staff(Role.ISSUER, centre=centre))
    listed = {d["id"] for d in client.get(reverse("document-list")).json()["results"]}
    assert listed == {city_document.pk}
