"""National identifier checksums and masking.

- Resident identity number (公民身份号码, GB 11643-1999): 6-digit area + YYYYMMDD + 3-digit sequence
  + check character, ISO 7064 MOD 11-2.
- Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters over a 31-letter
  alphabet with a weighted MOD 31 check character.

Validators raise ``ValidationError`` with a message that names the rule, translated.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def normalise_resident_id(value: str) -> str:
    return (value or "").strip().upper()


def validate_resident_id(value: str) -> None:
    number = normalise_resident_id(value)
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a final digit or X."),
            code="resident_id_format",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in this resident ID number (characters 7–14) is not a real date."),
            code="resident_id_birth_date",
        ) from None
    if birth < dt.date(1900, 1, 1) or birth > dt.date.today():
        raise ValidationError(
            _("The birth date in this resident ID number (characters 7–14) is out of range."),
            code="resident_id_birth_date",
        )
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The check character of this resident ID number is wrong (GB 11643 checksum)."),
            code="resident_id_checksum",
        )


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    return (value or "").strip().upper()


def validate_uscc(value: str) -> None:
    code = normalise_uscc(value)
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters from digits and capital letters "
                "(without I, O, S, V, Z)."
            ),
            code="uscc_format",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3–8 of a unified social credit code are the 6-digit region code."),
            code="uscc_region",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong (GB 32100 checksum)."),
            code="uscc_checksum",
        )


def mask_identifier(value: str) -> str:
    """Mask an identity number or credit code for lists and prints: 110105********002X.

    Keeps the first six characters (the region) and the last four.
    """
    value = value or ""
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_name(value: str) -> str:
    """张* : a person's name on a public page keeps only the family name's first character."""
    value = value or ""
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""


def mask_phone(value: str) -> str:
    """138****3210: keeps the first three and last four digits of a mobile number."""
    value = value or ""
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
