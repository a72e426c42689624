"""The desks offer what the graph allows *this user*: each asks for the object's available user
transitions, so that a permission on a transition takes its form off the page for whoever lacks it.

These tests give a filing transition a permission that refuses everyone, as a future rule would,
and see the desk follow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.models import Filing
from tests.factories import make_staff
from tests.factories.cases import make_filing, window_clerk
from tests.factories.certificates import issue, ready_filing

pytestmark = pytest.mark.django_db


def nobody(obj, user) -> bool:
    return False


@pytest.fixture
def refuse_everyone(monkeypatch):
    """Give the filing's transition ``name`` a permission no user passes, for this test only."""

    def refuse(name: str) -> None:
        for transition in getattr(Filing, name)._django_fsm.transitions.values():
            monkeypatch.setattr(transition, "permission", nobody)

    return refuse


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_intake_desk_offers_a_decision_only_if_the_graph_lets_the_clerk_take_it(client, refuse_everyone):
    filing = make_filing()
    client.force_login(window_clerk(filing.window))
    url = reverse("desks:intake_filing", args=[filing.pk])
    accept = reverse("desks:intake_decide", args=[filing.pk, "accept"])
    refuse = reverse("desks:intake_decide", args=[filing.pk, "refuse"])
    assert accept in page(client, url) and refuse in page(client, url)
    refuse_everyone("accept")
    shown = page(client, url)
    assert accept not in shown and refuse in shown


def test_the_issuing_desk_offers_the_request_only_if_the_graph_lets_the_issuer_issue(client, refuse_everyone):
    filing = ready_filing()
    client.force_login(make_staff(Role.ISSUER, centre=filing.centre))
    url = reverse("desks:issuing_filing", args=[filing.pk])
    assert 'data-testid="action-request_issue"' in page(client, url)
    refuse_everyone("issue")
    assert 'data-testid="action-request_issue"' not in page(client, url)


def test_the_issuing_desk_offers_delivery_only_if_the_graph_lets_the_issuer_deliver(client, refuse_everyone):
    filing = ready_filing()
    issue(filing)
    client.force_login(make_staff(Role.ISSUER, centre=filing.centre))
    url = reverse("desks:issuing_filing", args=[filing.pk])
    assert 'data-testid="action-hand_over"' in page(client, url)
    refuse_everyone("deliver")
    shown = page(client, url)
    assert 'data-testid="action-hand_over"' not in shown and 'data-testid="action-post"' not in shown
