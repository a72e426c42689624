"""Under PostgreSQL + Redis: a real worker runs the deadline sweep and delivers notifications; a
worker killed in the middle of a delivery batch loses nothing, and what it sends again carries the
same idempotency key as before."""

import datetime as dt
import json
import signal
import time

import pytest
import time_machine

from apps.cases.tasks import sweep_deadlines
from apps.notifications.models import Outbox, OutboxState
from apps.notifications.services import Recipient, notify
from apps.notifications.tasks import deliver_notifications
from apps.ops.models import JobRun
from tests.factories import DepartmentFactory
from tests.factories.cases import make_case
from tests.workers import celery_worker


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.needs_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_sweeps_and_delivers(tmp_path):
    record = tmp_path / "sms.jsonl"
    with time_machine.travel(dt.datetime(2020, 3, 2, 2, 0), tick=False):  # long overdue by now
        case = make_case(department=DepartmentFactory(), promised_limit_days=1)
    env = {
        "HALL_SMS_GATEWAY": "apps.notifications.channels.RecordingSmsGateway",
        "HALL_SMS_RECORD_FILE": str(record),
    }
    with celery_worker(extra_env=env) as (worker, queue):
        changes = sweep_deadlines.apply_async(queue=queue).get(timeout=90)
        assert changes["escalations_opened"] == 1
        sent = deliver_notifications.apply_async(queue=queue).get(timeout=90)
    case.refresh_from_db()
    assert case.warning == "overdue" and case.escalations.count() == 1
    assert JobRun.objects.get(name="deadline_sweep").pid == worker.pid
    # The acceptance message to the applicant's phone went out through the worker's gateway.
    accepted = Outbox.objects.get(event="accepted", channel="sms")
    assert accepted.state == OutboxState.SENT and sent["sent"] >= 1
    assert [line["key"] for line in lines(record)] == [str(accepted.key)]
    assert JobRun.objects.get(name="notifications").pid == worker.pid


@pytest.mark.needs_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_keep_their_key(tmp_path):
    record = tmp_path / "sms.jsonl"
    rows = [
        row
        for n in range(30)
        for row in notify(
            "decided", [Recipient(phone=f"1380000{n:04d}")], context={"filing_number": f"F-{n}"}
        )
    ]
    env = {
        "HALL_SMS_GATEWAY": "tests.notifications.gateways.SlowRecordingSmsGateway",
        "HALL_SMS_RECORD_FILE": str(record),
    }
    with celery_worker(extra_env=env) as (worker, queue):
        deliver_notifications.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while len(lines(record)) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)  # in the middle of the batch, likely between send and commit
        worker.wait(timeout=20)
    first_run = lines(record)
    assert 5 <= len(first_run) < len(rows)
    assert Outbox.objects.filter(state=OutboxState.PENDING).exists()

    with celery_worker(extra_env=env) as (_worker, queue):
        deliver_notifications.apply_async(queue=queue).get(timeout=120)

    assert not Outbox.objects.exclude(state=OutboxState.SENT).exists()  # every message delivered
    delivered = lines(record)
    keys = {str(row.key): row for row in rows}
    assert {line["key"] for line in delivered} == set(keys)  # nothing lost, nothing foreign
    by_key = {}
    for line in delivered:
        by_key.setdefault(line["key"], []).append(line)
    repeats = {key: sent for key, sent in by_key.items() if len(sent) > 1}
    # The message in flight when the worker died was sent again — as the same message, same key.
    assert repeats, "the kill should have caught a message sent but not yet marked as sent"
    for key, sent in repeats.items():
        assert all(line == sent[0] for line in sent)  # the same phone, text and key each time
        assert sent[0]["phone"] == keys[key].address
