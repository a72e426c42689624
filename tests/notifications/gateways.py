"""SMS gateways for tests: importable by a worker subprocess through HALL_SMS_GATEWAY."""

import threading
import time

from apps.notifications.channels import RecordingSmsGateway


class FlakySmsGateway(RecordingSmsGateway):
    """Fails the first two attempts of every message, then records it."""

    attempts: dict = {}

    def send(self, *, key, phone, text):
        count = FlakySmsGateway.attempts[key] = FlakySmsGateway.attempts.get(key, 0) + 1
        if count <= 2:
            raise ConnectionError("gateway unavailable")
        super().send(key=key, phone=phone, text=text)


class SlowRecordingSmsGateway(RecordingSmsGateway):
    """Records the message, then takes its time acknowledging (a slow gateway): a worker killed
    meanwhile has sent a message it has not yet marked as sent."""

    def send(self, *, key, phone, text):
        super().send(key=key, phone=phone, text=text)
        time.sleep(0.2)


class RacingSmsGateway:
    """Two delivery workers at once (tests/notifications/test_concurrent_backoff.py): the message to
    ``SLOW`` is held until the other worker has finished its run; every message to ``FAILING`` fails."""

    SLOW, FAILING = "13900000001", "13900000002"
    slow_entered = threading.Event()
    other_done = threading.Event()
    attempts: list = []

    def send(self, *, key, phone, text):
        RacingSmsGateway.attempts.append(phone)
        if phone == self.SLOW:
            RacingSmsGateway.slow_entered.set()
            RacingSmsGateway.other_done.wait(timeout=20)
        elif phone == self.FAILING:
            raise ConnectionError("gateway unavailable")
