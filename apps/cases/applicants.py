"""Who files: the applicant (a natural person or an organisation) and an agent acting for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.identifiers import (
    normalise_resident_id,
    normalise_uscc,
    validate_resident_id,
    validate_uscc,
)
from apps.cases.codes import ApplicantKind

if TYPE_CHECKING:
    from apps.cases.models import Filing

_phone = RegexValidator(r"^[0-9\-+() ]{7,20}$")

# The one mapping between an applicant's fields and the names a filing stores them under — which are
# also the names every form, serializer and page uses (``applicant_kind``, ``agent_phone`` …).
COLUMNS = {
    "kind": "applicant_kind",
    "name": "applicant_name",
    "id_number": "applicant_id_number",
    "phone": "applicant_phone",
    "legal_representative": "legal_representative",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    "agent_name": "agent_name",
    "agent_id_number": "agent_id_number",
    "agent_phone": "agent_phone",
}


@dataclass
class ApplicantData:
    kind: str
    name: str
    id_number: str
    phone: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    agent_phone: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping) -> ApplicantData:
        """The applicant of a form's or a serializer's data, whose fields are named as the filing's
        columns (``COLUMNS``); a field left out or empty is blank. Checked by ``cleaned()``."""
        return cls(**{field: data.get(column) or "" for field, column in COLUMNS.items()})

    @staticmethod
    def column_of(field: str) -> str:
        """The column (and form field) a refusal of ``cleaned()`` names as ``field``; another key
        (``items``, ``window`` …) is kept as it is."""
        return COLUMNS.get(field, field)

    def cleaned(self) -> ApplicantData:
        """The data normalised and checked; ValidationError names each wrong field and its rule."""
        data = ApplicantData(**{k: (v or "").strip() for k, v in asdict(self).items()})
        errors: dict[str, list] = {}

        def check(field, validator):
            try:
                validator(getattr(data, field))
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.messages)

        if data.kind not in ApplicantKind.values:
            errors["kind"] = [_("Choose a natural person or an organisation.")]
        if not data.name:
            errors["name"] = [_("Give the applicant's name.")]
        if data.kind == ApplicantKind.PERSON:
            data.id_number = normalise_resident_id(data.id_number)
            check("id_number", validate_resident_id)
        elif data.kind == ApplicantKind.ORGANISATION:
            data.id_number = normalise_uscc(data.id_number)
            check("id_number", validate_uscc)
            if not data.legal_representative:
                errors["legal_representative"] = [_("An organisation gives its legal representative.")]
        for field in ("phone", "contact_phone", "agent_phone"):
            if getattr(data, field) and not _phone.regex.match(getattr(data, field)):
                errors[field] = [_("A phone number has 7 to 20 digits (with - + ( ) allowed).")]
        if data.agent_name or data.agent_id_number:
            if not data.agent_name:
                errors["agent_name"] = [_("Give the agent's name.")]
            data.agent_id_number = normalise_resident_id(data.agent_id_number)
            check("agent_id_number", validate_resident_id)
        if errors:
            raise ValidationError(errors)
        return data

    def model_fields(self) -> dict:
        return {column: getattr(self, field) for field, column in COLUMNS.items()}


def require_own_identity(citizen, applicant: ApplicantData, *, on) -> None:
    """An online filing is made in the account's own name, or for an organisation the account is
    authorised for on ``on`` (as its legal representative or agent). ``applicant`` is cleaned."""
    from apps.accounts.selectors import authorisations_of

    if not getattr(citizen, "is_authenticated", False):
        raise ValidationError(_("Log in to file online."))
    if applicant.kind == ApplicantKind.PERSON:
        if not citizen.id_number:
            raise ValidationError(
                {"id_number": _("Your account has no verified identity yet: have it verified at a window.")}
            )
        if applicant.id_number != citizen.id_number or applicant.name != (
            citizen.full_name or applicant.name
        ):
            raise ValidationError(
                {
                    "id_number": _(
                        "An online filing is made in your own name and identity number, or for an "
                        "organisation you are authorised for."
                    )
                }
            )
        return
    if not authorisations_of(citizen, on).filter(credit_code=applicant.id_number).exists():
        raise ValidationError(
            {
                "id_number": _(
                    "Your account is not authorised to act for this organisation (no valid authorisation "
                    "for %(code)s)."
                )
                % {"code": applicant.id_number}
            }
        )


def acts_for_applicant(filing: Filing, user, *, on=None) -> bool:
    """The account speaks for the filing's applicant today: the person's own account that filed it,
    or an account authorised for the organisation on ``on`` (an agent whose authorisation has
    expired no longer does, even for a filing they made)."""
    from apps.accounts.selectors import authorisations_of

    if not getattr(user, "is_authenticated", False):
        return False
    if filing.applicant_kind == ApplicantKind.ORGANISATION:
        return (
            filing.citizen_id is not None
            and authorisations_of(user, on or timezone.localdate())
            .filter(credit_code=filing.applicant_id_number)
            .exists()
        )
    return filing.citizen_id is not None and filing.citizen_id == user.pk
