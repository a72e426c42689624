"""Two delivery workers at once on PostgreSQL: a message that failed in one worker waits out its
backoff, whatever the other worker had listed as due before the failure."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from apps.notifications.models import Outbox, OutboxState
from apps.notifications.services import Recipient, deliver_due, notify
from tests.notifications.gateways import RacingSmsGateway

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def in_thread(call, outcome: dict, name: str) -> threading.Thread:
    def run():
        try:
            outcome[name] = call()
        except Exception as error:  # noqa: BLE001 - the test's assertions report it
            outcome[name] = error
        finally:
            connection.close()  # each thread had a connection (and a transaction) of its own

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_message_failed_by_one_worker_is_not_resent_at_once_by_the_other(settings):
    settings.HALL_SMS_GATEWAY = "tests.notifications.gateways.RacingSmsGateway"
    RacingSmsGateway.attempts = []
    RacingSmsGateway.slow_entered.clear()
    RacingSmsGateway.other_done.clear()
    earlier = timezone.now() - dt.timedelta(minutes=5)
    [slow] = notify("decided", [Recipient(phone=RacingSmsGateway.SLOW)], context={})
    [failing] = notify("decided", [Recipient(phone=RacingSmsGateway.FAILING)], context={})
    # The slow message first in the queue: the first worker lists both, then sits on the slow one.
    Outbox.objects.filter(pk=slow.pk).update(next_attempt_at=earlier)
    Outbox.objects.filter(pk=failing.pk).update(next_attempt_at=earlier + dt.timedelta(seconds=1))

    outcome = {}
    first = in_thread(deliver_due, outcome, "first")
    assert RacingSmsGateway.slow_entered.wait(timeout=20)
    # Meanwhile a second worker skips the held row, tries the other one, fails and backs off.
    second = in_thread(deliver_due, outcome, "second")
    second.join(timeout=30)
    RacingSmsGateway.other_done.set()
    first.join(timeout=30)

    assert (outcome["second"].sent, outcome["second"].retried) == (0, 1)
    # The first worker then reaches the failed row, unlocked now but not due: it leaves it.
    assert (outcome["first"].sent, outcome["first"].retried) == (1, 0)
    assert RacingSmsGateway.attempts.count(RacingSmsGateway.FAILING) == 1
    failing.refresh_from_db()
    assert failing.state == OutboxState.PENDING and failing.attempts == 1
    assert failing.next_attempt_at > timezone.now()
