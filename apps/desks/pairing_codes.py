"""What the supervision desk shows of a device just paired (an evaluation pad, a kiosk, a display): its
one-time code, held in the supervisor's own session, and the pairing address as a QR code. The pads'
and the hall devices' pages (``apps.desks.pads``, ``apps.desks.devices``) both use it."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import qrcode
import qrcode.image.svg


@dataclass(frozen=True)
class HeldCode:
    """The code a supervisor was just shown, kept in their own session only until the screen uses it
    or it lapses, so that reloading the page shows it again and nobody else ever sees it."""

    session_key: str
    field: str  # what the held entry names the device by ("pad", "device")

    def keep(self, request, pk: int, code: str) -> None:
        request.session[self.session_key] = {self.field: pk, "code": code}

    def shown(self, request, pk: int, *, awaiting: bool) -> str | None:
        """The code to show on device ``pk``'s page: only while it still awaits its screen; once used
        or lapsed it is dropped from the session."""
        held = request.session.get(self.session_key) or {}
        code = held.get("code") if held.get(self.field) == pk and awaiting else None
        if held and code is None and held.get(self.field) == pk:
            del request.session[self.session_key]  # used or lapsed: not kept any longer
        return code


def qr_data_uri(url: str) -> str:
    """The address as a QR code, inline (the policy allows data: images): the screen's camera opens it."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    encoded = base64.b64encode(image.to_string(encoding="unicode").encode()).decode()
    return f"data:image/svg+xml;base64,{encoded}"
