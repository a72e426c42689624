"""/api/v1/me/ says how sure the hall is of the account's real name."""

import pytest
from django.urls import reverse

from apps.accounts.models import RealNameLevel
from apps.accounts.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_me_names_the_real_name_level(client):
    citizen = make_staff(Role.CITIZEN)
    citizen.real_name_level = RealNameLevel.VERIFIED
    citizen.save()
    client.force_login(citizen)
    assert client.get(reverse("api-me")).json()["real_name_level"] == "verified"
