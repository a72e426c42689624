"""Electronic-certificate identifiers in the GB/T 36904 shape (电子证照标识):

    1.2.156.3005.2.<certificate type code>.<issuer code>.<serial>.<3-digit version>.<check character>

The check character is ISO 7064 MOD 37,36 (hybrid system, alphabet 0-9A-Z) over the four middle
segments joined without dots. Published example (docs/code-lists.md):
``1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PREFIX = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_character(payload: str) -> str:
    """ISO 7064 MOD 37,36 over ``payload`` (digits and capital letters)."""
    p = 36
    for char in payload:
        value = ALPHABET.index(char)
        s = (p + value) % 36 or 36
        p = (2 * s) % 37
    return ALPHABET[(37 - p) % 36]


@dataclass(frozen=True)
class Identifier:
    type_code: str
    issuer_code: str
    serial: str
    version: int = 1

    def __str__(self) -> str:
        body = f"{self.type_code}.{self.issuer_code}.{self.serial}.{self.version:03d}"
        return f"{PREFIX}.{body}.{check_character(body.replace('.', ''))}"


def _valid_segment(segment: str) -> bool:
    return bool(segment) and all(char in ALPHABET for char in segment)


def parse(text: str) -> Identifier:
    """An identifier from its text, its shape and check character verified (ValidationError)."""
    text = (text or "").strip().upper()
    if not text.startswith(PREFIX + "."):
        raise ValidationError(
            _("An electronic certificate identifier starts with %(prefix)s.") % {"prefix": PREFIX}
        )
    parts = text[len(PREFIX) + 1 :].split(".")
    if len(parts) != 5 or not all(_valid_segment(p) for p in parts):
        raise ValidationError(_("The identifier does not have the shape type.issuer.serial.version.check."))
    type_code, issuer_code, serial, version, check = parts
    if len(version) != 3 or not version.isdigit() or len(check) != 1:
        raise ValidationError(_("The identifier does not have the shape type.issuer.serial.version.check."))
    if check_character(type_code + issuer_code + serial + version) != check:
        raise ValidationError(_("The identifier's check character is wrong: it was mistyped or altered."))
    return Identifier(type_code, issuer_code, serial, int(version))
