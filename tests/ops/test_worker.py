import pytest

from apps.ops.models import JobRun
from apps.ops.tasks import heartbeat
from tests.workers import celery_worker


@pytest.mark.needs_worker
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_runs_in_a_separate_worker_process():
    import os

    with celery_worker() as (worker, queue):
        result = heartbeat.apply_async(queue=queue)
        payload = result.get(timeout=90)
    assert payload["pid"] == worker.pid
    assert payload["pid"] != os.getpid()
    run = JobRun.objects.get(name="heartbeat")
    assert run.pid == worker.pid
    assert run.outcome == JobRun.Outcome.SUCCEEDED
