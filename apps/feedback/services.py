"""Giving a rating (好差评): the applicant's through every channel, and a 12345 caller's entered by a
supervisor. One row per act and rater (``Rating``): a second rating of the same act changes the first
within ``HALL_RATING_CHANGE_DAYS``, and once more after the rectification of a bad one is closed.

Staff never rate their own work, in any channel (``refuse_own_work``). A bad rating (不满意,
非常不满意) needs a reason from the national list, and opens a rectification ticket for the department
(and window) that did the act (``apps.feedback.tickets.open_ticket``) in the same transaction.

Two ratings of one act at once are serialised on the filing's row (``select_for_update``): the second
waits, then finds the first and changes it (or is refused when it may not), so an act never has two
rows for one rater; the unique constraint stands behind that. Every rating is written to the filing's
transition log (steps ``rated``, ``rating_changed``, ``rerated``)."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import selectors as accounts
from apps.accounts.models import StaffMembership, User
from apps.accounts.roles import Role
from apps.audit.services import record_step
from apps.cases.models import Filing
from apps.cases.selectors import filings_of_citizen
from apps.core.errors import Conflict
from apps.feedback.acts import Act, act_of
from apps.feedback.models import BAD_LEVELS, Channel, Level, Rating, Reason, TicketState
from apps.feedback.models.ratings import APPLICANT, caller_key

COMMENT_MAX = 500


# --- who may rate -------------------------------------------------------------------------------------


def normalise_phone(phone: str) -> str:
    """A phone number as digits only (spaces, dashes, brackets dropped; a +86 / 0086 prefix of a
    mobile number dropped), so that the numbers a caller says and the ones on file compare."""
    digits = re.sub(r"\D", "", phone or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def refuse_own_work(act: Act, *, user=None, phone: str = "") -> None:
    """Staff never rate their own work (``PermissionDenied``): not when the one rating is logged in
    as the act's staff member (the portal, a token link or the pad opened in their session, or the
    supervisor entering a 12345 call about their own act), nor when the filing's applicant or agent is
    that staff member by identity number (a clerk's own filing, rated through its link), nor when the
    caller's phone is theirs."""
    if act.staff_id is None:
        return  # a filing ended by a rule: no one's work to protect
    if getattr(user, "pk", None) == act.staff_id:
        raise PermissionDenied(_("Staff may not rate their own work."))
    staff = User.objects.filter(pk=act.staff_id).values("id_number", "phone").first() or {}
    id_number = (staff.get("id_number") or "").upper()
    filing = act.filing
    if id_number and id_number in {filing.applicant_id_number.upper(), filing.agent_id_number.upper()}:
        raise PermissionDenied(_("Staff may not rate their own work."))
    staff_phone = normalise_phone(staff.get("phone") or "")
    if phone and staff_phone and normalise_phone(phone) == staff_phone:
        raise PermissionDenied(_("Staff may not rate their own work."))


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_staff or StaffMembership.objects.filter(user=user).exists()
    )


def supervises(user, act: Act) -> bool:
    """A supervisor of the act's centre (a centre-wide post), or of its department there."""
    return accounts.supervises(user, centre_id=act.centre_id, department_id=act.department_id)


# --- what a rating says ------------------------------------------------------------------------------


def _checked(level: str, reason: str, comment: str) -> tuple[str, str, str]:
    """The level, reason and comment as stored, or a ``ValidationError`` naming each field wrong."""
    errors = {}
    level = str(level or "").strip()
    reason = str(reason or "").strip()
    comment = (comment or "").strip()
    if level not in Level.values:
        errors["level"] = _("Choose one of the five ratings.")
    if level in BAD_LEVELS:
        if not reason:
            errors["reason"] = _("Choose the reason for a rating of dissatisfied or very dissatisfied.")
        elif reason not in Reason.values:
            errors["reason"] = _("Choose a reason from the list.")
    else:
        reason = ""  # a reason belongs to a bad rating only
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("Keep the comment to %(max)d characters.") % {"max": COMMENT_MAX}
    if errors:
        raise ValidationError(errors)
    return level, reason, comment


