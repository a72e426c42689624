"""The elder-friendly mode (适老化): switched on any page, remembered, drawn on public pages too."""

import pytest
from django.urls import reverse

from apps.portal.elder_mode import COOKIE

ELDER_CSS = "css/elder.css"

pytestmark = pytest.mark.django_db


def test_switching_it_on_is_remembered_and_draws_every_public_page_large(client):
    response = client.post(reverse("portal:elder_mode"), {"on": "1", "next": "/guide/"})
    assert response.status_code == 302 and response["Location"] == "/guide/"
    assert response.cookies[COOKIE].value == "1" and response.cookies[COOKIE]["httponly"]
    for path in ("/", "/guide/", reverse("accounts:login")):
        body = client.get(path).content.decode()
        assert 'class="elder"' in body and ELDER_CSS in body, path
        assert 'aria-pressed="true"' in body, path


def test_switching_it_off_forgets_it(client):
    client.cookies[COOKIE] = "1"
    response = client.post(reverse("portal:elder_mode"), {"on": "0", "next": "/"})
    assert response.cookies[COOKIE].value == ""
    body = client.get("/").content.decode()
    assert ELDER_CSS not in body and 'class="elder"' not in body and 'aria-pressed="false"' in body


def test_the_switch_goes_back_only_to_a_page_of_this_site(client):
    response = client.post(reverse("portal:elder_mode"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_switch_is_a_post(client):
    assert client.get(reverse("portal:elder_mode")).status_code == 405
