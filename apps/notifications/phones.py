"""Which phone numbers can receive an SMS: mainland mobile numbers (11 digits, 1[3-9]…).

A filing's phones are typed at the window with spaces, dashes or a +86 prefix; an organisation's
phone is often a landline (area code and number), which a gateway accepts and then fails to deliver,
or delivers to nobody.
"""

from __future__ import annotations

import re

MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-()]")


def mobile_number(phone: str) -> str:
    """The 11-digit mobile number ``phone`` is written as, or "" if it is not one."""
    digits = _SEPARATORS.sub("", phone or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if MOBILE.fullmatch(digits) else ""


def is_mobile(phone: str) -> bool:
    return bool(mobile_number(phone))


def first_mobile(*phones: str) -> str:
    """The first of ``phones`` that is a mobile number, as 11 digits ("" if none is)."""
    return next((number for number in map(mobile_number, phones) if number), "")
