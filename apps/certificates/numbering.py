"""The numbers a document carries: the human certificate number, the GB/T 36904 identifier, the
keyed check code printed beside the number, and the number of a denial decision.

Certificate numbers are gap-free per certificate type and year (one counter, ``sequences``), taken
in the issuing transaction; the identifier's serial is the same counter, prefixed by the year, so a
certificate's number and identifier can never disagree.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.certificates.identifiers import Identifier
from apps.certificates.models import NUMBER_PLACEHOLDER
from apps.sequences.services import next_value

CHECK_CODE_LENGTH = 8


def format_number(number_format: str, *, year: int, serial: int, region: str, type_code: str) -> str:
    def value(match) -> str:
        name = match.group(1)
        if name.startswith("serial"):
            return format(serial, name.partition(":")[2] or "d")
        return {"year": str(year), "region": region, "type": type_code}[name]

    return NUMBER_PLACEHOLDER.sub(value, number_format)


def next_certificate_serial(licence_type, year: int) -> int:
    return next_value(f"certificate:{licence_type.pk}:{year}")


def certificate_identifier(licence_type, department, *, year: int, serial: int) -> str:
    return str(Identifier(licence_type.code, department.credit_code, f"{year}{serial:07d}"))


def denial_number(department, year: int) -> str:
    """<region>-<department id, 4 digits>-BX-<year>-<serial, 5 digits>, like the desk's notices
    (BX: 不予许可), gap-free per department and year."""
    serial = next_value(f"denial:{department.pk}:{year}")
    return f"{department.centre.region_code}-{department.pk:04d}-BX-{year}-{serial:05d}"


def check_code(type_code: str, number: str) -> str:
    """The keyed check code printed beside a certificate number (8 hex characters). Without the key a
    forger cannot make one up for a number, and the lookups are rate-limited."""
    key = settings.HALL_VERIFICATION_KEY or settings.SECRET_KEY
    digest = salted_hmac("hall.certificates.check-code", f"{type_code}:{number}", secret=key).hexdigest()
    return digest[:CHECK_CODE_LENGTH].upper()


def codes_match(printed: str, typed: str) -> bool:
    """A typed check code against the printed one, ignoring case and spaces, in constant time."""
    return bool(printed) and constant_time_compare(printed, (typed or "").strip().upper())


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for a 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
