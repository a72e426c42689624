"""Evaluation pads (评价器): pairing a tablet with a window, recognising it, revoking it.

A pad is a device, not a person's login. A supervisor of the centre pairs one for a window and is
shown a one-time pairing code (8 digits, valid ``PAIRING_MINUTES``); the tablet types it at
``/pad/pair/`` and receives a long random device key, kept in an HttpOnly cookie (or an app's
``X-Pad-Key`` header). Only keyed hashes are stored, of the code and then of the key, in the pad's
one ``key_hash`` column: a stolen database copy pairs no tablet.

A pad's life is read from its columns: awaiting its tablet while ``last_seen_at`` is empty (the
hash is then the code's, and the code lapses ``PAIRING_MINUTES`` after ``paired_at``), in use once
claimed (``last_seen_at`` set, the hash the device key's), revoked once ``revoked_at`` is set.
The code's and the key's hashes are keyed differently, so a code can never pass for a key.

Who manages pads: a supervisor of the window's centre (a membership with no department: windows
are the centre's, not a department's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.identifiers import mask_name
from apps.accounts.models import User, Window
from apps.accounts.selectors import supervised_centres
from apps.audit.services import record_step
from apps.catalogue.models import ServiceItem
from apps.core import device_keys, device_pairing
from apps.feedback.acts import Act, latest_act_at_window
from apps.feedback.models import EvaluationPad, Rating
from apps.feedback.models.ratings import APPLICANT

PAIRING_MINUTES = device_pairing.PAIRING_MINUTES
CODE_DIGITS = device_keys.CODE_DIGITS
SEEN_EVERY = device_pairing.SEEN_EVERY

# Seconds after the screen stopped showing an act (HALL_PAD_SHOW_SECONDS) in which a rating of it is
# still taken: the applicant who pressed "submit" as the screen reset is not turned away. The screen
# itself keeps the act that long only while someone is touching it.
GRACE_SECONDS = 30

# The salts are the stored hashes' own: changing them unpairs every pad.
PAIRING = device_pairing.Pairing(
    EvaluationPad,
    code_salt="apps.feedback.pads.pairing-code",
    key_salt="apps.feedback.pads.device-key",
    related=("window__centre",),
    locked_related=("window",),
)


# --- who manages which pads --------------------------------------------------------------------------


def manages_pads(user) -> bool:
    return supervised_centres(user).exists()


def pads_for_supervisor(user) -> QuerySet[EvaluationPad]:
    """The pads of the windows of the centres ``user`` supervises (another centre's: not there)."""
    return (
        EvaluationPad.objects.filter(window__centre_id__in=supervised_centres(user))
        .select_related("window__centre", "paired_by")
        .order_by("window__centre__name", "window__number", "-paired_at", "-pk")
    )


def windows_for_supervisor(user) -> QuerySet[Window]:
    """The active windows a pad may be paired for by ``user``."""
    return (
        Window.objects.filter(centre_id__in=supervised_centres(user), is_active=True)
        .select_related("centre")
        .order_by("centre__name", "number")
    )


def status_of(pad: EvaluationPad, now: dt.datetime | None = None) -> device_pairing.Status:
    return PAIRING.status_of(pad, now, awaiting=_("Awaiting its tablet"))


def code_expires_at(pad: EvaluationPad) -> dt.datetime:
    return PAIRING.code_expires_at(pad)


# --- services ---------------------------------------------------------------------------------------


def _pairing_refused() -> str:  # translated when raised, in the request's language
    return _("Only a supervisor of the window's service centre may pair a pad for it.")


def _supervises(actor, window: Window) -> bool:
    return supervised_centres(actor).filter(centre_id=window.centre_id).exists()


def pair_pad(*, window_id: int, name: str, actor, client_ip=None) -> tuple[EvaluationPad, str]:
    """A new pad for ``window_id``, awaiting its tablet; returns it with its pairing code (shown once:
    only its hash is kept). ``actor`` must supervise the window's centre."""
    window = Window.objects.select_related("centre").filter(pk=window_id).first()
    if window is None or not _supervises(actor, window):
        raise PermissionDenied(_pairing_refused())
    if not window.is_active:
        raise ValidationError({"window": _("This window is not in use.")})
    return PAIRING.pair(
        actor=actor,
        record=lambda pad: record_step(
            pad, step="pad_paired", actor=actor, client_ip=client_ip, window=window.number
        ),
        window=window,
        name=(name or "").strip()[:60],
    )


def renew_code(*, pad_id: int, actor, client_ip=None) -> tuple[EvaluationPad, str]:
    """A new pairing code for a pad still awaiting its tablet (its code lapsed, or was lost): the old
    code stops working, the new one runs ``PAIRING_MINUTES`` from now."""
    return PAIRING.renew(
        device_id=pad_id,
        actor=actor,
        allowed=lambda pad: _supervises(actor, pad.window),
        refused=_pairing_refused(),
        not_awaiting=_("This pad is not awaiting its tablet."),
        record=lambda pad: record_step(pad, step="pad_code_renewed", actor=actor, client_ip=client_ip),
    )


def claim_pad(*, code: str, client_ip=None) -> tuple[EvaluationPad, str]:
    """The tablet's side of pairing: the one-time ``code`` gives it its device key, returned once
    (``device_pairing.Pairing.claim``: anything else is one answer)."""
    return PAIRING.claim(
        code=code, record=lambda pad: record_step(pad, step="pad_claimed", client_ip=client_ip)
    )


def revoke_pad(*, pad_id: int, actor, client_ip=None) -> EvaluationPad:
    """Revoke a pad (a lost tablet, a window closed): its key opens nothing from now on."""
    return PAIRING.revoke(
        device_id=pad_id,
        allowed=lambda pad: _supervises(actor, pad.window),
        refused=_("Only a supervisor of the window's service centre may revoke its pad."),
        already=_("This pad is revoked already."),
        record=lambda pad: record_step(
            pad, step="pad_revoked", actor=actor, client_ip=client_ip, window=pad.window.number
        ),
    )


def pad_from_key(key: str | None) -> EvaluationPad | None:
    """The pad in use that holds device key ``key`` (None for no key, an unknown or revoked one)."""
    return PAIRING.in_use(key)


def note_seen(pad: EvaluationPad) -> None:
    """Record that the pad was just used (at most once a ``SEEN_EVERY``: the screen polls often)."""
    PAIRING.note_seen(pad)


# --- what a pad shows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PadAct:
    """The act a pad offers for rating, with what the screen may show of it: the item, the applicant's
    masked name, the staff member who did it and the window. Nothing else of the filing."""

    act: Act
    item_name: str
    applicant: str
    staff_name: str
    window_number: str
    shown_until: dt.datetime

    @property
    def key(self) -> str:
        """What the screen compares to tell one act from the next."""
        return f"{self.act.filing.pk}:{self.act.kind}"

    def seconds_left(self, now: dt.datetime) -> int:
        return max(int((self.shown_until - now).total_seconds()), 0)


def _show_seconds() -> dt.timedelta:
    return dt.timedelta(seconds=settings.HALL_PAD_SHOW_SECONDS)


def _rated(act: Act) -> bool:
    return Rating.objects.filter(filing_id=act.filing.pk, act=act.kind, rater_key=APPLICANT).exists()


def describe(pad: EvaluationPad, act: Act) -> PadAct:
    filing = act.filing
    if filing.bundle_id:
        what = filing.bundle.name
    else:
        what = ServiceItem.objects.filter(pk=act.item_id).values_list("name", flat=True).first() or ""
    staff = User.objects.filter(pk=act.staff_id).first() if act.staff_id else None
    return PadAct(
        act=act,
        item_name=what,
        applicant=mask_name(filing.applicant_name),
        staff_name=str(staff) if staff else "",
        window_number=pad.window.number,
        shown_until=act.at + _show_seconds(),
    )


def act_on_pad(pad: EvaluationPad, *, now: dt.datetime | None = None) -> PadAct | None:
    """The act the pad's screen shows now: the last one finished at its window at most
    HALL_PAD_SHOW_SECONDS ago and not yet rated by the applicant; None (the welcome screen) otherwise.
    Never an act of another window, never an older one."""
    now = now or timezone.now()
    act = latest_act_at_window(pad.window_id, since=now - _show_seconds())
    if act is None or act.window_id != pad.window_id or _rated(act):
        return None
    return describe(pad, act)


def act_to_rate(pad: EvaluationPad, *, filing_id, kind: str, now: dt.datetime | None = None) -> Act | None:
    """The act a rating posted by the pad is for, if the pad may take it: the last act finished at the
    pad's window (within HALL_PAD_SHOW_SECONDS and GRACE_SECONDS) is ``kind`` of ``filing_id``. Any
    other filing, an older act, another window's: None (the caller's 404). A rating given a moment ago
    is found too (a double tap changes it rather than failing)."""
    now = now or timezone.now()
    since = now - _show_seconds() - dt.timedelta(seconds=GRACE_SECONDS)
    act = latest_act_at_window(pad.window_id, since=since)
    if act is None or act.window_id != pad.window_id:
        return None
    if str(act.filing.pk) != str(filing_id) or act.kind != kind:
        return None
    return act
