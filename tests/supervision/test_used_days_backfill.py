"""worktime 0006: the working days used of clocks stopped before ``Clock.used_days`` existed, counted
as ``stop_clock`` counts them (holidays, make-up days and a centre's closures), so the average time
taken counts the cases decided before the work figures."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from apps.worktime import calendar
from apps.worktime.codes import DayKind, DaySource
from apps.worktime.models import CalendarDay, Clock
from tests.factories.accounts import ServiceCentreFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("apps.worktime.migrations.0006_backfill_clock_used_days").backfill

D = dt.date


def stopped_clock(centre, started_on, stopped_on, *, suspended_days=0, used_days=None):
    return Clock.objects.create(
        centre=centre,
        started_on=started_on,
        limit_days=10,
        suspended_days=suspended_days,
        due_on=stopped_on,
        yellow_on=stopped_on,
        red_on=stopped_on,
        stopped_on=stopped_on,
        used_days=used_days,
    )


def test_stopped_clocks_get_their_working_days_used():
    centre, closed = ServiceCentreFactory(), ServiceCentreFactory()
    CalendarDay.objects.create(
        date=D(2026, 10, 8), kind=DayKind.CLOSURE, name="闭厅", source=DaySource.LOCAL, centre=closed
    )
    calendar.invalidate()
    # (30 Sep, 9 Oct]: 1–7 October are the National Day holiday; the 8th and 9th are working days.
    plain = stopped_clock(centre, D(2026, 9, 30), D(2026, 10, 9))
    suspended = stopped_clock(centre, D(2026, 9, 30), D(2026, 10, 9), suspended_days=1)
    at_closed = stopped_clock(closed, D(2026, 9, 30), D(2026, 10, 9))
    # (Fri 9 Oct, Mon 12 Oct]: Saturday the 10th is a make-up working day.
    make_up = stopped_clock(centre, D(2026, 10, 9), D(2026, 10, 12))
    more_suspended = stopped_clock(centre, D(2026, 10, 9), D(2026, 10, 12), suspended_days=5)
    known = stopped_clock(centre, D(2026, 3, 2), D(2026, 3, 9), used_days=7)
    running = Clock.objects.create(
        centre=centre,
        started_on=D(2026, 3, 2),
        limit_days=5,
        due_on=D(2026, 3, 9),
        yellow_on=D(2026, 3, 5),
        red_on=D(2026, 3, 9),
    )

    backfill(apps, None)

    used = {clock.pk: clock.used_days for clock in Clock.objects.all()}
    assert used == {
        plain.pk: 2,
        suspended.pk: 1,
        at_closed.pk: 1,
        make_up.pk: 2,
        more_suspended.pk: 0,  # never below nothing
        known.pk: 7,  # set when it stopped: left alone
        running.pk: None,
    }
    # The same as the live calendar's count, which stop_clock stores.
    for clock in (plain, at_closed, make_up):
        assert used[clock.pk] == calendar.working_days_between(
            clock.started_on, clock.stopped_on, clock.centre_id
        )


def test_nothing_to_fill():
    backfill(apps, None)
    assert not Clock.objects.exists()
