"""证照夹: the certificates issued to the citizen and to the organisations they act for, each with
its QR code (the verification address), its verification page and its PDF, in a constant number of
queries; another citizen's certificate is a 404 in the pages and the API."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.certificates.models import DocumentKind, IssuedDocument
from apps.certificates.services import verify_url
from tests.certificates.test_delivery_choice import authorise, citizens_filing
from tests.factories import make_staff
from tests.factories.cases import COMPANY
from tests.factories.certificates import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return make_staff(Role.CITIZEN)


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def issued_to(citizen, **kwargs) -> list[IssuedDocument]:
    filing = citizens_filing(citizen, **kwargs)
    return issue(filing)


def test_the_wallet_lists_own_and_organisations_certificates_not_others(logged_in, citizen):
    [own] = issued_to(citizen)
    authorise(citizen)
    [company] = issued_to(make_staff(Role.CITIZEN), applicant=COMPANY)
    [theirs] = issued_to(make_staff(Role.CITIZEN))
    page = logged_in.get(reverse("portal:wallet")).content.decode()
    # Each test certificate type numbers from 1: the cards are told apart by their links.
    assert reverse("portal:wallet_document", args=[own.pk]) in page
    assert reverse("portal:wallet_document", args=[company.pk]) in page
    assert reverse("portal:wallet_document", args=[theirs.pk]) not in page
    api = logged_in.get(reverse("portal-wallet-list")).json()["results"]
    assert {d["id"] for d in api} == {own.pk, company.pk}


def test_a_denial_decision_is_no_certificate_in_the_wallet(logged_in, citizen):
    from apps.cases.models import Outcome

    [denial] = issued_to(citizen, outcome=Outcome.DENY)
    assert denial.kind == DocumentKind.DENIAL
    assert 'data-testid="wallet-empty"' in logged_in.get(reverse("portal:wallet")).content.decode()


def test_a_certificate_shows_its_qr_code_verification_page_and_pdf(logged_in, citizen):
    [document] = issued_to(citizen)
    page = logged_in.get(reverse("portal:wallet_document", args=[document.pk])).content.decode()
    assert reverse("portal:wallet_qr", args=[document.pk]) in page
    verify_path = reverse("verification:token", args=[document.verification_token])
    assert f'href="{verify_path}"' in page
    qr = logged_in.get(reverse("portal:wallet_qr", args=[document.pk]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg") or b"<svg" in qr.content[:200]
    pdf = logged_in.get(reverse("portal:wallet_pdf", args=[document.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")
    shown = logged_in.get(reverse("portal-wallet-detail", args=[document.pk])).json()
    assert shown["verify_url"] == verify_url(document.verification_token)
    assert shown["standing"] == "valid"
    assert logged_in.get(shown["qr"]).status_code == 200


def test_the_qr_code_carries_the_verification_address(logged_in, citizen):
    """Decoded by drawing it again: the same address makes the same picture, another does not."""
    import qrcode
    import qrcode.image.svg

    [document] = issued_to(citizen)
    svg = logged_in.get(reverse("portal:wallet_qr", args=[document.pk])).content.decode()

    def drawn(address):
        return qrcode.make(
            address,
            image_factory=qrcode.image.svg.SvgPathFillImage,
            error_correction=qrcode.constants.ERROR_CORRECT_M,
            border=4,
        ).to_string(encoding="unicode")

    assert svg == drawn(verify_url(document.verification_token))
    assert svg != drawn(verify_url("someone-else"))


def test_another_citizens_certificate_is_not_found_everywhere(logged_in):
    [theirs] = issued_to(make_staff(Role.CITIZEN))
    for name in ("portal:wallet_document", "portal:wallet_qr", "portal:wallet_pdf"):
        assert logged_in.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    for name in (
        "portal-wallet-detail",
        "portal-wallet-qr",
        "portal-wallet-pdf",
        "document-detail",
        "document-pdf",
    ):
        assert logged_in.get(reverse(name, args=[theirs.pk])).status_code == 404, name


def test_an_organisations_certificate_leaves_the_wallet_when_the_authorisation_ends(logged_in, citizen):
    import datetime as dt

    authorisation = authorise(citizen)
    [company] = issued_to(make_staff(Role.CITIZEN), applicant=COMPANY)
    for name in ("portal:wallet_document", "document-detail", "document-pdf"):
        assert logged_in.get(reverse(name, args=[company.pk])).status_code == 200, name
    assert logged_in.get(reverse("library")).json()["count"] == 1  # the library's "own certificates"
    authorisation.valid_until = dt.date(2021, 1, 1)
    authorisation.save()
    for name in ("portal:wallet_document", "document-detail", "document-pdf"):
        assert logged_in.get(reverse(name, args=[company.pk])).status_code == 404, name
    assert logged_in.get(reverse("library")).json()["count"] == 0


def test_the_wallet_runs_the_same_queries_for_one_certificate_as_for_many(
    logged_in, citizen, django_assert_max_num_queries
):
    issued_to(citizen)
    with django_assert_max_num_queries(14) as one:
        logged_in.get(reverse("portal:wallet"))
    with django_assert_max_num_queries(20) as api_one:
        logged_in.get(reverse("portal-wallet-list"))
    issued_to(citizen, departments=3)
    authorise(citizen)
    issued_to(make_staff(Role.CITIZEN), applicant=COMPANY, departments=2)
    assert IssuedDocument.objects.count() == 6
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = logged_in.get(reverse("portal:wallet"))
    assert page.content.decode().count('data-testid="wallet-card"') == 6
    with django_assert_max_num_queries(len(api_one.captured_queries)):
        assert logged_in.get(reverse("portal-wallet-list")).json()["count"] == 6


def test_staff_get_no_wallet(client):
    client.force_login(make_staff(Role.ISSUER))
    assert client.get(reverse("portal:wallet")).status_code == 403
    assert client.get(reverse("portal-wallet-list")).status_code == 403
