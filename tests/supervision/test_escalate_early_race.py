"""Early escalations at the same moment, on PostgreSQL where they really overlap: two supervisors
escalating one case make one escalation (the second told of the first), and an early escalation racing
the deadline sweep leaves one open escalation whichever wins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from apps.cases.models import Escalation
from apps.cases.review import services
from apps.cases.sweeps import escalate, sweep_warnings
from apps.core.errors import Conflict
from tests.concurrency import together
from tests.factories import make_staff
from tests.supervision.at_risk_world import SWEPT, build, on

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

NEXT_WORKING_DAY = dt.date(2026, 10, 10)  # the red 5-day case is overdue, not yet escalated


def test_two_supervisors_at_once_make_one_escalation():
    from apps.accounts.roles import Role

    world = build(limits_x=(5,), limits_y=(), limit_z=0, decided=False)
    second = make_staff(Role.SUPERVISOR, centre=world.centre, department=world.x)
    case_id = world.cases["x5"].pk

    def by(user, note):
        return lambda: services.escalate_early(case_id=case_id, actor=user, note=note)

    with on(SWEPT):
        results = together(by(world.centre_supervisor, "请说明进度"), by(second, "今日到期"))
    made = [r for r in results if isinstance(r, Escalation)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(made) == 1 and len(refused) == 1, results
    assert SWEPT.isoformat() in refused[0].message
    assert list(Escalation.objects.filter(case_id=case_id, resolved_at__isnull=True)) == made


def test_an_early_escalation_racing_the_sweep_leaves_one_open():
    world = build(limits_x=(5,), limits_y=(), limit_z=0, decided=False)
    case_id = world.cases["x5"].pk
    with on(NEXT_WORKING_DAY):
        with transaction.atomic():
            sweep_warnings()  # now overdue: the sweep's next step would escalate it
        results = together(
            lambda: services.escalate_early(case_id=case_id, actor=world.centre_supervisor, note="请说明"),
            escalate,
        )
    [open_one] = Escalation.objects.filter(case_id=case_id, resolved_at__isnull=True)
    early, swept = results
    if isinstance(early, Escalation):
        assert open_one == early and swept["escalations_opened"] == 0
    else:
        assert isinstance(early, Conflict), results
        assert open_one.reason == "overdue" and swept["escalations_opened"] == 1
