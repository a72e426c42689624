"""The e-certificate lookup the intake desk uses (电子证照库): which valid certificates a holder has.

A certificate counts as held when the library has it for the holder's identity number or credit
code, it is not revoked, it has started and it has not expired. The certificate desk writes the
library when it issues (issue 8); a material the item lets an e-certificate replace is then handed
in without paper (免证可办), the certificate named on the filing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class HeldCertificate:
    licence_type_id: int
    type_name: str
    number: str
    identifier: str  # the GB/T 36904 electronic-certificate identifier
    holder_name: str
    valid_until: dt.date | None


def valid_certificates(holder_code: str, on: dt.date | None = None) -> list[HeldCertificate]:
    """The valid certificates of the holder with this identity number or credit code (one query)."""
    from apps.licences.models import CertificateStatus, ElectronicCertificate

    if not holder_code:
        return []
    on = on or timezone.localdate()
    rows = (
        ElectronicCertificate.objects.filter(
            holder_code=holder_code.strip().upper(), status=CertificateStatus.VALID, valid_from__lte=on
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("licence_type")
        .order_by("licence_type__name", "-issued_on")
    )
    return [
        HeldCertificate(
            licence_type_id=row.licence_type_id,
            type_name=row.licence_type.name,
            number=row.number,
            identifier=row.identifier,
            holder_name=row.holder_name,
            valid_until=row.valid_until,
        )
        for row in rows
    ]
