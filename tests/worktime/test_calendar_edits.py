"""Entering a year and local closures: what is refused, and the clocks they recompute."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.ops.models import JobRun
from apps.worktime import calendar, services
from apps.worktime.calendar import add_working_days
from apps.worktime.models import CalendarDay, CalendarVersion, CalendarYear, Clock
from apps.worktime.notice import parse_notice
from apps.worktime.services import HolidayRange, MakeUpDay
from tests.factories import ServiceCentreFactory
from tests.factories.worktime import start_clock

pytestmark = pytest.mark.django_db
D = dt.date

NOTICE_2027 = """
# a schedule in the shape of the State Council's notice (dates invented for the test)
元旦 放假 2027-01-01 至 2027-01-03
春节 放假 2027-02-06 至 2027-02-13
春节 上班 2027-02-14, 2027-02-20
劳动节 放假 2027-05-01 至 2027-05-05
劳动节 上班 2027-04-25
"""


def enter_2027(**kwargs):
    holidays, workdays = parse_notice(NOTICE_2027)
    return services.enter_year(year=2027, holidays=holidays, workdays=workdays, notice="测试通知", **kwargs)


def test_entering_a_year_makes_its_dates_final_and_recomputes_provisional_clocks(
    django_capture_on_commit_callbacks,
):
    centre = ServiceCentreFactory()
    clock = start_clock(centre=centre, started_on=D(2026, 12, 30), limit_days=3)
    assert (clock.due_on, clock.provisional) == (D(2027, 1, 4), True)
    untouched = start_clock(centre=centre, started_on=D(2026, 3, 2), limit_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        enter_2027()
    clock.refresh_from_db()
    assert (clock.due_on, clock.provisional) == (D(2027, 1, 5), False)  # 12/31, then 1/4, 1/5: 1/1–3 off
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 14)
    run = JobRun.objects.get(name="calendar_recompute")
    assert run.changes["clocks_changed"] == 1
    untouched.refresh_from_db()
    assert untouched.due_on == D(2026, 3, 5)


def test_a_make_up_day_must_be_a_weekend_day():
    with pytest.raises(ValidationError) as exc:
        services.enter_year(
            year=2027,
            holidays=[HolidayRange("元旦", D(2027, 1, 1), D(2027, 1, 1))],
            workdays=[MakeUpDay("春节", D(2027, 2, 15))],
        )
    assert "2027-02-15" in " ".join(exc.value.messages)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_a_date_cannot_be_both_holiday_and_working_day():
    with pytest.raises(ValidationError) as exc:
        services.enter_year(
            year=2027,
            holidays=[HolidayRange("元旦", D(2027, 1, 1), D(2027, 1, 3))],
            workdays=[MakeUpDay("元旦", D(2027, 1, 2))],
        )
    assert "2027-01-02" in " ".join(exc.value.messages)


def test_a_year_is_entered_once_and_ranges_run_forwards():
    with pytest.raises(ValidationError):
        services.enter_year(
            year=2026, holidays=[HolidayRange("元旦", D(2026, 1, 1), D(2026, 1, 1))], workdays=[]
        )
    with pytest.raises(ValidationError) as exc:
        services.enter_year(
            year=2027, holidays=[HolidayRange("元旦", D(2027, 1, 3), D(2027, 1, 1))], workdays=[]
        )
    assert "元旦" in " ".join(exc.value.messages)


def test_the_notice_parser_names_the_bad_line():
    with pytest.raises(ValidationError) as exc:
        parse_notice("元旦 放假 2027-01-01\n春节 休假 2027-02-06\n端午 上班 2027/06/12")
    text = " ".join(exc.value.messages)
    assert "2" in text and "3" in text


def test_a_local_closure_moves_only_that_centres_clocks(django_capture_on_commit_callbacks):
    closed, other = ServiceCentreFactory(), ServiceCentreFactory()
    a = start_clock(centre=closed, started_on=D(2026, 6, 1), limit_days=5)
    b = start_clock(centre=other, started_on=D(2026, 6, 1), limit_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_closure(centre=closed, first=D(2026, 6, 3), last=D(2026, 6, 4), name="搬迁闭厅")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.due_on == D(2026, 6, 10)
    assert b.due_on == D(2026, 6, 8)
    with pytest.raises(ValidationError):
        services.add_closure(centre=closed, first=D(2026, 6, 4), last=D(2026, 6, 5), name="重复")


def test_another_process_notices_a_calendar_change(settings):
    assert calendar.is_working_day(D(2026, 7, 1))
    # What another process would do: change the rows and move the version, without invalidate().
    CalendarDay.objects.create(date=D(2026, 7, 1), kind="holiday", name="测试", source="local")
    CalendarVersion.objects.filter(pk=1).update(value=999)
    assert calendar.is_working_day(D(2026, 7, 1))  # within the check interval: still cached
    settings.HALL_CALENDAR_CHECK_SECONDS = 0
    assert not calendar.is_working_day(D(2026, 7, 1))


def test_recompute_is_set_based(django_assert_max_num_queries):
    centre = ServiceCentreFactory()
    for day in range(1, 29):
        start_clock(centre=centre, started_on=D(2026, 12, day), limit_days=10)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d, kind="holiday", name="元旦", source="statutory")
        for d in (D(2027, 1, 1), D(2027, 1, 4))
    )
    CalendarYear.objects.create(year=2027)
    CalendarVersion.objects.filter(pk=1).update(value=1000)
    with django_assert_max_num_queries(8):
        changed = services.recompute_clocks(date_from=D(2027, 1, 1), date_to=D(2027, 12, 31))
    assert changed == Clock.objects.filter(due_on__year=2027).count() > 0
    assert not Clock.objects.filter(provisional=True).exists()


@pytest.mark.django_db(transaction=True)
def test_the_statutory_calendar_survives_a_flush():
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    calendar.invalidate()
    assert CalendarYear.objects.filter(year=2026).exists()
    assert not calendar.is_working_day(D(2026, 10, 8 - 1))  # 10/7 National Day
