"""How one value is written to a cell and read back from it, by the column's kind.

Reading is lenient about how a spreadsheet stores what a person typed (Excel turns 3 into 3.0 and may
keep TRUE as a boolean or as text) and strict about meaning: a value that is not of the column's kind
raises ``CellError`` with a message naming the rule.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from apps.catalogue.transfer.tables import CellKind, Column

CellValue = str | int | bool | None

TRUE_WORDS = {"true", "1", "yes", "y", "是"}
FALSE_WORDS = {"false", "0", "no", "n", "否"}
# People separate codes with commas, Chinese commas or enumeration commas (、) alike.
CODE_SEPARATORS = re.compile(r"[,，、;；\s]+")


class CellError(ValueError):
    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


# --- writing ----------------------------------------------------------------------------------------


def to_cell(column: Column, value) -> CellValue:
    if value is None:
        return None
    if column.kind == CellKind.CODES:
        return ",".join(sorted(str(code) for code in value))
    if column.kind == CellKind.BOOLEAN:
        return bool(value)
    if column.kind == CellKind.INTEGER:
        return int(value)
    return str(value)


# --- reading ----------------------------------------------------------------------------------------


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def from_cell(column: Column, raw):
    """The cell's value for the model: str, int, bool or a list of codes; None for a blank number or
    yes/no cell (the caller decides between the field's default and an error)."""
    if column.kind == CellKind.INTEGER:
        return _integer(raw)
    if column.kind == CellKind.BOOLEAN:
        return _boolean(raw)
    if column.kind == CellKind.CODES:
        return _codes(raw)
    return _text(raw)


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    return str(raw).strip()


def _integer(raw) -> int | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellError(_("Enter a whole number."), "not_integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise CellError(_("Enter a whole number."), "not_integer")


def _boolean(raw) -> bool | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Enter TRUE or FALSE."), "not_boolean")


def _codes(raw) -> list[str]:
    text = _text(raw)
    return sorted({code for code in CODE_SEPARATORS.split(text) if code})
