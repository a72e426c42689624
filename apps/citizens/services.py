"""Citizen account use cases: registration, login and password reset by SMS code, real-name
verification at a window, the organisations a citizen acts for.

Each checks everything it can before it spends the SMS code (``codes.check_code``, which commits its
count of wrong guesses itself and so runs outside the service's transaction), then does its writes in
one transaction, logged in the audit trail.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.identifiers import (
    normalise_resident_id,
    normalise_uscc,
    validate_resident_id,
    validate_uscc,
)
from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation, RealNameLevel, User
from apps.accounts.permissions import Perm
from apps.accounts.roles import Role, group_name
from apps.accounts.services import assign_role
from apps.audit.services import record_step
from apps.citizens.codes import check_code, require_mobile
from apps.citizens.models import CodePurpose
from apps.uploads.stored import checked

NAME_MAX_LENGTH = 100
ORGANISATION_NAME_MAX_LENGTH = 200


def _errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _citizen_with_phone(phone: str) -> User | None:
    """The active citizen account of a mobile number (staff accounts log in with their password)."""
    return User.objects.filter(phone=phone, is_active=True, groups__name=group_name(Role.CITIZEN)).first()


def register(*, full_name: str, id_number: str, phone: str, code: str, password: str, client_ip=None) -> User:
    """A citizen account with its real-name details (self-declared), its mobile number proved by a
    registration code. Logs in with the mobile number (its user name) and the password, or a code."""
    full_name = (full_name or "").strip()
    id_number = normalise_resident_id(id_number)
    errors: dict[str, list] = {}
    if not full_name:
        errors["full_name"] = [_("Enter your name as on your identity card.")]
    elif len(full_name) > NAME_MAX_LENGTH:
        errors["full_name"] = [_("A name has at most %(count)d characters.") % {"count": NAME_MAX_LENGTH}]
    try:
        validate_resident_id(id_number)
    except ValidationError as error:
        errors["id_number"] = error.messages
    else:
        if User.objects.filter(id_number=id_number).exists():
            errors["id_number"] = [
                _("An account with this resident ID number exists: log in, or reset its password.")
            ]
    try:
        phone = require_mobile(phone)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        if User.objects.filter(Q(phone=phone) | Q(username=phone)).exists():
            errors["phone"] = [_("An account with this mobile number exists: log in, or reset its password.")]
    candidate = User(username=phone, full_name=full_name, phone=phone, id_number=id_number)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = error.messages
    _errors(errors)
    check_code(phone=phone, purpose=CodePurpose.REGISTER, code=code)
    try:
        with transaction.atomic():
            candidate.set_password(password)
            candidate.real_name_level = RealNameLevel.DECLARED
            candidate.save()
            assign_role(user=candidate, role=Role.CITIZEN)
            record_step(candidate, step="registered", actor=candidate, client_ip=client_ip)
    except IntegrityError:
        # Registered a moment ago by another request with the same number or ID number.
        raise ValidationError(
            {"phone": _("An account with this mobile number exists: log in, or reset its password.")}
        ) from None
    return candidate


def login_with_code(*, phone: str, code: str, client_ip=None) -> User:
    """The citizen account of ``phone``, once its login code is accepted (the caller logs it in)."""
    phone = require_mobile(phone)
    user = _citizen_with_phone(phone)
    # A number without an account is refused as a wrong code is: the answer does not say which.
    check_code(phone=phone, purpose=CodePurpose.LOGIN, code=code)
    if user is None:
        raise ValidationError({"code": _("This code has expired or was already used: ask for a new one.")})
    record_step(user, step="logged_in_by_code", actor=user, client_ip=client_ip)
    return user


def reset_password(*, phone: str, code: str, password: str, client_ip=None) -> User:
    """A new password for the citizen account of ``phone``, proved by a reset code."""
    phone = require_mobile(phone)
    user = _citizen_with_phone(phone)
    if user is not None:
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
    check_code(phone=phone, purpose=CodePurpose.RESET, code=code)
    if user is None:
        raise ValidationError({"code": _("This code has expired or was already used: ask for a new one.")})
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_step(user, step="password_reset", actor=user, client_ip=client_ip)
    return user


def code_may_be_sent(*, phone: str, purpose: str) -> bool:
    """Whether a code for ``purpose`` is worth texting to ``phone``: a registration code only to a
    number without an account (refused, naming the field), a login or reset code only to a citizen's
    number (silently: the page says the same either way, so it tells no one whose number it is)."""
    phone = require_mobile(phone)
    if purpose == CodePurpose.REGISTER:
        if User.objects.filter(Q(phone=phone) | Q(username=phone)).exists():
            raise ValidationError(
                {"phone": _("An account with this mobile number exists: log in, or reset its password.")}
            )
        return True
    return _citizen_with_phone(phone) is not None


def request_code(*, phone: str, purpose: str, client_ip=None) -> None:
    """Send a code for ``purpose`` when ``code_may_be_sent``; the pages and the API call this."""
    from apps.citizens.codes import send_code

    if code_may_be_sent(phone=phone, purpose=purpose):
        send_code(phone=phone, purpose=purpose, client_ip=client_ip)


# --- real-name verification at a window ---------------------------------------------------------------


def _require_clerk_at_window(actor, window) -> None:
    from apps.accounts.models import StaffMembership

    if window is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Only a window clerk of this service centre may do this."))
    windows = set(
        StaffMembership.objects.filter(user=actor, role=Role.CLERK, centre_id=window.centre_id).values_list(
            "window_id", flat=True
        )
    )
    if not windows:
        raise PermissionDenied(_("Only a window clerk of this service centre may do this."))
    if window.pk not in windows:
        raise ValidationError({"window": _("Use your own window at this service centre.")})


@transaction.atomic
def verify_real_name(*, user_id: int, id_number: str, actor, window, client_ip=None) -> User:
    """窗口核验: a window clerk compares a citizen account with the identity card in front of them and
    records the account as verified at the window's centre. ``id_number`` is the number read from
    the card: it must be the account's."""
    _require_clerk_at_window(actor, window)
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or not user.id_number or not user.has_perm(Perm.USE_CITIZEN_PORTAL):
        raise ValidationError({"user": _("No citizen account with a resident ID number was found.")})
    if normalise_resident_id(id_number) != user.id_number:
        raise ValidationError(
            {"id_number": _("The identity card's number is not this account's: the account is not verified.")}
        )
    user.real_name_level = RealNameLevel.VERIFIED
    user.real_name_verified_at = timezone.now()
    user.real_name_verified_by = actor
    user.real_name_verified_centre_id = window.centre_id
    user.save(
        update_fields=[
            "real_name_level",
            "real_name_verified_at",
            "real_name_verified_by",
            "real_name_verified_centre",
        ]
    )
    record_step(
        user,
        step="real_name_verified",
        actor=actor,
        client_ip=client_ip,
        centre=window.centre_id,
        window=window.number,
    )
    return user


