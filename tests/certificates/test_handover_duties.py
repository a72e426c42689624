"""Seal custody and delivery are separate duties (issue 15, item 12): the seal keeper confirms the seal
and is neither offered nor allowed the hand-over or the posting; the issuer delivers. A person who is
both does not deliver what they sealed themselves."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.cases.codes import FilingState
from apps.cases.models import Filing
from apps.certificates import services
from tests.factories import make_staff
from tests.factories.cases import PERSON
from tests.factories.certificates import issue, keeper_for, ready_filing

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 24, 2, 0)
RECIPIENT = {"recipient_name": "张三", "recipient_id_number": PERSON.id_number}
PARCEL = {
    "recipient_name": "张三",
    "phone": "13812343210",
    "address": "福建省福州市鼓楼区示范路1号",
    "carrier": "中国邮政EMS",
    "tracking_number": "1234567890123",
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def sealed():
    """An issued filing, its issuer and the seal keeper who confirmed it."""
    filing = ready_filing()
    issuer, keeper = make_staff(Role.ISSUER, centre=filing.centre), keeper_for(filing)
    issue(filing, issuer=issuer, keeper=keeper)
    return filing, issuer, keeper


def _state(filing) -> str:
    return Filing.objects.get(pk=filing.pk).state


def test_a_seal_keeper_may_not_hand_over_or_post(sealed):
    filing, _issuer, keeper = sealed
    with pytest.raises(PermissionDenied) as exc:
        services.hand_over(filing_id=filing.pk, actor=keeper, **RECIPIENT)
    assert "issuer" in str(exc.value) or "出证" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.post(filing_id=filing.pk, actor=keeper, **PARCEL)
    assert _state(filing) == FilingState.ISSUED


def test_another_seal_keeper_may_not_either(sealed):
    filing, _issuer, _keeper = sealed
    with pytest.raises(PermissionDenied):
        services.hand_over(filing_id=filing.pk, actor=keeper_for(filing), **RECIPIENT)


def test_the_issuer_hands_over(sealed):
    filing, issuer, _keeper = sealed
    delivery = services.hand_over(filing_id=filing.pk, actor=issuer, **RECIPIENT)
    assert delivery.delivered_by == issuer
    assert _state(filing) == FilingState.CLOSED


def test_an_issuer_who_also_keeps_seals_does_not_deliver_what_they_sealed(sealed):
    filing = ready_filing()
    issuer = make_staff(Role.ISSUER, centre=filing.centre)
    both = make_staff(Role.SEAL_KEEPER, centre=filing.centre)
    assign_role(user=both, role=Role.ISSUER, centre=filing.centre)
    issue(filing, issuer=issuer, keeper=both)
    with pytest.raises(PermissionDenied):
        services.hand_over(filing_id=filing.pk, actor=both, **RECIPIENT)
    services.hand_over(filing_id=filing.pk, actor=issuer, **RECIPIENT)
    assert _state(filing) == FilingState.CLOSED


def test_the_desk_shows_the_delivery_forms_to_the_issuer_only(client, sealed):
    filing, issuer, keeper = sealed
    page = reverse("desks:issuing_filing", args=[filing.pk])
    client.force_login(keeper)
    html = client.get(page).content.decode()
    assert 'data-testid="action-hand_over"' not in html
    assert 'data-testid="action-post"' not in html
    response = client.post(reverse("desks:issuing_act", args=[filing.pk, "hand_over"]), RECIPIENT)
    assert response.status_code in (302, 403)
    assert _state(filing) == FilingState.ISSUED
    client.force_login(issuer)
    assert 'data-testid="action-hand_over"' in client.get(page).content.decode()
    client.post(reverse("desks:issuing_act", args=[filing.pk, "hand_over"]), RECIPIENT)
    assert _state(filing) == FilingState.CLOSED


def test_the_api_refuses_the_seal_keeper(client, sealed):
    filing, _issuer, keeper = sealed
    client.force_login(keeper)
    url = reverse("issuing-filing-hand-over", args=[filing.pk])
    assert client.post(url, RECIPIENT, content_type="application/json").status_code == 403
    assert _state(filing) == FilingState.ISSUED
