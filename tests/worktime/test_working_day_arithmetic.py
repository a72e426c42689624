"""The arithmetic against the official schedules (docs/working-days.md;
国办发明电〔2024〕12号 and 〔2025〕7号)."""

import datetime as dt

import pytest

from apps.worktime.calendar import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
    working_days_in,
)

pytestmark = pytest.mark.django_db
D = dt.date

OFFICIAL_2026_OFF = [
    D(2026, 1, 1),
    D(2026, 1, 2),
    D(2026, 2, 16),
    D(2026, 2, 20),
    D(2026, 2, 23),
    D(2026, 4, 6),
    D(2026, 5, 1),
    D(2026, 5, 4),
    D(2026, 5, 5),
    D(2026, 6, 19),
    D(2026, 9, 25),
    D(2026, 10, 1),
    D(2026, 10, 7),
]
OFFICIAL_2026_MAKE_UP = [
    D(2026, 1, 4),
    D(2026, 2, 14),
    D(2026, 2, 28),
    D(2026, 5, 9),
    D(2026, 9, 20),
    D(2026, 10, 10),
]
OFFICIAL_2025_OFF = [
    D(2025, 1, 1),
    D(2025, 1, 28),
    D(2025, 2, 4),
    D(2025, 4, 4),
    D(2025, 5, 5),
    D(2025, 6, 2),
    D(2025, 10, 1),
    D(2025, 10, 8),
]
OFFICIAL_2025_MAKE_UP = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]


@pytest.mark.parametrize("day", OFFICIAL_2026_OFF + OFFICIAL_2025_OFF)
def test_statutory_holidays_on_weekdays_are_not_working_days(day):
    assert day.weekday() < 5
    assert not is_working_day(day)


@pytest.mark.parametrize("day", OFFICIAL_2026_MAKE_UP + OFFICIAL_2025_MAKE_UP)
def test_make_up_weekend_days_are_working_days(day):
    assert day.weekday() >= 5
    assert is_working_day(day)


def test_2026_has_248_working_days():
    # 261 weekdays − 19 weekday holidays + 6 make-up weekend days, counted by hand from the notice.
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday before Spring Festival: the make-up Saturday
        (D(2026, 2, 13), 2, D(2026, 2, 24)),  # then the whole festival is skipped
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2026, 2, 13), 6, D(2026, 2, 28)),  # the second make-up Saturday
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # across National Day
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # make-up Saturday after it
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Sunday 9/20 is a make-up working day
        (D(2026, 9, 18), 2, D(2026, 9, 21)),
        (D(2025, 1, 24), 1, D(2025, 1, 26)),  # 2025 Spring Festival: make-up Sunday 1/26
        (D(2025, 1, 24), 3, D(2025, 2, 5)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # 2025 National Day and Mid-autumn, eight days
        (D(2025, 9, 30), 2, D(2025, 10, 10)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # make-up Saturday
    ],
)
def test_due_dates_across_festivals(start, n, due):
    assert add_working_days(start, n) == due


def test_a_filing_accepted_on_a_non_working_day_counts_from_the_next_working_day():
    assert add_working_days(D(2026, 10, 3), 1) == D(2026, 10, 8)  # accepted on a holiday Saturday
    assert add_working_days(D(2026, 11, 21), 1) == D(2026, 11, 23)  # an ordinary Saturday: Monday is day 1


def test_zero_days_is_the_same_day_or_the_next_working_day():
    assert add_working_days(D(2026, 10, 8), 0) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
    assert next_working_day(D(2026, 2, 15)) == D(2026, 2, 24)


def test_counting_back_for_warning_dates():
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert add_working_days(D(2026, 10, 9), -2) == D(2026, 9, 30)


def test_working_days_between_and_in():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert working_days_in(D(2026, 9, 28), D(2026, 10, 9)) == 4  # 9/28, 9/29, 9/30, 10/8
    assert working_days_in(D(2026, 9, 28), D(2026, 9, 28)) == 0


def test_the_2026_2027_boundary_is_provisional_until_2027_is_entered():
    due = add_working_days(D(2026, 12, 30), 3)
    assert due == D(2027, 1, 4)  # 12/31, then Monday–Friday in 2027: 1/1, 1/4
    assert due.provisional is True
    inside = add_working_days(D(2026, 12, 1), 3)
    assert inside.provisional is False


def test_an_unknown_year_logs_a_warning(caplog):
    import apps.worktime.calendar as module

    module._warned_years.discard(2027)
    add_working_days(D(2027, 3, 1), 1)
    assert "calendar for 2027 not entered" in caplog.text


def test_calls_cost_no_sql_after_the_first(django_assert_num_queries):
    add_working_days(D(2026, 3, 2), 10)
    with django_assert_num_queries(0):
        for n in range(200):
            add_working_days(D(2026, 1, 1) + dt.timedelta(days=n), n % 40)
            working_days_between(D(2026, 1, 1), D(2026, 1, 1) + dt.timedelta(days=n))
            is_working_day(D(2026, 1, 1) + dt.timedelta(days=n))


def test_dates_far_outside_the_loaded_range_still_count():
    assert add_working_days(D(2003, 12, 31), 1) == D(2004, 1, 2)  # 2004-01-01 was New Year's Day
    far = add_working_days(D(2040, 1, 6), 5)
    assert far == D(2040, 1, 13) and far.provisional