def change_until(rating: Rating) -> dt.datetime:
    """The moment after which the rater may no longer change ``rating`` (but for one re-rating after
    its rectification is closed)."""
    return rating.rated_at + dt.timedelta(days=settings.HALL_RATING_CHANGE_DAYS)


def may_rerate(rating: Rating) -> bool:
    """Once, after a rectification ticket of the rating was closed (``rerated_at`` marks it used).
    Reads ``rating.has_closed_ticket`` when a selector annotated it."""
    if rating.rerated_at is not None or rating.excluded:
        return False
    closed = getattr(rating, "has_closed_ticket", None)
    if closed is None:
        closed = rating.tickets.filter(state=TicketState.CLOSED).exists()
    return bool(closed)


def may_change(rating: Rating, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return not rating.excluded and (now <= change_until(rating) or may_rerate(rating))


# --- rating ---------------------------------------------------------------------------------------------


def _locked_filing(filing_id: int) -> Filing:
    try:
        return Filing.objects.select_for_update(of=("self",)).get(pk=filing_id)
    except Filing.DoesNotExist as error:
        raise Http404 from error


def _open_ticket(rating: Rating) -> None:
    from apps.feedback.tickets import open_ticket  # the tickets build on ratings, not the reverse

    open_ticket(rating)


def _give(
    filing: Filing,
    act: Act,
    *,
    rater_key: str,
    level: str,
    reason: str,
    comment: str,
    channel: str,
    actor=None,
    client_ip=None,
    **recorded,
) -> Rating:
    """Create the rater's rating of the act, or change it when they still may; open the ticket of a
    rating that turns bad. The filing is locked by the caller."""
    now = timezone.now()
    rating = (
        Rating.objects.select_for_update().filter(filing=filing, act=act.kind, rater_key=rater_key).first()
    )
    was_bad = rating is not None and rating.level in BAD_LEVELS
    values = {"level": level, "reason": reason, "comment": comment, "channel": channel, **recorded}
    if rating is None:
        rating = Rating.objects.create(
            filing=filing,
            act=act.kind,
            rater_key=rater_key,
            centre_id=act.centre_id,
            department_id=act.department_id,
            window_id=act.window_id,
            staff_id=act.staff_id,
            item_id=act.item_id,
            act_at=act.at,
            rated_at=now,
            rated_on=timezone.localdate(now),
            **values,
        )
        step, rerating = "rated", False
    else:
        if rating.excluded:
            raise Conflict(_("This rating was set aside on appeal: it can no longer be changed."))
        rerating = now > change_until(rating)
        if rerating and not may_rerate(rating):
            raise Conflict(
                _("This rating can no longer be changed: the %(days)d days for changing it have passed.")
                % {"days": settings.HALL_RATING_CHANGE_DAYS}
            )
        for name, value in values.items():
            setattr(rating, name, value)
        if rerating:
            rating.rerated_at = now
        else:
            rating.changed_at = now
        rating.save()
        step = "rerated" if rerating else "rating_changed"
    record_step(
        filing,
        step=step,
        actor=actor,
        comment=comment,
        client_ip=client_ip,
        rating=rating.pk,
        act=act.kind,
        level=level,
        reason=reason,
        channel=channel,
        rater=rater_key,
    )
    # A ticket for a rating that turns bad: new, changed from a good one, or re-rated bad after its
    # rectification. A bad one changed to the other bad level keeps its ticket, and ``open_ticket``
    # returns the live ticket rather than a second one.
    if level in BAD_LEVELS and (step == "rated" or rerating or not was_bad):
        _open_ticket(rating)
    return rating


@transaction.atomic
def rate(
    *,
    filing_id: int,
    act: str,
    level: str,
    reason: str = "",
    comment: str = "",
    channel: str,
    rater=None,
    client_ip=None,
    pad=None,
) -> Rating:
    """The applicant's rating of act ``act`` (an ``ActKind``) of the filing, through ``channel``.

    ``rater`` is the logged-in user of the request, if any: through the portal it must be the
    account whose filing it is (another's is a 404); in any channel it may not be the act's staff
    member, and a pad refuses any staff session. ``pad``, for the pad channel, must be at the act's
    window (404 otherwise: the pad shows nothing of other filings). The first rating creates the row;
    the next ones change it within ``HALL_RATING_CHANGE_DAYS``, then once after a closed
    rectification; later ones are a ``Conflict``."""
    if channel not in Channel.values or channel == Channel.PHONE:
        raise ValueError(f"not an applicant's channel: {channel}: a 12345 call is entered with rate_by_phone")
    level, reason, comment = _checked(level, reason, comment)
    user = rater if getattr(rater, "is_authenticated", False) else None
    if channel == Channel.PORTAL and (
        user is None or not filings_of_citizen(user).filter(pk=filing_id).exists()
    ):
        raise Http404
    filing = _locked_filing(filing_id)
    done = act_of(filing, act)
    if channel == Channel.PAD:
        if pad is not None and pad.window_id != done.window_id:
            raise Http404
        if _is_staff(user):
            raise PermissionDenied(
                _("The evaluation pad is the applicant's: log out of the staff account on it.")
            )
    refuse_own_work(done, user=user)
    return _give(
        filing,
        done,
        rater_key=APPLICANT,
        level=level,
        reason=reason,
        comment=comment,
        channel=channel,
        actor=user,
        client_ip=client_ip,
        # The portal account is kept on the row; a token or pad change leaves it as it was.
        **({"rater": user} if channel == Channel.PORTAL else {}),
    )


@transaction.atomic
def rate_by_phone(
    *,
    filing_id: int,
    act: str,
    level: str,
    reason: str,
    comment: str,
    caller_name: str,
    caller_phone: str,
    actor,
    client_ip=None,
) -> Rating:
    """A rating taken by the 12345 hotline, entered by a supervisor of the filing's centre (or of the
    act's department there). A caller on one of the filing's own numbers (the applicant's, the
    contact's, the agent's) is the applicant: their rating is the applicant's one row, whichever
    channel gave it first; any other caller rates as themselves, keyed by their number."""
    level, reason, comment = _checked(level, reason, comment)
    errors = {}
    caller_name = (caller_name or "").strip()
    phone = normalise_phone(caller_phone)
    if not caller_name:
        errors["caller_name"] = _("Enter the caller's name.")
    elif len(caller_name) > 100:
        errors["caller_name"] = _("Keep the caller's name to %(max)d characters.") % {"max": 100}
    if not 7 <= len(phone) <= 20:
        errors["caller_phone"] = _("Enter the caller's phone number.")
    if errors:
        raise ValidationError(errors)
    filing = _locked_filing(filing_id)
    done = act_of(filing, act)
    if not supervises(actor, done):
        # Another centre's filing is not revealed to a supervisor; anyone else is simply refused.
        if StaffMembership.objects.filter(user=actor, role=Role.SUPERVISOR).exists():
            raise Http404
        raise PermissionDenied(_("Only a supervisor of the filing's service centre enters 12345 ratings."))
    refuse_own_work(done, user=actor, phone=phone)
    own_numbers = {
        normalise_phone(n) for n in (filing.applicant_phone, filing.contact_phone, filing.agent_phone)
    }
    rater_key = APPLICANT if phone in own_numbers - {""} else caller_key(phone)
    return _give(
        filing,
        done,
        rater_key=rater_key,
        level=level,
        reason=reason,
        comment=comment,
        channel=Channel.PHONE,
        actor=actor,
        client_ip=client_ip,
        caller_name=caller_name,
        caller_phone=phone,
        entered_by=actor,
    )
