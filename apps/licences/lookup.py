"""The e-certificate lookup the intake desk uses (电子证照库): which valid certificates a holder has.

The interface is fixed now; the certificate desk fills the library (issue 8). Until then no holder
has a certificate, and the desk says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class HeldCertificate:
    licence_type_id: int
    type_name: str
    number: str
    identifier: str  # the GB/T 36904 electronic-certificate identifier
    holder_name: str
    valid_until: dt.date | None


def valid_certificates(holder_code: str) -> list[HeldCertificate]:
    """The valid certificates of the holder with this identity number or credit code."""
    return []
