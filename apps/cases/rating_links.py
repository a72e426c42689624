"""A filing's public rating link (好差评): the address printed as a QR code on its notices and
certificates and sent by SMS when it is closed. Whoever holds it may rate the filing's acts as its
applicant, without logging in (``apps.feedback`` reads it; this module only signs and reads tokens, so
that the notices, the certificates and the messages below ``feedback`` can print the link).

The token is the filing's id signed with the site's key and a timestamp: it cannot be forged or
guessed from another filing's, and it expires ``HALL_RATING_LINK_DAYS`` days after it was made."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "hall.feedback.rating-link"


class BadRatingToken(Exception):
    """A token that was not made here (forged or mistyped)."""


class ExpiredRatingToken(BadRatingToken):
    """A genuine token past its validity."""


class _SignedAt(signing.TimestampSigner):
    """A signer whose timestamp is a given instant rather than the clock's."""

    def __init__(self, moment: dt.datetime, **kwargs):
        super().__init__(**kwargs)
        self.moment = moment

    def timestamp(self):
        return signing.b62_encode(int(self.moment.timestamp()))


def make_token(filing_id: int, *, signed_at: dt.datetime | None = None) -> str:
    """A token for the filing, signed now, or at ``signed_at``: a document rendered again and again
    (a certificate, signed at its issue) prints the very same code each time, and its link expires
    as one made at that moment would."""
    signer = _SignedAt(signed_at, salt=SALT) if signed_at else signing.TimestampSigner(salt=SALT)
    return signer.sign(signing.b62_encode(filing_id))


def read_token(token: str) -> int:
    """The filing id a token names; ``ExpiredRatingToken`` or ``BadRatingToken`` otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=dt.timedelta(days=settings.HALL_RATING_LINK_DAYS))
    except signing.SignatureExpired as error:
        raise ExpiredRatingToken(str(error)) from error
    except signing.BadSignature as error:
        raise BadRatingToken(str(error)) from error
    try:
        return signing.b62_decode(value)
    except ValueError as error:  # a signed value this module never made
        raise BadRatingToken(str(error)) from error


def rating_url(filing_id: int, base_url: str | None = None, *, signed_at: dt.datetime | None = None) -> str:
    """The absolute rating address of a filing (a QR code or an SMS cannot carry a relative one)."""
    base_url = base_url or settings.HALL_PUBLIC_BASE_URL
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"base_url must be an absolute http(s) address, not {base_url!r}")
    return base_url.rstrip("/") + reverse("feedback:rate", args=[make_token(filing_id, signed_at=signed_at)])


def sms_rating_url(filing_id: int) -> str:
    """The rating link as a text message carries it: ratings through it count as the SMS channel."""
    return rating_url(filing_id) + "?via=sms"
