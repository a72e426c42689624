"""The clock: due and warning dates, suspensions, extensions, and what is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.worktime import services
from apps.worktime.calendar import add_working_days
from apps.worktime.codes import SuspensionKind
from apps.worktime.models import Clock, Suspension
from tests.factories import ServiceCentreFactory, UserFactory
from tests.factories.worktime import start_clock

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def centre():
    return ServiceCentreFactory()


def test_a_clock_stores_its_due_and_warning_dates(centre):
    clock = start_clock(centre=centre, started_on=D(2026, 9, 24), limit_days=5)
    # 9/25 (holiday) skipped: 9/28, 9/29, 9/30, 10/8, 10/9
    assert clock.due_on == D(2026, 10, 9)
    assert clock.yellow_on == D(2026, 9, 30)  # two working days remain
    assert clock.red_on == D(2026, 10, 9)  # red on the due date
    assert clock.provisional is False


def test_the_centres_warning_policy_sets_the_thresholds(centre, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_warning_policy(centre=centre, yellow_working_days=3, red_working_days=1)
    clock = start_clock(centre=centre, started_on=D(2026, 9, 24), limit_days=5)
    assert (clock.yellow_on, clock.red_on) == (D(2026, 9, 29), D(2026, 10, 8))


def test_a_one_day_limit_warns_from_the_start(centre):
    clock = start_clock(centre=centre, started_on=D(2026, 3, 2), limit_days=1)
    assert clock.due_on == D(2026, 3, 3)
    assert clock.yellow_on == D(2026, 3, 2)


def test_a_negative_limit_is_refused(centre):
    with pytest.raises(ValidationError) as exc:
        start_clock(centre=centre, started_on=D(2026, 3, 2), limit_days=-1)
    assert "limit_days" in exc.value.message_dict
    assert not Clock.objects.exists()


def test_a_suspension_moves_the_due_date_by_the_working_days_it_stopped(centre):
    clock = start_clock(centre=centre, started_on=D(2026, 9, 1), limit_days=20)
    before = clock.due_on
    actor = UserFactory()
    services.suspend(
        clock_id=clock.pk,
        kind=SuspensionKind.SPECIAL_PROCEDURE,
        procedure="expert_review",
        started_on=D(2026, 9, 28),
        reason="专家评审",
        actor=actor,
    )
    clock.refresh_from_db()
    assert clock.suspended_since == D(2026, 9, 28)
    suspension = services.resume(clock_id=clock.pk, ended_on=D(2026, 10, 9), actor=actor)
    assert suspension.working_days == 4  # 9/28, 9/29, 9/30, 10/8 (National Day does not count)
    clock.refresh_from_db()
    assert clock.due_on == add_working_days(before, 4)
    assert clock.suspended_since is None
    assert suspension.started_by == actor and suspension.ended_by == actor


def test_an_extension_adds_working_days_within_the_allowance(centre):
    clock = start_clock(centre=centre, started_on=D(2026, 6, 1), limit_days=20)
    approver = UserFactory()
    services.extend(clock_id=clock.pk, days=10, reason="情况复杂", approved_by=approver, allowance=15)
    clock.refresh_from_db()
    assert clock.due_on == add_working_days(D(2026, 6, 1), 30)
    with pytest.raises(ValidationError) as exc:
        services.extend(clock_id=clock.pk, days=6, reason="再延", approved_by=approver, allowance=15)
    assert "15" in exc.value.message_dict["days"][0]
    clock.refresh_from_db()
    assert clock.extension_days == 10


def test_suspensions_may_not_overlap_or_run_backwards(centre):
    clock = start_clock(centre=centre, started_on=D(2026, 3, 2), limit_days=20)
    services.suspend(
        clock_id=clock.pk, kind=SuspensionKind.CORRECTION, started_on=D(2026, 3, 9), reason="补正"
    )
    with pytest.raises(ValidationError):
        services.suspend(
            clock_id=clock.pk, kind=SuspensionKind.CORRECTION, started_on=D(2026, 3, 10), reason="x"
        )
    with pytest.raises(ValidationError) as exc:
        services.resume(clock_id=clock.pk, ended_on=D(2026, 3, 6))
    assert "ended_on" in exc.value.message_dict
    services.resume(clock_id=clock.pk, ended_on=D(2026, 3, 12))
    with pytest.raises(ValidationError) as exc:
        services.suspend(
            clock_id=clock.pk, kind=SuspensionKind.CORRECTION, started_on=D(2026, 3, 11), reason="x"
        )
    assert "started_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.resume(clock_id=clock.pk, ended_on=D(2026, 3, 20))  # not suspended
    with pytest.raises(ValidationError) as exc:
        services.suspend(
            clock_id=clock.pk,
            kind=SuspensionKind.SPECIAL_PROCEDURE,
            started_on=D(2026, 3, 16),
            reason="x",
            planned_end_on=D(2026, 3, 13),
            procedure="hearing",
        )
    assert "planned_end_on" in exc.value.message_dict
    assert Suspension.objects.filter(clock=clock).count() == 1


def test_a_special_procedure_names_which(centre):
    clock = start_clock(centre=centre, started_on=D(2026, 3, 2), limit_days=20)
    with pytest.raises(ValidationError) as exc:
        services.suspend(
            clock_id=clock.pk, kind=SuspensionKind.SPECIAL_PROCEDURE, started_on=D(2026, 3, 9), reason="x"
        )
    assert "procedure" in exc.value.message_dict


def test_changing_the_warning_policy_recomputes_the_centres_open_clocks(
    centre, django_capture_on_commit_callbacks
):
    clock = start_clock(centre=centre, started_on=D(2026, 9, 24), limit_days=5)
    other = start_clock(centre=ServiceCentreFactory(), started_on=D(2026, 9, 24), limit_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_warning_policy(centre=centre, yellow_working_days=3, red_working_days=1)
    clock.refresh_from_db()
    other.refresh_from_db()
    assert (clock.yellow_on, clock.red_on) == (D(2026, 9, 29), D(2026, 10, 8))
    assert (other.yellow_on, other.red_on) == (D(2026, 9, 30), D(2026, 10, 9))


def test_a_clock_write_sees_a_calendar_change_made_by_another_process(centre):
    from apps.worktime.models import CalendarDay, CalendarVersion

    start_clock(centre=centre, started_on=D(2026, 7, 1), limit_days=1)  # warms the cache
    CalendarDay.objects.create(date=D(2026, 7, 2), kind="holiday", name="测试", source="local")
    CalendarVersion.objects.filter(pk=1).update(value=4242)
    clock = start_clock(centre=centre, started_on=D(2026, 7, 1), limit_days=1)
    assert clock.due_on == D(2026, 7, 3)


def test_a_stopped_clock_records_the_working_days_it_used_less_the_suspended_ones(centre):
    # Started Monday 2026-03-02; suspended Wednesday to Friday (resumed on Friday: Wednesday and
    # Thursday stopped); stopped the next Monday. Working days after the start: 3/3 … 3/9 = 5; used 3.
    clock = start_clock(centre=centre, started_on=D(2026, 3, 2), limit_days=10)
    services.suspend(
        clock_id=clock.pk,
        kind=SuspensionKind.CORRECTION,
        started_on=D(2026, 3, 4),
        reason="补正",
        actor=UserFactory(),
    )
    services.resume(clock_id=clock.pk, ended_on=D(2026, 3, 6))
    clock.refresh_from_db()
    services.stop_clock(clock=clock, on=D(2026, 3, 9))
    clock.refresh_from_db()
    assert (clock.suspended_days, clock.used_days) == (2, 3)


def test_a_clock_stopped_on_its_first_day_used_none(centre):
    clock = start_clock(centre=centre, started_on=D(2026, 3, 2), limit_days=0)
    services.stop_clock(clock=clock, on=D(2026, 3, 2))
    clock.refresh_from_db()
    assert clock.used_days == 0
