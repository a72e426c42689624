"""A planted world for the work dashboard (desks:work_figures): roll-up rows written by hand (the
dashboard reads roll-ups only; how they are computed from filings is tests/supervision/test_work_rollups.py),
a few queue tickets and rating roll-ups, in one centre with two departments, and another centre whose
figures must never show.

The right answers are worked out here, by hand, from the plan below (never by the code under test).
March 2026, the whole centre:
- decided 3+1 (民政局, 2 Mar) + 2 (市场监管, 2 Mar) + 2 (民政局, 3 Mar) = 8: at a window 3+2 = 5, online
  1+2 = 3, assisted 0; online share 3/8 = 37.5 %;
- first-time pass rate (3+1+2)/(4+2+2) = 6/8 = 75.0 %;
- on-time rate 2/(2+1) = 66.7 %; average days used (6+9)/3 = 5.0, promised (10+5)/3 = 5.0, legal
  (40+20)/3 = 20.0;
- 容缺 accepted 1, cleared 1, lapsed 0; 免证 materials 3; certificates 2, posted 1, collected 1;
- queue tickets 2, waits 10 and 20 minutes: average 15.0, longest 20.0;
- ratings: 民政局's 3 非常满意 + 1 满意 + 1 不满意 and 市场监管's 2 非常不满意 = 7, satisfied 4: 57.1 %.
March, 市场监管 alone: decided 2, pass 1/2 = 50.0 %, on time 0/1 = 0.0 %, days used 9.0; ratings 2
非常不满意: 0.0 %; no tickets (a centre's, not a department's).
1 April (outside March): 5 more decided at 民政局's window. The other centre: 100 decided, 2 March.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from apps.accounts.models import Department, ServiceCentre, Window
from apps.feedback.models import Dimension as RatingDimension
from apps.feedback.models import RatingRollup
from apps.supervision.models import Dimension, WorkRollup
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.cases import comprehensive_window
from tests.factories.catalogue import make_item
from tests.factories.visits import ServiceAreaFactory, make_ticket

MARCH_2 = dt.date(2026, 3, 2)
MARCH_3 = dt.date(2026, 3, 3)
APRIL_1 = dt.date(2026, 4, 1)

# (department, day) → the counts of that department's work that day (everything else 0).
CIVIL_MARCH_2 = dict(
    decided_window=3,
    decided_online=1,
    accepted=3,
    returned=1,
    first_decisions=4,
    first_time_passed=3,
    cases_decided=2,
    cases_approved=2,
    cases_on_time=2,
    days_counted=2,
    days_used=6,
    days_promised=10,
    days_legal=40,
    certificates_issued=2,
    documents_posted=1,
    documents_collected=1,
)
MARKET_MARCH_2 = dict(
    decided_window=2,
    accepted=1,
    refused=1,
    first_decisions=2,
    first_time_passed=1,
    cases_decided=1,
    cases_approved=1,
    days_counted=1,
    days_used=9,
    days_promised=5,
    days_legal=20,
)
CIVIL_MARCH_3 = dict(
    decided_online=2,
    accepted=1,
    accepted_with_deficiency=1,
    first_decisions=2,
    first_time_passed=2,
    deficiencies_cleared=1,
    materials_by_certificate=3,
)
CIVIL_APRIL_1 = dict(decided_window=5, accepted=5, first_decisions=5, first_time_passed=5)
OTHER_MARCH_2 = dict(decided_window=100, accepted=100, first_decisions=100, first_time_passed=100)


@dataclass
class World:
    centre: ServiceCentre
    civil: Department
    market: Department
    window: Window
    other: ServiceCentre
    other_department: Department


def _rows(day, centre, department, item_lineage, window, counts) -> list[WorkRollup]:
    """The rows one department's day adds: its own (department set) and the centre's (NULL)."""
    now = timezone.now()
    rows = []
    for dept in (department, None):
        keys = {
            Dimension.CENTRE: centre.pk,
            Dimension.DEPARTMENT: department.pk,
            Dimension.ITEM: item_lineage,
            Dimension.WINDOW: window.pk,
        }
        for dimension, key in keys.items():
            rows.append(
                WorkRollup(
                    day=day,
                    centre=centre,
                    department=dept,
                    dimension=dimension,
                    key=key,
                    refreshed_at=now,
                    **counts,
                )
            )
    return rows


def _merge(rows: list[WorkRollup]) -> list[WorkRollup]:
    """One row per (day, department, dimension, key): two departments' days add up in the centre's."""
    merged: dict[tuple, WorkRollup] = {}
    for row in rows:
        key = (row.day, row.centre_id, row.department_id, row.dimension, row.key)
        if key in merged:
            into = merged[key]
            for field in WorkRollup._meta.concrete_fields:
                if isinstance(field.default, int) and field.name not in ("id",):
                    setattr(into, field.name, getattr(into, field.name) + getattr(row, field.name))
        else:
            merged[key] = row
    return list(merged.values())


def plant(*, extra_departments: int = 0, extra_days: int = 0) -> World:
    """The world of the module's docstring; ``extra_departments`` / ``extra_days`` add departments and
    days of work (to show the queries do not grow with them)."""
    centre = ServiceCentreFactory(name="城东政务服务中心")
    civil = DepartmentFactory(centre=centre, name="民政局")
    market = DepartmentFactory(centre=centre, name="市场监督管理局")
    window = comprehensive_window(centre)
    other = ServiceCentreFactory(name="城西政务服务中心")
    other_department = DepartmentFactory(centre=other, name="城西民政局")
    other_window = comprehensive_window(other)
    civil_item = make_item(department=civil, name="婚姻登记")
    market_item = make_item(department=market, name="个体工商户登记")
    other_item = make_item(department=other_department, name="城西婚姻登记")

    rows = [
        *_rows(MARCH_2, centre, civil, civil_item.lineage_id, window, CIVIL_MARCH_2),
        *_rows(MARCH_2, centre, market, market_item.lineage_id, window, MARKET_MARCH_2),
        *_rows(MARCH_3, centre, civil, civil_item.lineage_id, window, CIVIL_MARCH_3),
        *_rows(APRIL_1, centre, civil, civil_item.lineage_id, window, CIVIL_APRIL_1),
        *_rows(MARCH_2, other, other_department, other_item.lineage_id, other_window, OTHER_MARCH_2),
    ]
    for n in range(extra_departments):
        department = DepartmentFactory(centre=centre, name=f"加测部门{n}")
        item = make_item(department=department, name=f"加测事项{n}")
        rows += _rows(MARCH_3, centre, department, item.lineage_id, comprehensive_window(centre), {})
    for n in range(extra_days):
        rows += _rows(MARCH_3 + dt.timedelta(days=n + 1), centre, civil, civil_item.lineage_id, window, {})
    WorkRollup.objects.bulk_create(_merge(rows))

    # Tickets: two waits of the centre on 2 March, 10 and 20 minutes; one of the other centre.
    area = ServiceAreaFactory(centre=centre)
    nine = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))
    for minutes in (10, 20):
        make_ticket(area, at=nine, first_called_at=nine + dt.timedelta(minutes=minutes))
    make_ticket(ServiceAreaFactory(centre=other), at=nine, first_called_at=nine + dt.timedelta(minutes=90))

    # Ratings of 2 March: 民政局 3 非常满意, 1 满意, 1 不满意; 市场监管 2 非常不满意; the centre's row
    # (no department) the two together.
    now = timezone.now()

    def ratings(department, **levels):
        return RatingRollup(
            day=MARCH_2,
            centre=centre,
            department=department,
            dimension=RatingDimension.CENTRE,
            key=centre.pk,
            refreshed_at=now,
            **levels,
        )

    RatingRollup.objects.bulk_create(
        [
            ratings(None, level_1=3, level_2=1, level_4=1, level_5=2, bad=3),
            ratings(civil, level_1=3, level_2=1, level_4=1, bad=1),
            ratings(market, level_5=2, bad=2),
        ]
    )
    return World(centre, civil, market, window, other, other_department)
