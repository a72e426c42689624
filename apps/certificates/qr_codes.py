"""The verification QR code of a certificate as an image for screens (the wallet): the same address
the printed certificate's QR code carries (``services.verify_url``), so that a phone held up to
another phone's screen lands on the public verification page."""

from __future__ import annotations

import qrcode
import qrcode.image.svg

from apps.certificates.models import IssuedDocument
from apps.certificates.services.issuing import verify_url


def verification_qr_svg(document: IssuedDocument) -> str:
    """An SVG (white background, so that it scans in a dark room and in the elder mode's contrast)."""
    image = qrcode.make(
        verify_url(document.verification_token),
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    return image.to_string(encoding="unicode")
