"""Handing a stored file to a browser: the one response every download goes through.

Uploads and rendered PDFs are always attachments (never shown in the portal's origin), typed by
what the content check found when the file was stored (never by its name), never sniffed, never
cached (hall terminals are shared), and sandboxed should a browser render one anyway. A download of
a filing's file by anyone but the filing's own citizen account is a disclosure: it is logged
(``audit.DisclosureLog``) before the bytes are sent.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from apps.audit.requests import client_ip
from apps.audit.services import record_disclosure
from apps.uploads.validation import CONTENT_TYPES, MARKUP_WINDOW, sniff

FALLBACK_TYPE = "application/octet-stream"
NAME_LIMIT = 150  # characters of the name offered to save the file as


@dataclass(frozen=True)
class Disclosure:
    """What a download discloses: the row downloaded, what it is (``material_upload``,
    ``certificate_pdf`` …) and the citizen account whose own file it is (not logged for them)."""

    subject: object
    what: str
    owner_id: int | None = None
    purpose: str = "download"


def stored_file_response(
    request, content, *, filename: str, content_type: str | None = None, disclosure: Disclosure | None = None
) -> HttpResponse:
    """The response for ``content`` (bytes, or a stored file — streamed) named ``filename``.
    ``content_type`` is the type recorded by the content check; None when nothing was recorded
    (the catalogue's blank forms): then the content is checked now. ``disclosure`` says what the
    download discloses, written to the log unless the viewer is its owner; ``request`` may be None
    only for a public file (nothing disclosed)."""
    if disclosure is not None and not _own(request.user, disclosure):
        record_disclosure(
            disclosure.subject,
            what=disclosure.what,
            purpose=disclosure.purpose,
            viewer=request.user,
            client_ip=client_ip(request),
        )
    if content_type is None:
        content_type = _sniffed_type(content)
    if content_type not in CONTENT_TYPES:
        content_type = FALLBACK_TYPE
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content.open("rb"), content_type=content_type)
    response["Content-Disposition"] = attachment(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A PDF or image is what a browser might render; every file gets the sandbox all the same.
    response["Content-Security-Policy"] = "sandbox"
    return response


def _own(user, disclosure: Disclosure) -> bool:
    return disclosure.owner_id is not None and user.pk == disclosure.owner_id


def attachment(filename: str) -> str:
    """``Content-Disposition: attachment`` with an ASCII ``filename`` and the full name as an RFC 5987
    ``filename*`` (UTF-8, percent-encoded): no path, no control characters, no quotes."""
    name = safe_name(filename)
    stem, extension = os.path.splitext(name)
    ascii_stem = re.sub(
        r"[^A-Za-z0-9._-]+", "_", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    )
    ascii_stem = ascii_stem.strip("._") or "download"
    ascii_extension = re.sub(r"[^A-Za-z0-9.]", "", extension)
    return f"attachment; filename=\"{ascii_stem}{ascii_extension}\"; filename*=UTF-8''{quote(name, safe='')}"


def safe_name(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in ("C", "Z") or c == " ")
    name = name.replace('"', "").strip(" .")
    if len(name) > NAME_LIMIT:
        stem, extension = os.path.splitext(name)
        name = stem[: NAME_LIMIT - len(extension)] + extension
    return name or "download"


def _sniffed_type(content) -> str:
    if isinstance(content, bytes):
        content = io.BytesIO(content)
        head = content.read(MARKUP_WINDOW)
        content.seek(0)
        kind = sniff(head, content)
    else:
        with content.open("rb") as stored:
            kind = sniff(stored.read(MARKUP_WINDOW), stored)
    return kind.content_type if kind else FALLBACK_TYPE
