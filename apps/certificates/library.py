"""Looking holders up in the e-certificate library (电子证照库) through the API: who may, and the
disclosure log of every lookup by a holder's identity number or credit code."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from apps.audit.services import record_lookup
from apps.certificates import selectors
from apps.licences.models import ElectronicCertificate

WHAT = "holder_certificates"
PURPOSE = "intake: e-certificates in place of paper"


def look_up(user, holder_code: str = "", *, client_ip=None) -> QuerySet[ElectronicCertificate]:
    """The entries ``user`` may see for ``holder_code``; PermissionDenied for anyone who may not use
    the library (the anonymous, staff other than window clerks). A clerk's lookup by code is logged
    as a disclosure, one row per lookup, whether or not the holder holds anything."""
    access = selectors.library_access(user)
    if access is None:
        raise PermissionDenied
    code = selectors.normalised_holder_code(holder_code)
    if access == selectors.LOOKS_UP_HOLDERS and code:
        record_lookup(what=WHAT, purpose=PURPOSE, viewer=user, looked_up=code, client_ip=client_ip)
    return selectors.library_for(user, code, access=access)
