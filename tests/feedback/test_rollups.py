"""The ratings' daily roll-ups: a known data set rolled up to exact counts, and which days a refresh
redoes. ``known_data_set`` is shared with the figures' tests (tests/feedback/test_figures.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Sum

from apps.accounts.models import Department, User, Window
from apps.accounts.roles import Role
from apps.catalogue.models import ServiceItem
from apps.feedback import rollups
from apps.feedback.models import Dimension, Level, RatingRollup, RectificationTicket, RollupMark, TicketState
from apps.ops.models import JobRun
from tests.factories.accounts import DepartmentFactory, make_staff
from tests.factories.cases import comprehensive_window
from tests.factories.catalogue import make_item
from tests.factories.feedback import rating, ticket, visited_filing

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY_A = dt.date(2026, 3, 2)
DAY_B = dt.date(2026, 3, 3)
DAY_C = dt.date(2026, 4, 10)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@dataclass
class KnownSet:
    centre: object
    d1: Department
    d2: Department
    w1: Window
    w2: Window
    s1: User
    s2: User
    i1: ServiceItem
    i2: ServiceItem


def known_data_set(centre=None) -> KnownSet:
    """Fifteen ratings at one centre, over three days and two months (the numbers the tests assert are
    worked out in docs terms beside each group):

    - DAY_A, department 1, window 1, staff 1, item 1: 非常满意 ×2, 满意, 基本满意, 不满意 (ticket closed on
      its due date, late evening: on time), 非常不满意 (ticket open).
    - DAY_A, department 2, window 2, staff 2, item 2: 满意, 基本满意, 不满意 (ticket closed at 07:00 the day
      after its due date: late — still the due date in UTC, so a UTC day would call it on time),
      非常不满意 set aside by an upheld appeal (ticket voided, rating excluded).
    - DAY_B, department 1, window 2, staff 2, item 1: 非常满意, and a 不满意 rectified on time and re-rated
      满意 (it counts as 满意, and as a bad rating rectified).
    - DAY_C, department 2, window 1, staff 2, item 2: 基本满意, 非常不满意 (ticket submitted, not closed).
    """
    filing = visited_filing(centre=centre)
    centre = filing.centre
    d1, d2 = DepartmentFactory(centre=centre), DepartmentFactory(centre=centre)
    w1, w2 = comprehensive_window(centre), comprehensive_window(centre)
    s1 = make_staff(Role.CLERK, centre=centre, window=w1, full_name="甲窗口员")
    s2 = make_staff(Role.CLERK, centre=centre, window=w2, full_name="乙窗口员")
    i1, i2 = make_item(department=d1, name="甲事项"), make_item(department=d2, name="乙事项")
    n = iter(range(1000))

    def rate(day, level, dept, window, staff, item, **kw):
        return rating(
            filing,
            level=level,
            rater_key=f"phone:1390000{next(n):04d}",
            rated_at=at(day),
            department_id=dept.pk,
            window_id=window.pk,
            staff_id=staff.pk,
            item_id=item.pk,
            **kw,
        )

    def closed(of, due_on, closed_at):
        return ticket(of, state=TicketState.CLOSED, due_on=due_on, closed_at=closed_at, opened_at=of.rated_at)

    for level in (Level.VERY_SATISFIED, Level.VERY_SATISFIED, Level.SATISFIED, Level.FAIRLY_SATISFIED):
        rate(DAY_A, level, d1, w1, s1, i1)
    bad = rate(DAY_A, Level.DISSATISFIED, d1, w1, s1, i1)
    closed(bad, dt.date(2026, 3, 20), at(dt.date(2026, 3, 20), 23, 30))
    ticket(rate(DAY_A, Level.VERY_DISSATISFIED, d1, w1, s1, i1), opened_at=at(DAY_A))

    a2 = (d2, w2, s2, i2)
    rate(DAY_A, Level.SATISFIED, *a2)
    rate(DAY_A, Level.FAIRLY_SATISFIED, *a2)
    late = rate(DAY_A, Level.DISSATISFIED, *a2)
    closed(late, dt.date(2026, 3, 20), at(dt.date(2026, 3, 21), 7, 0))
    appealed = rate(DAY_A, Level.VERY_DISSATISFIED, *a2, excluded=True)
    ticket(appealed, state=TicketState.VOIDED, opened_at=at(DAY_A))

    b = (d1, w2, s2, i1)
    rate(DAY_B, Level.VERY_SATISFIED, *b)
    rerated = rate(DAY_B, Level.SATISFIED, *b, rerated_at=at(dt.date(2026, 3, 12)))
    closed(rerated, dt.date(2026, 3, 23), at(dt.date(2026, 3, 10)))

    c = (d2, w1, s2, i2)
    rate(DAY_C, Level.FAIRLY_SATISFIED, *c)
    ticket(rate(DAY_C, Level.VERY_DISSATISFIED, *c), state=TicketState.SUBMITTED, opened_at=at(DAY_C))
    return KnownSet(centre, d1, d2, w1, w2, s1, s2, i1, i2)


COUNTS = ("level_1", "level_2", "level_3", "level_4", "level_5", "bad", "rectified", "rectified_on_time")


def row(dimension, key, day, *, departments=False) -> tuple:
    """The all-departments row's counts; ``departments``: the sum of the departments' rows."""
    found = RatingRollup.objects.filter(
        dimension=dimension, key=key, day=day, department__isnull=not departments
    ).aggregate(**{name: Sum(name) for name in (*COUNTS, "excluded")})
    return tuple(found[name] or 0 for name in (*COUNTS, "excluded"))


def test_a_known_data_set_rolls_up_to_exact_counts():
    known = known_data_set()
    written = rollups.rebuild(DAY_A, DAY_C)

    centre = known.centre.pk
    #                                    1  2  3  4  5 bad rect on-time excluded
    assert row(Dimension.CENTRE, centre, DAY_A) == (2, 2, 2, 2, 1, 3, 2, 1, 1)
    assert row(Dimension.CENTRE, centre, DAY_B) == (1, 1, 0, 0, 0, 1, 1, 1, 0)
    assert row(Dimension.CENTRE, centre, DAY_C) == (0, 0, 1, 0, 1, 1, 0, 0, 0)
    assert row(Dimension.DEPARTMENT, known.d1.pk, DAY_A) == (2, 1, 1, 1, 1, 2, 1, 1, 0)
    assert row(Dimension.DEPARTMENT, known.d2.pk, DAY_A) == (0, 1, 1, 1, 0, 1, 1, 0, 1)
    assert row(Dimension.WINDOW, known.w2.pk, DAY_B) == (1, 1, 0, 0, 0, 1, 1, 1, 0)
    assert row(Dimension.STAFF, known.s2.pk, DAY_C) == (0, 0, 1, 0, 1, 1, 0, 0, 0)
    assert row(Dimension.ITEM, known.i1.pk, DAY_B) == (1, 1, 0, 0, 0, 1, 1, 1, 0)
    # Each department's own rows add up to the all-departments row.
    for dimension, key in [
        (Dimension.CENTRE, centre),
        (Dimension.WINDOW, known.w1.pk),
        (Dimension.STAFF, known.s2.pk),
    ]:
        for day in (DAY_A, DAY_B, DAY_C):
            assert row(dimension, key, day, departments=True) == row(dimension, key, day)
    assert row(Dimension.WINDOW, known.w1.pk, DAY_A, departments=True) == (2, 1, 1, 1, 1, 2, 1, 1, 0)
    # All departments: 3 centre rows (one a day) and 4 of each other dimension; by department, 4 of each.
    assert RatingRollup.objects.filter(department__isnull=True).count() == 3 + 4 * 4
    assert written == RatingRollup.objects.count() == 3 + 4 * 4 + 5 * 4
    assert not RatingRollup.objects.filter(day=dt.date(2026, 3, 4)).exists()


def test_a_rebuild_twice_writes_the_same_rows():
    known_data_set()
    rollups.rebuild(DAY_A, DAY_C)
    first = sorted(RatingRollup.objects.values_list("day", "dimension", "key", *COUNTS))
    rollups.rebuild(DAY_A, DAY_C)
    rollups.refresh_days([DAY_A, DAY_B])
    assert sorted(RatingRollup.objects.values_list("day", "dimension", "key", *COUNTS)) == first


def test_an_online_act_has_no_window_row():
    known = known_data_set()
    rating(visited_filing(centre=known.centre), level=Level.SATISFIED, rated_at=at(DAY_B), window_id=None)
    rollups.rebuild(DAY_B, DAY_B)
    assert row(Dimension.CENTRE, known.centre.pk, DAY_B)[:2] == (1, 2)
    # One window row for all departments, one for department 1.
    assert RatingRollup.objects.filter(dimension=Dimension.WINDOW, day=DAY_B).count() == 2


def test_a_refresh_redoes_the_days_that_changed_and_today():
    with time_machine.travel(at(DAY_C, 12), tick=False):
        known = known_data_set()
    with time_machine.travel(at(dt.date(2026, 4, 20)), tick=False):
        first = rollups.refresh()
    # No refresh before: every day with ratings, and today.
    assert first["days_refreshed"] == 4
    assert RollupMark.objects.get(name=rollups.MARK).at == at(dt.date(2026, 4, 20))

    with time_machine.travel(at(dt.date(2026, 4, 21)), tick=False):
        # Today's rating is counted the same day; a ticket closed today moves its rating's day.
        rating(
            visited_filing(centre=known.centre),
            level=Level.VERY_SATISFIED,
            rated_at=at(dt.date(2026, 4, 21)),
        )
        submitted = RectificationTicket.objects.get(state=TicketState.SUBMITTED)
        RectificationTicket.objects.filter(pk=submitted.pk).update(
            state=TicketState.CLOSED, closed_at=at(dt.date(2026, 4, 21)), updated_at=at(dt.date(2026, 4, 21))
        )
        second = rollups.refresh()
    assert second["days_refreshed"] == 2  # DAY_C (its ticket) and today
    assert row(Dimension.CENTRE, known.centre.pk, DAY_C) == (0, 0, 1, 0, 1, 1, 1, 1, 0)
    assert row(Dimension.CENTRE, known.centre.pk, dt.date(2026, 4, 21))[0] == 1
    # DAY_A was not rewritten: its rows keep the first refresh's time.
    assert set(RatingRollup.objects.filter(day=DAY_A).values_list("refreshed_at", flat=True)) == {
        at(dt.date(2026, 4, 20))
    }


def test_the_job_records_its_run():
    from apps.feedback.figure_tasks import refresh_rating_rollups

    known_data_set()
    result = refresh_rating_rollups()
    run = JobRun.objects.get(name="rating_rollups")
    assert run.outcome == JobRun.Outcome.SUCCEEDED
    assert run.changes == result and result["rows_written"] >= 20
