"""SMS codes (短信验证码) that prove a citizen holds a mobile number: registration, login, password reset.

- A code has 6 digits, is stored only as a keyed hash, and is good for ``CODE_LIFETIME`` (5 minutes)
  and one use.
- ``WRONG_GUESS_LIMIT`` (6) wrong guesses spend it and block that number's codes for that purpose for
  ``BLOCK_PERIOD`` (30 minutes): no check and no new code until then.
- A number receives at most ``SENDS_PER_NUMBER`` (5) codes an hour, an address asks for at most
  ``SENDS_PER_ADDRESS`` an hour (sending texts to many numbers from one place).

The text goes through the notifications outbox (written with the code, so it is never lost) and its
delivery task is started as soon as the code is committed: a person waiting for a code does not
wait for the next beat of the delivery schedule. The outbox rows carry no account (a registration has
none yet): a code is never copied to an in-site message.

``check_code`` commits what a wrong guess counts before it raises: call it outside a transaction of
your own (the services do), or a refusal would roll the count back and the guesses would be free.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.citizens.models import CodePurpose, PhoneCode
from apps.notifications.phones import mobile_number
from apps.notifications.services import Recipient, notify

logger = logging.getLogger(__name__)

CODE_LIFETIME = dt.timedelta(minutes=5)
WRONG_GUESS_LIMIT = 6
BLOCK_PERIOD = dt.timedelta(minutes=30)
SENDS_PER_NUMBER = 5
SENDS_PER_ADDRESS = 30
SEND_WINDOW = dt.timedelta(hours=1)
EVENT = "account_code"  # the message template (apps/citizens/migrations/0002_code_message)


def _hash(phone: str, purpose: str, code: str) -> str:
    key = hashlib.sha256(f"apps.citizens.codes:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{phone}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def require_mobile(phone: str, field: str = "phone") -> str:
    """``phone`` as 11 digits, or a ValidationError naming ``field``."""
    number = mobile_number(phone)
    if not number:
        raise ValidationError({field: _("Enter a mainland mobile number: 11 digits starting with 1.")})
    return number


def _blocked_until(phone: str, purpose: str, now) -> dt.datetime | None:
    return (
        PhoneCode.objects.filter(phone=phone, purpose=purpose, blocked_until__gt=now)
        .order_by("-blocked_until")
        .values_list("blocked_until", flat=True)
        .first()
    )


def _refusal(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _blocked_error(until, field: str) -> ValidationError:
    local = timezone.localtime(until)
    return _refusal(
        field,
        _("Too many wrong codes: codes for this number are blocked until %(time)s. Try again then.")
        % {"time": local.strftime("%H:%M")},
        "code_blocked",
    )


def send_code(*, phone: str, purpose: str, client_ip=None) -> None:
    """Send a new code to ``phone`` for ``purpose`` (an earlier unused one stays good until it
    expires). Refused, naming ``phone``, over the hourly limits or while the number is blocked."""
    phone = require_mobile(phone)
    purpose = CodePurpose(purpose)
    now = timezone.now()
    with transaction.atomic():
        # Lock the number's recent codes: two requests at once cannot both be the fifth.
        recent = list(
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, created_at__gt=now - SEND_WINDOW)
            .values_list("pk", flat=True)
        )
        if (until := _blocked_until(phone, purpose, now)) is not None:
            raise _blocked_error(until, "phone")
        if len(recent) >= SENDS_PER_NUMBER:
            raise _refusal(
                "phone",
                _("This number has had %(count)d codes in the last hour: wait before asking again.")
                % {"count": SENDS_PER_NUMBER},
                "code_send_limit",
            )
        if (
            client_ip
            and PhoneCode.objects.filter(client_ip=client_ip, created_at__gt=now - SEND_WINDOW).count()
            >= SENDS_PER_ADDRESS
        ):
            raise _refusal(
                "phone",
                _("Too many codes were asked for from this address: try again in an hour."),
                "code_address_limit",
            )
        code = f"{secrets.randbelow(10**6):06d}"
        PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_hash(phone, purpose, code),
            client_ip=client_ip or None,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        with translation.override(settings.LANGUAGE_CODE):
            purpose_text = str(purpose.label)
        notify(
            EVENT,
            [Recipient(phone=phone)],
            context={
                "code": code,
                "purpose": purpose_text,
                "minutes": int(CODE_LIFETIME.total_seconds() // 60),
            },
        )
        transaction.on_commit(_deliver_now)


def _deliver_now() -> None:
    """Start the outbox's delivery at once. Should the broker be unreachable, the row waits in the
    outbox for the scheduled delivery (every few seconds): the code is late, never lost."""
    from apps.notifications.tasks import deliver_notifications

    try:
        deliver_notifications.delay()
    except Exception:  # noqa: BLE001 - any broker failure leaves the row to the schedule
        logger.warning(
            "Could not start the SMS delivery now; the schedule will send the code.", exc_info=True
        )


def check_code(*, phone: str, purpose: str, code: str, field: str = "code") -> None:
    """Accept ``code`` for ``phone`` and ``purpose`` once, or raise a ValidationError naming ``field``
    (wrong, expired, used, or blocked after too many wrong guesses). The latest unused code counts."""
    phone = require_mobile(phone)
    purpose = CodePurpose(purpose)
    code = (code or "").strip()
    refusal = None
    with transaction.atomic():
        now = timezone.now()
        if (until := _blocked_until(phone, purpose, now)) is not None:
            raise _blocked_error(until, field)
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None:
            raise _refusal(
                field, _("This code has expired or was already used: ask for a new one."), "code_expired"
            )
        if hmac.compare_digest(row.code_hash, _hash(phone, purpose, code)):
            row.used_at = now
            row.save(update_fields=["used_at"])
            return
        row.failed_attempts += 1
        if row.failed_attempts >= WRONG_GUESS_LIMIT:
            # The code is spent and the number blocked for this purpose.
            row.used_at = now
            row.blocked_until = now + BLOCK_PERIOD
            refusal = _blocked_error(row.blocked_until, field)
        else:
            left = WRONG_GUESS_LIMIT - row.failed_attempts
            refusal = _refusal(
                field,
                _("Wrong code. %(left)d more tries before codes are blocked for 30 minutes.")
                % {"left": left},
                "code_wrong",
            )
        row.save(update_fields=["failed_attempts", "used_at", "blocked_until"])
    # Raised after the block above has committed (or released its savepoint): the count stands.
    raise refusal
