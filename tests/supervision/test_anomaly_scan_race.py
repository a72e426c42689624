"""Two anomaly scans at once (the beat job overlapping a manual run), on PostgreSQL where they really
overlap: each finding is stored once, and neither scan fails."""

import datetime as dt

import pytest
import time_machine

from apps.accounts.roles import Role
from apps.cases.models import Outcome
from apps.cases.review import services
from apps.supervision.anomalies import scan
from apps.supervision.models import Anomaly, AnomalyRule, RefreshMark
from tests.concurrency import together
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_scans_at_once_store_each_finding_once():
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0, tzinfo=dt.UTC), tick=False):
        cases = [make_case(department=department) for _ in range(4)]
        for case in cases:
            services.claim(case_id=case.pk, actor=approver)
            services.decide(
                case_id=case.pk,
                actor=approver,
                outcome=Outcome.APPROVE,
                holder="张三",
                scope="预包装食品销售",
            )
    results = together(scan, scan)
    assert all(isinstance(result, dict) for result in results), results
    assert [r["decision_without_opinion"] for r in results] == [4, 4]
    assert sorted(
        Anomaly.objects.filter(rule=AnomalyRule.DECISION_WITHOUT_OPINION).values_list("subject_id", flat=True)
    ) == sorted(c.pk for c in cases)
    assert RefreshMark.objects.filter(name="anomalies").count() == 1
