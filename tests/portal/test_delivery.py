"""The delivery choice's page and API (领取方式): prefilled from the filing, saved through the service,
closed once the documents are issued, another citizen's filing a 404."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.certificates.models import DeliveryChoice, DeliveryMethod
from tests.certificates.test_delivery_choice import POST, citizens_filing
from tests.factories import make_staff
from tests.factories.certificates import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return make_staff(Role.CITIZEN)


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def test_the_page_offers_both_ways_prefilled_and_saves_post(logged_in, citizen):
    filing = citizens_filing(citizen)
    url = reverse("portal:delivery", args=[filing.pk])
    page = logged_in.get(url).content.decode()
    assert 'data-testid="method-post"' in page and 'data-testid="method-handover"' in page
    assert f'value="{filing.applicant_name}"' in page  # addressed to the applicant unless changed
    response = logged_in.post(url, POST)
    assert response.status_code == 302
    choice = DeliveryChoice.objects.get(filing=filing)
    assert (choice.method, choice.address) == (DeliveryMethod.POST, POST["address"])
    again = logged_in.get(url).content.decode()
    assert 'data-testid="delivery-chosen"' in again and POST["address"] in again


def test_a_refused_post_says_what_is_missing_on_the_form(logged_in, citizen):
    filing = citizens_filing(citizen)
    response = logged_in.post(reverse("portal:delivery", args=[filing.pk]), {"method": "post"})
    assert response.status_code == 200
    assert response.content.decode().count('role="alert"') >= 3  # name, phone, address
    assert not DeliveryChoice.objects.exists()


def test_after_issue_the_page_says_so_and_the_choice_is_refused(logged_in, citizen):
    filing = citizens_filing(citizen)
    issue(filing)
    url = reverse("portal:delivery", args=[filing.pk])
    page = logged_in.get(url).content.decode()
    assert 'data-testid="delivery-closed"' in page and 'data-testid="delivery-form"' not in page
    logged_in.post(url, POST)
    api = logged_in.put(reverse("portal-delivery", args=[filing.pk]), POST, content_type="application/json")
    assert api.status_code == 409
    assert not DeliveryChoice.objects.exists()


def test_another_citizens_filing_is_not_found_in_the_page_and_the_api(logged_in):
    filing = citizens_filing(make_staff(Role.CITIZEN))
    url = reverse("portal:delivery", args=[filing.pk])
    assert logged_in.get(url).status_code == 404
    assert logged_in.post(url, POST).status_code == 404
    api = reverse("portal-delivery", args=[filing.pk])
    assert logged_in.get(api).status_code == 404
    assert logged_in.put(api, POST, content_type="application/json").status_code == 404
    assert not DeliveryChoice.objects.exists()


def test_the_api_chooses_and_reads_back(logged_in, citizen):
    filing = citizens_filing(citizen)
    api = reverse("portal-delivery", args=[filing.pk])
    assert logged_in.get(api).status_code == 404  # nothing chosen yet
    put = logged_in.put(api, POST, content_type="application/json")
    assert put.status_code == 200, put.content
    assert logged_in.get(api).json()["address"] == POST["address"]
    refused = logged_in.put(api, {"method": "post"}, content_type="application/json")
    assert refused.status_code == 400 and "address" in refused.json()
