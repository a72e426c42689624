"""The hall's devices (ticket kiosks 取号机, hall displays 大屏): pairing, recognising, revoking.

Like a window's evaluation pad (``apps.feedback.pads``), a kiosk or a display is a device, not a
person's login. A supervisor of the centre pairs one and is shown a one-time code (8 digits, valid
``PAIRING_MINUTES``); the device types it at ``/display/pair/`` (one page for both kinds: the code
says which) and receives a long random key, kept in the ``hall_device`` cookie (HttpOnly) or sent by
an app as the ``X-Device-Key`` header. Only keyed hashes are stored (``apps.core.device_keys``).

A device's life is read from its columns: awaiting its screen while ``last_seen_at`` is empty (the
hash is then the code's, lapsing ``PAIRING_MINUTES`` after ``paired_at``), in use once claimed,
revoked once ``revoked_at`` is set.

The contract other parts build on:
- ``device_from_key(key, kind)``: the device in use of that kind holding the key, else None;
- ``@paired_device(kind)`` on a view: ``request.device`` is set; without a valid key a page answers
  with the "this screen is not paired" page (a link to pair it), an API view (DRF) with 403.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from apps.accounts.models import ServiceCentre
from apps.accounts.selectors import supervised_centres
from apps.audit.services import record_step
from apps.core import device_pairing
from apps.visits.models import HallDevice
from apps.visits.models.codes import DeviceKind

DEVICE_COOKIE = "hall_device"
DEVICE_HEADER = "X-Device-Key"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600  # a hall screen stays paired until revoked
PAIRING_MINUTES = device_pairing.PAIRING_MINUTES
SEEN_EVERY = device_pairing.SEEN_EVERY

# The salts are the stored hashes' own: changing them unpairs every device.
PAIRING = device_pairing.Pairing(
    HallDevice,
    code_salt="apps.visits.devices.pairing-code",
    key_salt="apps.visits.devices.device-key",
    related=("centre",),
)

# Where a device goes once paired, and where its "not paired" page points.
HOME_URL = {DeviceKind.KIOSK: "kiosk:home", DeviceKind.DISPLAY: "display:screen"}


# --- recognising a device ------------------------------------------------------------------------------


def request_key(request) -> str:
    """The device key of a request: an app's ``X-Device-Key`` header, or the cookie a browser holds."""
    return request.headers.get(DEVICE_HEADER, "") or request.COOKIES.get(DEVICE_COOKIE, "")


def device_from_key(key: str | None, kind: str) -> HallDevice | None:
    """The device in use of ``kind`` that holds ``key`` (None for no key, an unknown, revoked, or
    another kind's key)."""
    return PAIRING.in_use(key, kind=kind)


def note_seen(device: HallDevice, now: dt.datetime | None = None) -> None:
    """Record that the device was just used (at most once a ``SEEN_EVERY``: screens poll often)."""
    PAIRING.note_seen(device, now)


def _is_api(request) -> bool:
    # A DRF Request wraps the HttpRequest (it is not one); a view method's first argument is ``self``.
    return not isinstance(request, HttpRequest)


def not_paired_page(request, kind: str):
    return render(
        request,
        "display/not_paired.html",
        {"kind": kind, "kind_label": DeviceKind(kind).label, "pair_url": reverse("display:pair")},
        status=403,
    )


def paired_device(kind: str):
    """Decorate a page view (``view(request, ...)``) or a DRF view method (``get(self, request, ...)``):
    the request's device of ``kind`` is set as ``request.device``. Without one, a page answers with the
    "not paired" page (403, a link to pair) and an API call with 403. An API call authenticated by the
    cookie (a browser) must carry the CSRF token on writes, as a session's would."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            # A view method's first argument is ``self``; a request (Django's or DRF's) has META.
            request = args[0] if hasattr(args[0], "META") else args[1]
            device = device_from_key(request_key(request), kind)
            if _is_api(request):
                from rest_framework.exceptions import PermissionDenied as ApiDenied

                if device is None:
                    raise ApiDenied(_("This device is not a paired hall screen: pair it at /display/pair/."))
                writing = request.method not in ("GET", "HEAD", "OPTIONS")
                if writing and not request.headers.get(DEVICE_HEADER):
                    device_pairing.enforce_csrf(request._request)
                request._request.device = device
            elif device is None:
                # The cookie is left alone: pairing again replaces it, and a stale key opens nothing.
                return not_paired_page(request, kind)
            request.device = device
            note_seen(device)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def home_url(kind: str) -> str:
    """Where a device of ``kind`` goes once paired (its start page)."""
    try:
        return reverse(HOME_URL[kind])
    except NoReverseMatch:  # the kiosk's pages not routed yet: its app's root
        return "/kiosk/" if kind == DeviceKind.KIOSK else reverse("display:screen")


def set_device_cookie(response, key: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        key,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def pair_url() -> str:
    """The pairing page's public address: what a supervisor is shown to open on the screen."""
    return settings.HALL_PUBLIC_BASE_URL.rstrip("/") + reverse("display:pair")


