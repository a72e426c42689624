"""The hall flow's periodic jobs: each is scheduled by beat, runs its owner's function and is recorded
(ops.JobRun) with what it changed; the slots are generated for every centre, again when beat starts."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from apps.ops.models import JobRun
from apps.visits import tasks
from apps.visits.models import AppointmentSlot
from apps.worktime import calendar
from tests.factories import ServiceCentreFactory
from tests.factories.visits import ServiceAreaFactory, open_hall

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


def test_the_slot_job_generates_every_centres_horizon_once_and_is_recorded(settings):
    settings.HALL_BOOKING_DAYS = 2
    first, second = ServiceCentreFactory(), ServiceCentreFactory()
    for centre in (first, second):
        open_hall(centre)
    ServiceAreaFactory(centre=first)
    ServiceAreaFactory(centre=second)
    ServiceAreaFactory(centre=second, is_active=False)
    ServiceCentreFactory()  # no area: nothing to generate
    # Thursday 24 September 2026 and, after the holiday, Monday the 28th: 13 slots a day.
    with time_machine.travel(dt.datetime(2026, 9, 24, 0, 5, tzinfo=SHANGHAI), tick=False):
        assert tasks.generate_slots.delay().get() == {"slots_created": 2 * 2 * 13}
        assert tasks.generate_slots.delay().get() == {"slots_created": 0}
    assert set(AppointmentSlot.objects.values_list("date", flat=True)) == {
        dt.date(2026, 9, 24),
        dt.date(2026, 9, 28),
    }
    runs = list(
        JobRun.objects.filter(name="appointment_slots").order_by("pk").values_list("changes", "outcome")
    )
    assert runs == [({"slots_created": 52}, "succeeded"), ({"slots_created": 0}, "succeeded")]


@pytest.mark.parametrize(
    ("job", "name", "key"),
    [
        (tasks.send_appointment_reminders, "appointment_reminders", "reminders_sent"),
        (tasks.record_no_shows, "appointment_no_shows", "no_shows_recorded"),
        (tasks.close_ticket_day, "ticket_day_close", "tickets_abandoned"),
    ],
)
def test_each_job_runs_its_owners_function_and_is_recorded(job, name, key):
    assert job.delay().get() == {key: 0}
    assert JobRun.objects.get(name=name).changes == {key: 0}


def test_beat_schedules_every_visits_job():
    from hall.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    jobs = {
        tasks.generate_slots,
        tasks.send_appointment_reminders,
        tasks.record_no_shows,
        tasks.close_ticket_day,
    }
    assert {job.name for job in jobs} <= scheduled
    assert all(job.name in app.tasks for job in jobs)


def test_beat_asks_for_the_slots_when_it_starts(monkeypatch):
    """The schedule file may say the hourly run is not due: starting beat sends the job itself."""
    from celery import signals

    from hall import celery

    sent = []
    monkeypatch.setattr(celery.app, "send_task", lambda name, *args, **kwargs: sent.append(name))
    signals.beat_init.send(sender=None)
    assert sent == [tasks.generate_slots.name]
