from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.ops.jobs import record_run
from apps.ops.models import JobRun
from apps.ops.tasks import heartbeat
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_heartbeat_records_its_run_and_prunes_old_history(settings):
    old = JobRun.objects.create(
        name="heartbeat",
        started_at=timezone.now() - timedelta(days=settings.HALL_JOB_HISTORY_DAYS + 1),
        finished_at=timezone.now(),
        duration_ms=1,
        outcome=JobRun.Outcome.SUCCEEDED,
    )
    heartbeat.delay()
    assert not JobRun.objects.filter(pk=old.pk).exists()
    run = JobRun.objects.get(name="heartbeat")
    assert run.changes == {"pruned_runs": 1}


def test_a_failing_job_is_recorded_as_failed_and_the_error_still_raised():
    with pytest.raises(ZeroDivisionError), record_run("broken") as changes:
        changes["before"] = 1
        1 / 0  # noqa: B018
    run = JobRun.objects.get(name="broken")
    assert run.outcome == JobRun.Outcome.FAILED
    assert "ZeroDivisionError" in run.error
    assert run.changes == {"before": 1}


def test_jobs_page_shows_the_latest_run_of_each_job_in_constant_queries(
    client, django_assert_max_num_queries
):
    client.force_login(make_staff(Role.SUPERVISOR))
    base = timezone.now()

    def add_runs(name, n):
        JobRun.objects.bulk_create(
            JobRun(
                name=name,
                started_at=base - timedelta(minutes=i),
                finished_at=base,
                duration_ms=i,
                outcome=JobRun.Outcome.SUCCEEDED,
                changes={"i": i},
            )
            for i in range(n)
        )

    add_runs("heartbeat", 3)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("ops:job_runs")).content.decode()
    add_runs("sweep", 50)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("ops:job_runs")).content.decode()
    assert page.count("<tr data-job=") == 2
    assert "i: 0" in page  # the newest run (i = 0) of each job is the one shown
    assert "i: 1" not in page
