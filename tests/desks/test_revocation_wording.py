"""Cancelling (注销) a certificate reads as cancelling, not revoking (撤销): the button names the mode,
and the clerk's message and the status shown afterwards name the one chosen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.accounts.roles import Role
from tests.factories import make_staff
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 24, 2, 0)


@pytest.fixture
def issued(client):
    with time_machine.travel(TODAY, tick=False):
        [document] = issue(ready_filing())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(make_staff(Role.DECISION_MAKER, department=document.department))
    return document


def case_page(client, document) -> str:
    response = client.get(reverse("desks:backoffice_case", args=[document.case_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_button_carries_a_name_for_each_mode(client, issued):
    page = case_page(client, issued)
    assert 'data-verb-revoke="Revoke the certificate"' in page
    assert 'data-verb-cancel="Cancel the certificate"' in page
    assert 'data-named-by="mode"' in page


@pytest.mark.parametrize(
    ("mode", "said", "status"),
    [
        ("cancel", "The certificate is cancelled", "Cancelled (licence ended)"),
        ("revoke", "The certificate is revoked", "Revoked"),
    ],
)
def test_the_message_and_the_status_name_the_mode_chosen(client, issued, mode, said, status):
    response = client.post(
        reverse("desks:backoffice_revoke", args=[issued.case_id]), {"mode": mode, "reason": "歇业"}
    )
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(said)
    page = case_page(client, issued)
    assert f'<strong data-testid="certificate-status">{status}</strong>' in page
