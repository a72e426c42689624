"""The organisations a citizen acts for: adding one (USCC checksum, a checked letter, required for an
agent), authorisations_of ("may act for on that day": period, revocation), the letter to its own
account only (another citizen's → 404), the portal page and the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation
from apps.accounts.roles import Role
from apps.accounts.selectors import authorisations_of
from apps.citizens import services
from tests.citizens.conftest import uscc
from tests.factories import make_staff
from tests.factories.cases import MINIMAL_PDF

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def letter(content=MINIMAL_PDF, name="授权委托书.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def citizen():
    return make_staff(Role.CITIZEN, full_name="王五")


def _add(user, **overrides):
    fields = {
        "organisation_name": "福州好味餐饮有限公司",
        "credit_code": uscc(3),
        "kind": AuthorisationKind.AGENT,
        "letter": letter(),
        "valid_from": timezone.localdate(),
        "valid_until": timezone.localdate() + dt.timedelta(days=30),
    }
    return services.add_organisation(user=user, **{**fields, **overrides})


def test_an_agent_adds_an_organisation_with_a_checked_letter(citizen):
    authorisation = _add(citizen)
    assert authorisation.letter_content_type == "application/pdf"
    assert authorisation.letter_name == "授权委托书.pdf"
    assert authorisation.letter.read() == MINIMAL_PDF
    assert list(authorisations_of(citizen, timezone.localdate())) == [authorisation]


def test_a_legal_representative_needs_no_letter_nor_end(citizen):
    authorisation = _add(citizen, kind=AuthorisationKind.LEGAL_REPRESENTATIVE, letter=None, valid_until=None)
    assert not authorisation.letter
    assert authorisation.valid_until is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": uscc(3)[:17] + ("0" if uscc(3)[17] != "0" else "1")}, "credit_code"),
        ({"credit_code": "91350100ABC"}, "credit_code"),
        ({"letter": None}, "letter"),
        ({"valid_until": None}, "valid_until"),
        ({"valid_until": dt.date(2020, 1, 1), "valid_from": dt.date(2019, 1, 1)}, "valid_until"),
        ({"letter": letter(b"MZ\x90\x00" + b"\x00" * 200, name="letter.pdf")}, "letter"),
        ({"organisation_name": "  "}, "organisation_name"),
        ({"kind": "owner"}, "kind"),
    ],
)
def test_bad_organisation_input_is_refused_naming_the_field_and_nothing_is_stored(citizen, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _add(citizen, **overrides)
    assert field in refused.value.message_dict
    assert not OrganisationAuthorisation.objects.exists()


def test_staff_cannot_add_an_organisation():
    clerk = make_staff(Role.CLERK)
    with pytest.raises(PermissionDenied):
        _add(clerk)


def test_an_expired_authorisation_no_longer_lets_the_agent_act(citizen):
    authorisation = _add(citizen, valid_until=timezone.localdate() + dt.timedelta(days=2))
    assert authorisation in authorisations_of(citizen, timezone.localdate() + dt.timedelta(days=2))
    assert not authorisations_of(citizen, timezone.localdate() + dt.timedelta(days=3)).exists()
    assert not authorisations_of(citizen, timezone.localdate() - dt.timedelta(days=1)).exists()


def test_a_revoked_authorisation_no_longer_lets_anyone_act(citizen):
    authorisation = _add(citizen)
    services.revoke_authorisation(authorisation_id=authorisation.pk, actor=citizen)
    assert not authorisations_of(citizen, timezone.localdate()).exists()
    # Once revoked, the organisation may be added again.
    _add(citizen)


def test_the_same_organisation_twice_is_refused(citizen):
    _add(citizen)
    with pytest.raises(ValidationError) as refused:
        _add(citizen)
    assert "credit_code" in refused.value.message_dict


def test_another_citizen_cannot_revoke(citizen):
    authorisation = _add(citizen)
    other = make_staff(Role.CITIZEN)
    with pytest.raises(PermissionDenied):
        services.revoke_authorisation(authorisation_id=authorisation.pk, actor=other)


# --- the portal page ----------------------------------------------------------------------------------


def test_the_portal_adds_lists_and_serves_the_letter_to_its_account_only(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("portal:organisations_add"),
        {
            "organisation_name": "福州好味餐饮有限公司",
            "credit_code": uscc(3),
            "kind": AuthorisationKind.AGENT,
            "letter": letter(),
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("portal:organisations")).content.decode()
    assert "福州好味餐饮有限公司" in page and uscc(3) in page
    authorisation = OrganisationAuthorisation.objects.get()
    download = client.get(reverse("portal:organisations_letter", args=[authorisation.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert download["Content-Disposition"].startswith("attachment")
    other = make_staff(Role.CITIZEN)
    client.force_login(other)
    assert client.get(reverse("portal:organisations_letter", args=[authorisation.pk])).status_code == 404
    assert client.post(reverse("portal:organisations_revoke", args=[authorisation.pk])).status_code == 404
    assert "福州好味餐饮有限公司" not in client.get(reverse("portal:organisations")).content.decode()


def test_the_portal_names_a_missing_letter(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("portal:organisations_add"),
        {
            "organisation_name": "福州好味餐饮有限公司",
            "credit_code": uscc(3),
            "kind": AuthorisationKind.AGENT,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-letter"' in page and 'data-testid="error-valid_until"' in page


def test_the_portal_list_takes_the_same_queries_for_one_or_many(
    client, citizen, django_assert_max_num_queries
):
    client.force_login(citizen)
    _add(citizen)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("portal:organisations"))
    for n in range(10, 20):
        _add(citizen, credit_code=uscc(n), organisation_name=f"公司{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("portal:organisations"))


def test_staff_do_not_get_the_organisations_page(client):
    client.force_login(make_staff(Role.CLERK))
    assert client.get(reverse("portal:organisations")).status_code == 403


# --- the API ------------------------------------------------------------------------------------------


def test_the_api_adds_lists_revokes_and_hides_other_citizens_authorisations(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/organisations/",
        {
            "organisation_name": "福州好味餐饮有限公司",
            "credit_code": uscc(3),
            "capacity": "agent",
            "letter": letter(),
            "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["current"] is True
    assert client.get(response.json()["letter"]).status_code == 200
    assert [o["id"] for o in client.get("/api/v1/organisations/").json()] == [pk]
    other = make_staff(Role.CITIZEN)
    client.force_login(other)
    assert client.get(f"/api/v1/organisations/{pk}/").status_code == 404
    assert client.get(f"/api/v1/organisations/{pk}/letter/").status_code == 404
    assert client.post(f"/api/v1/organisations/{pk}/revoke/").status_code == 404
    assert client.get("/api/v1/organisations/").json() == []
    client.force_login(citizen)
    revoked = client.post(f"/api/v1/organisations/{pk}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["current"] is False


def test_the_api_names_a_bad_credit_code(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/organisations/",
        {
            "organisation_name": "某公司",
            "credit_code": "913501000000000000",
            "capacity": "legal_representative",
        },
    )
    assert response.status_code == 400
    assert "credit_code" in response.json()


def test_staff_get_no_organisations_api(client):
    client.force_login(make_staff(Role.CLERK))
    assert client.get("/api/v1/organisations/").status_code == 403
