"""The supervision desk (督办台) offers each escalation's available transitions for the supervisor:
Acknowledge only while the graph allows it (not once acknowledged), Resolve while it is open, never
the sweep's raise; and it prints why the escalation was opened in words, not as a code."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from apps.accounts.roles import Role
from apps.cases.models import Escalation
from apps.cases.review import services as review
from apps.cases.sweeps import run_all
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db

ACCEPTED = dt.datetime(2026, 9, 24, 2, 0)  # a 1-day item accepted then is overdue on 9/29
ACKNOWLEDGE = 'data-testid="action-acknowledge"'
RESOLVE = 'data-testid="action-resolve"'


@pytest.fixture
def escalated(client):
    """An overdue case escalated by the sweep, its department's supervisor logged in (in English)."""
    department = DepartmentFactory()
    supervisor = make_staff(Role.SUPERVISOR, centre=department.centre, department=department)
    with time_machine.travel(ACCEPTED, tick=False):
        case = make_case(department=department, promised_limit_days=1)
    with time_machine.travel(dt.datetime(2026, 9, 29, 1, 0), tick=False):
        run_all()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(supervisor)
    return Escalation.objects.get(case=case), supervisor


def desk(client) -> str:
    response = client.get(reverse("desks:supervision"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_open_escalation_offers_acknowledge_and_resolve_and_names_its_reason(client, escalated):
    escalation, _supervisor = escalated
    page = desk(client)
    assert ACKNOWLEDGE in page and RESOLVE in page
    assert reverse("desks:supervision_act", args=[escalation.pk, "acknowledge"]) in page
    assert "<td>Overdue</td>" in page and "<td>overdue</td>" not in page


def test_an_acknowledged_escalation_offers_resolve_only(client, escalated):
    escalation, supervisor = escalated
    review.acknowledge_escalation(escalation_id=escalation.pk, actor=supervisor, note="已约谈承办人")
    page = desk(client)
    assert "已约谈承办人" in page
    assert ACKNOWLEDGE not in page and RESOLVE in page


def test_the_acknowledge_button_follows_the_graphs_permission(client, escalated, monkeypatch):
    """A rule on the graph (here: nobody may acknowledge) takes the button away; the desk has no
    rule of its own about it."""
    for transition in Escalation.acknowledge._django_fsm.transitions.values():
        monkeypatch.setattr(transition, "permission", lambda escalation, user: False)
    page = desk(client)
    assert ACKNOWLEDGE not in page and RESOLVE in page
