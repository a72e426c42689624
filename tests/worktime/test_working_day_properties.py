"""Properties of the arithmetic over the real calendar (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.worktime import services
from apps.worktime.calendar import add_working_days, is_working_day, working_days_between, working_days_in
from tests.factories import ServiceCentreFactory
from tests.factories.worktime import start_clock

pytestmark = pytest.mark.django_db
PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2027, 12, 31))


@PROPERTY
@given(start=dates, n=st.integers(min_value=1, max_value=120))
def test_adding_n_working_days_then_counting_back_gives_n(start, n):
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert working_days_between(start, due) == n
    assert add_working_days(due, -n) == add_working_days(start, 0) or not is_working_day(start)


@PROPERTY
@given(start=dates, n=st.integers(min_value=0, max_value=120))
def test_the_result_is_a_working_day_and_never_before_the_start(start, n):
    due = add_working_days(start, n)
    assert due >= start
    assert is_working_day(due)


@PROPERTY
@given(
    start=dates,
    limit=st.integers(min_value=1, max_value=60),
    offset=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=0, max_value=40),
)
def test_a_suspension_of_k_working_days_moves_the_due_date_by_exactly_k(start, limit, offset, length):
    centre = ServiceCentreFactory()
    clock = start_clock(centre=centre, started_on=start, limit_days=limit)
    suspended_from = start + dt.timedelta(days=offset)
    resumed_on = suspended_from + dt.timedelta(days=length)
    services.suspend(clock_id=clock.pk, kind="correction", started_on=suspended_from, reason="补正")
    suspension = services.resume(clock_id=clock.pk, ended_on=resumed_on)
    k = suspension.working_days
    assert k == working_days_in(suspended_from, resumed_on)
    clock.refresh_from_db()
    assert clock.due_on == add_working_days(start, limit + k)
    assert working_days_between(add_working_days(start, limit), clock.due_on) == k
