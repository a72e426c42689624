"""A booking's QR code (预约码) as a PNG: it carries the booking's token and nothing else, which is
what the kiosk's scanner types back (``appointment_selectors.appointment_of_token``). A PNG, not an
SVG: a phone's screen held to a kiosk's scanner, and saved to the photo album to show later."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from apps.visits.models import Appointment


def booking_qr_png(appointment: Appointment) -> bytes:
    # White background with the quiet zone: scans from a phone's screen in the elder mode's contrast too.
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(appointment.token)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
