"""Public verification of issued certificates (证照核验), for anyone holding one: no login.

Two ways in: the unguessable token the QR code carries, or the printed number with its keyed check
code. The answer shows only what verification needs — type, number, masked holder, issuer, dates,
status — and every lookup is logged. Lookups are rate-limited per client address (``throttle``);
a code nobody issued, or a check code that does not match its number, is said to be so plainly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import SimpleRateThrottle

from apps.accounts.identifiers import mask_identifier, mask_name
from apps.audit.selectors import history_of
from apps.cases.codes import ApplicantKind
from apps.certificates import numbering
from apps.certificates.models import DocumentKind, IssuedDocument, VerificationLog
from apps.certificates.models import VerificationOutcome as O
from apps.licences.models import CertificateStatus, RevocationMode

VERDICTS = {
    O.VALID: _("This certificate is genuine and valid."),
    O.EXPIRED: _("This certificate is genuine but has expired."),
    O.REVOKED: _("This certificate was issued but has been revoked: it is no longer valid."),
    O.NOT_YET_VALID: _("This certificate is genuine but not valid yet."),
    O.UNKNOWN: _("No certificate was issued with this code: it may be mistyped or forged."),
    O.TAMPERED: _(
        "The check code does not match this number: the certificate may have been altered or forged."
    ),
    O.LIMITED: _("Too many lookups from your address: try again in a minute."),
}
# The library stores one status for revoking (撤销) and cancelling (注销); the public is told which,
# from the transition that ended the certificate. A cancelled licence was not granted wrongly: saying
# "revoked" of it would wrong its holder.
CANCELLED_VERDICT = _("This certificate was issued but has been cancelled: it is no longer valid.")
CANCELLED_LABEL = _("Cancelled (licence ended)")

_SPACES = re.compile(r"\s+")


def normalised(text: str) -> str:
    """What a person typed, as numbers and check codes are printed: full-width characters folded
    (ＪＹ → JY, what a Chinese input method gives), spaces of any kind dropped, upper case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).upper()


class VerificationThrottle(SimpleRateThrottle):
    """Per client address, over the cache (Redis in production): ``verification`` in the API's
    DEFAULT_THROTTLE_RATES. Works for the public page's plain requests as for the API's."""

    scope = "verification"

    def get_cache_key(self, request, view):
        # The address the audit log records (trusting only HALL_TRUSTED_PROXIES), not DRF's
        # get_ident, which believes any X-Forwarded-For a client makes up.
        from apps.audit.requests import client_ip

        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


@dataclass(frozen=True)
class Verification:
    outcome: str
    document: IssuedDocument | None = None
    # For a revoked certificate: the transition that ended it (RevocationMode), else "".
    ended_by: str = ""

    @property
    def cancelled(self) -> bool:
        return self.ended_by == RevocationMode.CANCEL

    @property
    def verdict(self) -> str:
        return str(CANCELLED_VERDICT if self.cancelled else VERDICTS[self.outcome])

    @property
    def limited(self) -> bool:
        return self.outcome == O.LIMITED

    @property
    def status_label(self) -> str:
        return str(CANCELLED_LABEL if self.cancelled else O(self.outcome).label)

    @property
    def genuine(self) -> bool:
        return self.document is not None

    def facts(self) -> dict | None:
        """What the public may see of the certificate, and nothing more."""
        if self.document is None:
            return None
        entry = self.document.library_entry
        return {
            "type": entry.licence_type.name,
            "number": entry.number,
            # A person's name is masked on a public page; an organisation's name is public.
            "holder": entry.holder_name
            if self.document.filing.applicant_kind == ApplicantKind.ORGANISATION
            else mask_name(entry.holder_name),
            "holder_code": mask_identifier(entry.holder_code),
            "issuer": entry.issuer,
            "issued_on": entry.issued_on,
            "valid_from": entry.valid_from,
            "valid_until": entry.valid_until,
            "status": self.outcome,
            "revoked_at": entry.revoked_at,
        }


def _outcome(document: IssuedDocument, today: dt.date) -> str:
    entry = document.library_entry
    if entry.status == CertificateStatus.REVOKED:
        return O.REVOKED
    if entry.valid_from > today:
        return O.NOT_YET_VALID
    if entry.valid_until and entry.valid_until < today:
        return O.EXPIRED
    return O.VALID


def standing(document: IssuedDocument, today: dt.date | None = None) -> str:
    """Whether a certificate stands today (valid, expired, revoked, not yet valid), as verification
    answers it: what its holder's wallet shows. Reads only the document's library entry."""
    return _outcome(document, today or timezone.localdate())


def _ended_by(document: IssuedDocument) -> str:
    """Which transition revoked the certificate's library entry (one query, revoked ones only)."""
    return (
        history_of(document.library_entry)
        .filter(transition__in=RevocationMode.values)
        .values_list("transition", flat=True)
        .last()
        or RevocationMode.REVOKE
    )


def _found(document: IssuedDocument) -> Verification:
    outcome = _outcome(document, timezone.localdate())
    return Verification(outcome, document, _ended_by(document) if outcome == O.REVOKED else "")


def _certificates():
    return IssuedDocument.objects.filter(kind=DocumentKind.CERTIFICATE).select_related(
        "library_entry__licence_type", "filing"
    )


def _logged(result: Verification, *, method: str, query: str, client_ip) -> Verification:
    VerificationLog.objects.create(
        method=method,
        query=query[:120],
        document=result.document,
        outcome=result.outcome,
        client_ip=client_ip,
    )
    return result


def by_token(token: str, *, client_ip=None) -> Verification:
    token = (token or "").strip()
    document = _certificates().filter(verification_token=token).first() if token else None
    result = Verification(O.UNKNOWN) if document is None else _found(document)
    return _logged(result, method="token", query=token, client_ip=client_ip)


def by_number(number: str, code: str, *, client_ip=None) -> Verification:
    """A printed number and its check code. A number that exists with a wrong code is 'tampered'.

    Both are read as typed on a phone: lower case, spaces and full-width characters are normalised
    first, and the number matched without regard to case."""
    typed = f"{(number or '').strip()} {(code or '').strip()}".strip()  # logged as typed
    number, code = normalised(number), normalised(code)
    candidates = list(_certificates().filter(number__iexact=number)) if number else []
    # The code printed on the certificate is the one captured at issue: a type code corrected
    # later must not turn genuine certificates into "tampered" ones.
    document = next(
        (d for d in candidates if numbering.codes_match(d.content.get("check_code", ""), code)), None
    )
    if document is not None:
        result = _found(document)
    else:
        result = Verification(O.TAMPERED if candidates else O.UNKNOWN)
    return _logged(result, method="number", query=typed, client_ip=client_ip)


def from_request(request, *, token: str | None = None, number: str = "", code: str = "") -> Verification:
    """A public lookup as the page and the API make it: by token, or by number and check code;
    refused (and logged like any other) when the client's address is over the rate."""
    from apps.audit.requests import client_ip

    ip = client_ip(request)
    if not VerificationThrottle().allow_request(request, None):
        query = token if token is not None else f"{number} {code}".strip()
        return _logged(
            Verification(O.LIMITED),
            method="token" if token is not None else "number",
            query=query,
            client_ip=ip,
        )
    if token is not None:
        return by_token(token, client_ip=ip)
    return by_number(number, code, client_ip=ip)
