"""窗口核验 of an organisation authorisation: a window clerk checks what a citizen account declared
against the letter shown at the window — on the intake desk's verification page (beside the account)
or through the API. A clerk verifies at a window of their own centre only; the step is audited; a
removed or ended authorisation is not verified."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.identifiers import mask_identifier
from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation
from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.citizens.services import add_organisation, verify_authorisation
from tests.citizens.conftest import resident_id, uscc
from tests.factories import make_staff
from tests.factories.cases import MINIMAL_PDF, comprehensive_window, window_clerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return make_staff(Role.CITIZEN, full_name="赵六", id_number=resident_id(21), phone="13700137021")


@pytest.fixture
def window():
    return comprehensive_window()


def declared(citizen, n=1, **kwargs) -> OrganisationAuthorisation:
    return add_organisation(
        user=citizen,
        organisation_name=f"示范{n}有限公司",
        credit_code=uscc(n),
        kind=AuthorisationKind.AGENT,
        letter=SimpleUploadedFile("授权委托书.pdf", MINIMAL_PDF, content_type="application/pdf"),
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        **kwargs,
    )


def test_a_clerk_verifies_an_authorisation_at_their_window(citizen, window):
    authorisation = declared(citizen)
    assert authorisation.verified_at is None
    clerk = window_clerk(window)
    verify_authorisation(
        authorisation_id=authorisation.pk, actor=clerk, window=window, client_ip="203.0.113.9"
    )
    authorisation.refresh_from_db()
    assert authorisation.verified_at is not None
    assert (authorisation.verified_by, authorisation.verified_centre) == (clerk, window.centre)
    assert TransitionLog.objects.filter(
        transition="authorisation_verified", object_id=str(authorisation.pk)
    ).exists()


def test_a_clerk_of_another_centre_cannot_verify(citizen, window):
    authorisation = declared(citizen)
    elsewhere = window_clerk(comprehensive_window())
    with pytest.raises(PermissionDenied):
        verify_authorisation(authorisation_id=authorisation.pk, actor=elsewhere, window=window)
    with pytest.raises(PermissionDenied):  # nor the account itself
        verify_authorisation(authorisation_id=authorisation.pk, actor=citizen, window=window)
    authorisation.refresh_from_db()
    assert authorisation.verified_at is None


def test_a_removed_authorisation_is_not_verified(citizen, window):
    authorisation = declared(citizen)
    OrganisationAuthorisation.objects.filter(pk=authorisation.pk).update(revoked_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        verify_authorisation(authorisation_id=authorisation.pk, actor=window_clerk(window), window=window)
    assert "authorisation" in refused.value.message_dict
    assert OrganisationAuthorisation.objects.get(pk=authorisation.pk).verified_at is None


def test_the_desk_page_lists_the_account_s_authorisations_and_verifies_one(client, citizen, window):
    first, second = declared(citizen, 1), declared(citizen, 2)
    client.force_login(window_clerk(window))
    page = client.get(reverse("desks:intake_verify_citizen"), {"q": citizen.phone})
    body = page.content.decode()
    assert body.count('data-testid="verify-authorisation"') == 2
    assert first.organisation_name in body and mask_identifier(first.credit_code) in body
    assert first.credit_code not in body  # the code masked, as the account's ID number is
    assert body.count('data-testid="verify-authorisation-button"') == 2

    response = client.post(
        reverse("desks:intake_verify_citizen"), {"authorisation": first.pk, "q": citizen.phone}, follow=True
    )
    body = response.content.decode()
    assert body.count('data-testid="verify-authorisation-button"') == 1  # the second's left
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.verified_at is not None and first.verified_centre == window.centre
    assert second.verified_at is None


def test_the_desk_page_reads_the_same_queries_for_one_authorisation_as_for_many(
    client, citizen, window, django_assert_max_num_queries
):
    declared(citizen, 1)
    client.force_login(window_clerk(window))
    url = reverse("desks:intake_verify_citizen")
    client.get(url, {"q": citizen.phone})
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"q": citizen.phone})
    for n in range(2, 6):
        declared(citizen, n)
    with django_assert_max_num_queries(len(one)):
        client.get(url, {"q": citizen.phone})


def test_the_api_verifies_for_a_clerk_and_refuses_others(client, citizen, window):
    authorisation = declared(citizen)
    url = reverse("api-authorisation-verify", args=[authorisation.pk])
    client.force_login(citizen)
    assert client.post(url, {}, content_type="application/json").status_code == 403
    elsewhere = window_clerk(comprehensive_window())
    client.force_login(elsewhere)
    # Their own window is at another centre: they verify there, but not with this centre's window.
    assert client.post(url, {"window": window.pk}, content_type="application/json").status_code == 403
    assert OrganisationAuthorisation.objects.get(pk=authorisation.pk).verified_at is None

    clerk = window_clerk(window)
    client.force_login(clerk)
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["credit_code"] == mask_identifier(authorisation.credit_code)
    assert response.json()["verified_centre"] == window.centre.pk
    assert OrganisationAuthorisation.objects.get(pk=authorisation.pk).verified_by == clerk


def test_the_portal_says_whether_a_window_verified_the_authorisation(client, citizen, window):
    authorisation = declared(citizen)
    client.force_login(citizen)
    body = client.get(reverse("portal:organisations")).content.decode()
    assert "Self-declared" in body or "自主声明" in body
    verify_authorisation(authorisation_id=authorisation.pk, actor=window_clerk(window), window=window)
    body = client.get(reverse("portal:organisations")).content.decode()
    state = body.split('data-testid="organisation-verification">')[1].split("</dd>")[0]
    assert "Verified at a window" in state or "窗口核验" in state
    api = client.get(reverse("api-organisation", args=[authorisation.pk])).json()
    assert api["verified_at"] is not None
