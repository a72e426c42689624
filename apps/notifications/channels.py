"""Delivery channels. Each delivery carries the outbox row's idempotency key, so that a retry after
a crash is recognisable downstream as the same message.

SMS goes through a gateway adapter named by ``HALL_SMS_GATEWAY`` (a dotted path): no vendor is
hard-coded. The default logs the message; ``RecordingSmsGateway`` appends it to a file (for
development and tests); a hall's vendor adapter implements ``send(key=, phone=, text=)``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger("apps.notifications.sms")


class LoggingSmsGateway:
    def send(self, *, key: str, phone: str, text: str) -> None:
        logger.info("SMS %s to %s: %s", key, phone, text)


class RecordingSmsGateway:
    """Appends each delivery as a JSON line to ``HALL_SMS_RECORD_FILE``."""

    def send(self, *, key: str, phone: str, text: str) -> None:
        path = Path(settings.HALL_SMS_RECORD_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"key": key, "phone": phone, "text": text}, ensure_ascii=False) + "\n")


def sms_gateway():
    return import_string(settings.HALL_SMS_GATEWAY)()


def send_site(*, key, user_id: int, subject: str, body: str, concerns: str = "") -> None:
    from apps.notifications.models import SiteMessage

    # One inbox row per key: a repeated delivery finds it there.
    SiteMessage.objects.get_or_create(
        key=key, defaults={"user_id": user_id, "subject": subject, "body": body, "subject_ref": concerns}
    )


def send_sms(*, key, phone: str, subject: str, body: str) -> None:
    sms_gateway().send(key=str(key), phone=phone, text=f"【{subject}】{body}")


def send_email(*, key, address: str, subject: str, body: str) -> None:
    EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        headers={"Message-ID": f"<{key}@hall.notifications>", "X-Hall-Idempotency-Key": str(key)},
    ).send()
