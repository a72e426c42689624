"""A planted set of findings for the anomalies page and API: two centres, two departments in the
first; findings of several rules on several days, some of the whole centre (department empty). The
page and the API read stored findings (the rules are tested in test_anomaly_rules.py), so they are
planted as the scan stores them. ``expected`` counts by hand what each reader sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from apps.cases.models import Case, Filing
from apps.supervision.models import Anomaly, AnomalyRule
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.cases import make_filing
from tests.factories.catalogue import make_item

D = dt.date
R = AnomalyRule


@dataclass
class World:
    centre: object
    other_centre: object
    food: object  # department
    health: object  # department
    elsewhere: object  # a department of the other centre
    filing: Filing


def anomaly(
    rule, *, centre, department=None, subject=Case, subject_id=1, filing=None, day, detail=None, n=""
):
    return Anomaly.objects.create(
        rule=rule,
        centre=centre,
        department=department,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject_id,
        filing=filing,
        fingerprint=n,
        day=day,
        detail=detail or {},
    )


def plant() -> World:
    centre, other_centre = ServiceCentreFactory(), ServiceCentreFactory()
    food, health = DepartmentFactory(centre=centre), DepartmentFactory(centre=centre)
    elsewhere = DepartmentFactory(centre=other_centre)
    filing = make_filing(items=[make_item(department=food)])
    late = {"due_on": "2026-03-02", "decided_on": "2026-03-04"}
    # The first centre: food 3 late (3/4, 3/10, 4/1), 1 returned twice (3/5); health 1 late (3/6),
    # 1 without opinion (3/20); the whole centre: 1 bulk clicking (3/7).
    for i, day in enumerate((D(2026, 3, 4), D(2026, 3, 10), D(2026, 4, 1))):
        anomaly(
            R.DECIDED_LATE,
            centre=centre,
            department=food,
            subject_id=100 + i,
            filing=filing,
            day=day,
            detail=late,
        )
    anomaly(
        R.RETURNED_TWICE,
        centre=centre,
        department=food,
        subject=Filing,
        subject_id=filing.pk,
        filing=filing,
        day=D(2026, 3, 5),
        detail={"material": 7, "material_name": "租赁合同", "earlier": ["A-1"]},
        n="material:7",
    )
    anomaly(R.DECIDED_LATE, centre=centre, department=health, subject_id=200, day=D(2026, 3, 6), detail=late)
    anomaly(
        R.DECISION_WITHOUT_OPINION,
        centre=centre,
        department=health,
        subject_id=201,
        day=D(2026, 3, 20),
        detail={"transition": "approve", "at": "2026-03-20T10:00:00+08:00", "actor": "李审批"},
        n="log:1",
    )
    anomaly(
        R.BULK_CLICKING,
        centre=centre,
        subject=get_user_model(),
        subject_id=300,
        day=D(2026, 3, 7),
        detail={
            "transition": "accept",
            "at": "2026-03-07T09:00:00+08:00",
            "filings": 6,
            "actor": "王窗口",
            "username": "wang",
        },
        n="accept@2026-03-07T01:00:00",
    )
    # The other centre: 2 late.
    for i in range(2):
        anomaly(
            R.DECIDED_LATE, centre=other_centre, department=elsewhere, subject_id=400 + i, day=D(2026, 3, 4)
        )
    return World(centre, other_centre, food, health, elsewhere, filing)
