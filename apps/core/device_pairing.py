"""The pairing life of the hall's unattended screens (evaluation pads, ticket kiosks, hall displays):
one piece of code for each kind's model, so that a pad and a kiosk are paired, claimed, renewed,
recognised and revoked by the same mechanics.

A device's row holds ``key_hash``, ``paired_at``, ``paired_by``, ``last_seen_at`` and ``revoked_at``,
and its life is read from them: awaiting its screen while ``last_seen_at`` is empty (``key_hash`` is
then the one-time code's, lapsing ``PAIRING_MINUTES`` after ``paired_at``), in use once claimed (the
code's hash replaced by the device key's), revoked once ``revoked_at`` is set. Only keyed hashes are
stored (``apps.core.device_keys``), with each kind's own salts.

What differs between kinds stays in its app and is handed in: what the device is bound to (a window,
a centre and a kind), who may pair or revoke it, its audit steps (``record``, run in the same
transaction) and its wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import device_keys
from apps.core.errors import Conflict

PAIRING_MINUTES = 10
# How often ``last_seen_at`` is written: a screen polls every second or two, the desk needs minutes.
SEEN_EVERY = dt.timedelta(minutes=1)
# A drawn code may equal one awaiting another device (``key_hash`` is unique): drawn again this often.
DRAWS = 5

Device = Any  # a model instance with the columns above
Record = Callable[[Device], None]


@dataclass(frozen=True)
class Status:
    key: str  # awaiting / expired / active / revoked
    label: str


@dataclass(frozen=True)
class Pairing:
    """The pairing mechanics for one model of device."""

    model: type[models.Model]
    code_salt: str
    key_salt: str
    # What a device in use or just claimed is read with (its window and centre, or its centre).
    related: tuple[str, ...] = ()
    # What a device locked to be renewed or revoked is read with (what ``allowed`` looks at).
    locked_related: tuple[str, ...] = ()

    def key_hash(self, key: str) -> str:
        return device_keys.keyed_hash(self.key_salt, key)

    # --- reading -----------------------------------------------------------------------------------------

    def status_of(self, device: Device, now: dt.datetime | None = None, *, awaiting: str) -> Status:
        """``awaiting``: the kind's words for a device whose screen has not claimed it yet."""
        now = now or timezone.now()
        if device.revoked_at is not None:
            return Status("revoked", _("Revoked"))
        if device.last_seen_at is None:
            if device.paired_at < now - dt.timedelta(minutes=PAIRING_MINUTES):
                return Status("expired", _("Pairing code expired"))
            return Status("awaiting", awaiting)
        return Status("active", _("In use"))

    def code_expires_at(self, device: Device) -> dt.datetime:
        return device.paired_at + dt.timedelta(minutes=PAIRING_MINUTES)

    def in_use(self, key: str | None, **filters) -> Device | None:
        """The device in use holding ``key`` (None for no key, an unknown or revoked one, or one that
        does not match ``filters``)."""
        if not device_keys.plausible_key(key):
            return None
        return (
            self.model.objects.filter(
                key_hash=self.key_hash(key), last_seen_at__isnull=False, revoked_at__isnull=True, **filters
            )
            .select_related(*self.related)
            .first()
        )

    def note_seen(self, device: Device, now: dt.datetime | None = None) -> None:
        """Record that the device was just used (at most once a ``SEEN_EVERY``: screens poll often)."""
        now = now or timezone.now()
        if device.last_seen_at is None or device.last_seen_at < now - SEEN_EVERY:
            self.model.objects.filter(pk=device.pk, revoked_at__isnull=True).update(last_seen_at=now)
            device.last_seen_at = now

    # --- services ----------------------------------------------------------------------------------------

    def _with_new_code(self, write: Callable[[str], Device]) -> tuple[Device, str]:
        """``write(code_hash)`` in a transaction with a freshly drawn code; returns its device and the
        code (shown once: only its hash is kept)."""
        for _attempt in range(DRAWS):
            code = device_keys.new_code()
            try:
                with transaction.atomic():
                    device = write(device_keys.keyed_hash(self.code_salt, code))
            except IntegrityError:  # the same code awaiting another screen: draw again
                continue
            return device, code
        raise Conflict(_("No pairing code could be drawn: try again."))

    def pair(self, *, actor, record: Record, **fields) -> tuple[Device, str]:
        """A new device (of ``fields``) awaiting its screen, with its pairing code. The caller has
        checked that ``actor`` may pair it."""

        def write(code_hash: str) -> Device:
            device = self.model.objects.create(
                key_hash=code_hash, paired_at=timezone.now(), paired_by=actor, **fields
            )
            record(device)
            return device

        return self._with_new_code(write)

    def _locked(self, device_id: int) -> Device | None:
        return (
            self.model.objects.select_for_update()
            .select_related(*self.locked_related)
            .filter(pk=device_id)
            .first()
        )

    def renew(
        self,
        *,
        device_id: int,
        actor,
        allowed: Callable[[Device], bool],
        refused: str,
        not_awaiting: str,
        record: Record,
    ) -> tuple[Device, str]:
        """A new pairing code for a device still awaiting its screen: the old code stops working, the
        new one runs ``PAIRING_MINUTES`` from now. ``allowed(device)``: whether ``actor`` may (else
        ``refused``, as for a device that does not exist)."""

        def write(code_hash: str) -> Device:
            device = self._locked(device_id)
            if device is None or not allowed(device):
                raise PermissionDenied(refused)
            if device.revoked_at is not None or device.last_seen_at is not None:
                raise Conflict(not_awaiting)
            device.key_hash = code_hash
            device.paired_at = timezone.now()
            device.paired_by = actor
            device.save(update_fields=["key_hash", "paired_at", "paired_by"])
            record(device)
            return device

        return self._with_new_code(write)

    def claim(self, *, code: str, record: Record) -> tuple[Device, str]:
        """The screen's side of pairing: the one-time ``code`` (within ``PAIRING_MINUTES``, not used,
        the device not revoked) gives it its device key, returned once. Anything else gets one answer,
        so that a guesser learns nothing about which codes exist."""
        code = device_keys.normalised_code(code)
        invalid = ValidationError({"code": _("This pairing code is not valid or has expired.")})
        if not device_keys.looks_like_code(code):
            raise invalid
        now = timezone.now()
        key = device_keys.new_key()
        with transaction.atomic():
            device = (
                self.model.objects.select_for_update()
                .filter(
                    key_hash=device_keys.keyed_hash(self.code_salt, code),
                    last_seen_at__isnull=True,
                    revoked_at__isnull=True,
                    paired_at__gte=now - dt.timedelta(minutes=PAIRING_MINUTES),
                )
                .select_related(*self.related)
                .first()
            )
            if device is None:
                raise invalid
            # The code's hash is replaced: used once, it pairs nothing again.
            device.key_hash = self.key_hash(key)
            device.last_seen_at = now
            device.save(update_fields=["key_hash", "last_seen_at"])
            record(device)
        return device, key

    def revoke(
        self, *, device_id: int, allowed: Callable[[Device], bool], refused: str, already: str, record: Record
    ) -> Device:
        """Revoke a device (a screen lost or replaced): its key opens nothing from now on."""
        with transaction.atomic():
            device = self._locked(device_id)
            if device is None or not allowed(device):
                raise PermissionDenied(refused)
            if device.revoked_at is not None:
                raise Conflict(already)
            device.revoked_at = timezone.now()
            device.save(update_fields=["revoked_at"])
            record(device)
        return device


def enforce_csrf(request) -> None:
    """For an API call whose device key came in a cookie, as DRF's SessionAuthentication does for a
    session: a browser sends the cookie on its own, so a write must carry the CSRF token too.
    ``request`` is Django's (a DRF request's ``_request``)."""
    from rest_framework.authentication import CSRFCheck
    from rest_framework.exceptions import PermissionDenied as ApiDenied

    check = CSRFCheck(lambda _request: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise ApiDenied(f"CSRF Failed: {reason}")
