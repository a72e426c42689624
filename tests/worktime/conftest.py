import pytest

from apps.worktime import calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test sees the calendar as its database holds it."""
    calendar.invalidate()
    yield
    calendar.invalidate()
