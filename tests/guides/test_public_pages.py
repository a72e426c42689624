"""The public face of the hall (issue 15, item 19): a home page for visitors while staff still land on
their desk, the portal's own 403/404/500 pages, and the home page's tracking form."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from apps.accounts.roles import Role
from tests.factories import make_staff
from tests.factories.cases import make_filing

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_public_home_page_with_guides_tracking_verification_and_login(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="public-home"' in page
    for url in (reverse("guides:catalogue"), reverse("verification:number"), reverse("accounts:login")):
        assert f'href="{url}"' in page, url
    assert f'action="{reverse("tracking:find")}"' in page
    assert "办事指南" in page and "登录" in page
    assert 'rel="icon" href="/static/favicon.svg"' in page


def test_a_logged_in_clerk_still_lands_on_their_desk(client):
    client.force_login(make_staff(Role.CLERK))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("desks:intake")
    assert reverse("desks:home") == "/"  # the brand link and LOGIN_REDIRECT_URL


def test_the_tracking_form_takes_the_token_or_the_whole_printed_address(client):
    filing = make_filing()
    token = filing.tracking_token
    page = reverse("tracking:filing", args=[token])
    for typed in (token, f"  {token} ", f"https://hall.example.gov.cn/track/{token}/"):
        response = client.get(reverse("tracking:find"), {"address": typed})
        assert response.status_code == 302 and response["Location"] == page, typed
    assert client.get(page).status_code == 200
    nothing = client.get(reverse("tracking:find"), {"address": "??"})
    assert nothing["Location"] == "/#track"


def test_an_unknown_address_is_the_portals_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-status="404"' in page and 'href="/"' in page
    assert "The requested resource was not found on this server." not in page


def test_a_desk_the_user_may_not_open_is_the_portals_403_page(client):
    client.force_login(make_staff(Role.CITIZEN))
    response = client.get(reverse("desks:intake"))
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-status="403"' in page
    assert "<h1>403 Forbidden</h1>" not in page


def test_a_server_error_is_the_portals_500_page_rendered_without_a_request():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert 'data-status="500"' in page and "/static/css/hall.css" in page
    assert "<h1>Server Error (500)</h1>" not in page


def test_the_api_keeps_answering_json_for_a_missing_route(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_the_superuser_lands_on_the_administration_not_on_a_desk(client):
    from tests.factories import UserFactory

    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