# --- organisations ------------------------------------------------------------------------------------


def _require_citizen(user) -> None:
    if not (getattr(user, "is_authenticated", False) and user.has_perm(Perm.USE_CITIZEN_PORTAL)):
        raise PermissionDenied(_("Only a citizen account may do this."))


@transaction.atomic
def add_organisation(
    *,
    user,
    organisation_name: str,
    credit_code: str,
    kind: str,
    letter=None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    client_ip=None,
) -> OrganisationAuthorisation:
    """The account acts for an organisation: as its legal representative (a letter optional), or as
    an agent with a letter of authorisation and an end date. The letter is checked by its content
    and size before anything is stored."""
    _require_citizen(user)
    today = timezone.localdate()
    organisation_name = (organisation_name or "").strip()
    credit_code = normalise_uscc(credit_code)
    valid_from = valid_from or today
    errors: dict[str, list] = {}
    if not organisation_name:
        errors["organisation_name"] = [_("Enter the organisation's name as registered.")]
    elif len(organisation_name) > ORGANISATION_NAME_MAX_LENGTH:
        errors["organisation_name"] = [
            _("A name has at most %(count)d characters.") % {"count": ORGANISATION_NAME_MAX_LENGTH}
        ]
    try:
        validate_uscc(credit_code)
    except ValidationError as error:
        errors["credit_code"] = error.messages
    if kind not in AuthorisationKind.values:
        errors["kind"] = [_("Choose legal representative or authorised agent.")]
    if kind == AuthorisationKind.AGENT:
        if not letter:
            errors["letter"] = [_("An agent needs the organisation's letter of authorisation.")]
        if valid_until is None:
            errors["valid_until"] = [_("An authorisation for an agent needs the date it ends.")]
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = [_("The authorisation cannot end before it starts.")]
    elif valid_until is not None and valid_until < today:
        errors["valid_until"] = [_("This authorisation has already ended.")]
    if not errors.get("credit_code") and (
        OrganisationAuthorisation.objects.filter(user=user, credit_code=credit_code, revoked_at__isnull=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    ):
        errors["credit_code"] = [
            _("You already act for this organisation: remove that authorisation first to replace it.")
        ]
    described = {}
    if letter and not errors:
        try:
            described = checked(letter, actor=user)
        except ValidationError as error:
            errors["letter"] = error.messages
    _errors(errors)
    authorisation = OrganisationAuthorisation(
        user=user,
        organisation_name=organisation_name,
        credit_code=credit_code,
        kind=kind,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if described:
        authorisation.letter = described["file"]
        authorisation.letter_name = described["original_name"]
        authorisation.letter_content_type = described["content_type"]
        authorisation.letter_size = described["size"]
        authorisation.letter_sha256 = described["sha256"]
    authorisation.save()
    record_step(
        authorisation,
        step="organisation_added",
        actor=user,
        client_ip=client_ip,
        credit_code=credit_code,
        kind=kind,
        letter=bool(described),
    )
    return authorisation


@transaction.atomic
def revoke_authorisation(*, authorisation_id: int, actor, client_ip=None) -> OrganisationAuthorisation:
    """The account no longer acts for the organisation (from now on; its filings stay)."""
    _require_citizen(actor)
    authorisation = (
        OrganisationAuthorisation.objects.select_for_update().filter(pk=authorisation_id, user=actor).first()
    )
    if authorisation is None:
        raise PermissionDenied(_("This authorisation is not yours."))
    if authorisation.revoked_at is None:
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at"])
        record_step(authorisation, step="authorisation_revoked", actor=actor, client_ip=client_ip)
    return authorisation


@transaction.atomic
def verify_authorisation(
    *, authorisation_id: int, actor, window, client_ip=None
) -> OrganisationAuthorisation:
    """窗口核验 of an organisation authorisation: a window clerk of the centre has compared it with the
    letter of authorisation (or the legal representative's proof) shown at the window. From then on
    the account reads the organisation's other filings too (``apps.cases.selectors``); a
    self-declared authorisation only lets it file for the organisation. Verifying twice keeps the
    first verification."""
    _require_clerk_at_window(actor, window)
    authorisation = OrganisationAuthorisation.objects.select_for_update().filter(pk=authorisation_id).first()
    if authorisation is None:
        raise ValidationError({"authorisation": _("No such authorisation was found.")})
    if authorisation.revoked_at is not None:
        raise ValidationError(
            {"authorisation": _("This authorisation was removed by its account: it cannot be verified.")}
        )
    today = timezone.localdate()
    if authorisation.valid_until is not None and authorisation.valid_until < today:
        raise ValidationError({"authorisation": _("This authorisation has already ended.")})
    if authorisation.verified_at is None:
        authorisation.verified_at = timezone.now()
        authorisation.verified_by = actor
        authorisation.verified_centre_id = window.centre_id
        authorisation.save(update_fields=["verified_at", "verified_by", "verified_centre"])
        record_step(
            authorisation,
            step="authorisation_verified",
            actor=actor,
            client_ip=client_ip,
            centre=window.centre_id,
            window=window.number,
            credit_code=authorisation.credit_code,
        )
    return authorisation
