"""SMS gateways for tests: importable by a worker subprocess through HALL_SMS_GATEWAY."""

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
