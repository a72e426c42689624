"""The back office's revocation form (撤销 / 注销) offers the library entry's transitions, named by
``RevocationMode``, while the certificate stands today; the API takes the same modes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from apps.accounts.roles import Role
from apps.certificates import services
from apps.certificates.api.serializers import RevokeSerializer
from apps.licences.models import ElectronicCertificate, RevocationMode
from tests.factories import make_staff
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 24, 2, 0)


@pytest.fixture
def issued(client):
    """A certificate issued for a case, its department's decision-maker logged in (in English)."""
    with time_machine.travel(TODAY, tick=False):
        [document] = issue(ready_filing())
    boss = make_staff(Role.DECISION_MAKER, department=document.department)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(boss)
    return document, boss


def offered_modes(client, document) -> list[tuple[str, str]]:
    response = client.get(reverse("desks:backoffice_case", args=[document.case_id]))
    assert response.status_code == 200
    select = re.search(r'<select name="mode">(.*?)</select>', response.content.decode(), re.S)
    return re.findall(r'<option value="([^"]+)">([^<]+)</option>', select.group(1)) if select else []


def test_the_form_offers_both_modes_by_their_enum(client, issued):
    document, _boss = issued
    assert offered_modes(client, document) == [(m.value, str(m.label)) for m in RevocationMode]


def test_a_mode_the_graph_does_not_allow_is_not_offered(client, issued, monkeypatch):
    document, _boss = issued
    for transition in ElectronicCertificate.cancel._django_fsm.transitions.values():
        monkeypatch.setattr(transition, "permission", lambda entry, user: False)
    assert offered_modes(client, document) == [("revoke", "Revoke (撤销)")]


def test_a_revoked_certificate_offers_no_revocation(client, issued):
    document, boss = issued
    services.revoke(document_id=document.pk, actor=boss, reason="歇业", mode=RevocationMode.CANCEL)
    assert offered_modes(client, document) == []


def test_the_api_takes_the_revocation_modes_and_revokes_by_default():
    assert list(RevokeSerializer().fields["mode"].choices) == RevocationMode.values
    body = RevokeSerializer(data={"reason": "以欺骗手段取得"})
    assert body.is_valid() and body.validated_data["mode"] == RevocationMode.REVOKE