class PairingThrottle(SimpleRateThrottle):
    """Pairing attempts per client address (the page's and the API's counted together): a screen
    types its code once, a guesser many times."""

    scope = "hall_device_pairing"
    rate = "20/min"

    def get_cache_key(self, request, view):
        # The address the audit log records (trusting only HALL_TRUSTED_PROXIES), not DRF's get_ident.
        from apps.audit.requests import client_ip

        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def allow_pairing_attempt(request) -> bool:
    """For the page: whether this attempt is within the rate (it is counted)."""
    return PairingThrottle().allow_request(request, None)


# --- who manages which devices -------------------------------------------------------------------------


def manages_devices(user) -> bool:
    return supervised_centres(user).exists()


def devices_for_supervisor(user) -> QuerySet[HallDevice]:
    """The devices of the centres ``user`` supervises (another centre's: not there)."""
    return (
        HallDevice.objects.filter(centre_id__in=supervised_centres(user))
        .select_related("centre", "paired_by")
        .order_by("centre__name", "kind", "-paired_at", "-pk")
    )


def centres_for_supervisor(user) -> QuerySet[ServiceCentre]:
    return ServiceCentre.objects.filter(pk__in=supervised_centres(user)).order_by("name")


def status_of(device: HallDevice, now: dt.datetime | None = None) -> device_pairing.Status:
    return PAIRING.status_of(device, now, awaiting=_("Awaiting its screen"))


def code_expires_at(device: HallDevice) -> dt.datetime:
    return PAIRING.code_expires_at(device)


# --- services ----------------------------------------------------------------------------------------


def _pairing_refused() -> str:  # translated when raised, in the request's language
    return _("Only a supervisor of the service centre may pair its hall devices.")


def _supervises(actor, centre_id) -> bool:
    return supervised_centres(actor).filter(centre_id=centre_id).exists()


def pair_device(*, centre_id: int, kind: str, name: str, actor, client_ip=None) -> tuple[HallDevice, str]:
    """A new device of ``kind`` for the centre, awaiting its screen; returns it with its pairing code
    (shown once: only its hash is kept). ``actor`` must supervise the centre."""
    if kind not in DeviceKind.values:
        raise ValidationError({"kind": _("Choose a kiosk or a display.")})
    if not _supervises(actor, centre_id):
        raise PermissionDenied(_pairing_refused())
    return PAIRING.pair(
        actor=actor,
        record=lambda device: record_step(
            device, step="device_paired", actor=actor, client_ip=client_ip, kind=kind
        ),
        centre_id=centre_id,
        kind=kind,
        name=(name or "").strip()[:60],
    )


def renew_code(*, device_id: int, actor, client_ip=None) -> tuple[HallDevice, str]:
    """A new pairing code for a device still awaiting its screen: the old code stops working, the new
    one runs ``PAIRING_MINUTES`` from now."""
    return PAIRING.renew(
        device_id=device_id,
        actor=actor,
        allowed=lambda device: _supervises(actor, device.centre_id),
        refused=_pairing_refused(),
        not_awaiting=_("This device is not awaiting its screen."),
        record=lambda device: record_step(
            device, step="device_code_renewed", actor=actor, client_ip=client_ip
        ),
    )


def claim_device(*, code: str, client_ip=None) -> tuple[HallDevice, str]:
    """The screen's side of pairing: the one-time ``code`` gives it its device key, returned once
    (``device_pairing.Pairing.claim``: anything else gets one answer)."""
    return PAIRING.claim(
        code=code, record=lambda device: record_step(device, step="device_claimed", client_ip=client_ip)
    )


def revoke_device(*, device_id: int, actor, client_ip=None) -> HallDevice:
    """Revoke a device (a screen lost or replaced): its key opens nothing from now on."""
    return PAIRING.revoke(
        device_id=device_id,
        allowed=lambda device: _supervises(actor, device.centre_id),
        refused=_("Only a supervisor of the service centre may revoke its hall devices."),
        already=_("This device is revoked already."),
        record=lambda device: record_step(device, step="device_revoked", actor=actor, client_ip=client_ip),
    )


def key_hash_for(key: str) -> str:
    """The stored hash of a device key (for fixtures that plant a device in use)."""
    return PAIRING.key_hash(key)
