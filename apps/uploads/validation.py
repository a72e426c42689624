"""Checking uploaded files by their content, not their name.

An upload is accepted only when its first bytes identify one of the allowed document kinds and its
name's extension agrees with that kind; an executable renamed to .pdf is refused. Sizes are capped
by ``HALL_UPLOAD_MAX_MB``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("pdf", "application/pdf", (".pdf",))
PNG = Kind("png", "image/png", (".png",))
JPEG = Kind("jpeg", "image/jpeg", (".jpg", ".jpeg"))
DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
OLE = Kind("ole", "application/msword", (".doc", ".xls"))  # legacy Office binary (compound file)
OFD = Kind("ofd", "application/ofd", (".ofd",))  # GB/T 33190 electronic document

DOCUMENTS = (PDF, PNG, JPEG, DOCX, XLSX, OLE, OFD)
IMAGES = (PNG, JPEG)


def sniff(head: bytes, file) -> Kind | None:
    """The kind a file's content shows, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            names = set(zipfile.ZipFile(file).namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            file.seek(0)
        if "OFD.xml" in names:
            return OFD
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
    return None


def check_upload(file, *, allowed: tuple[Kind, ...] = DOCUMENTS, max_bytes: int | None = None) -> Kind:
    """Raise ValidationError unless ``file`` is an allowed kind by content and within the size cap."""
    limit = max_bytes or settings.HALL_UPLOAD_MAX_MB * 2**20
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = sniff(head, file)
    accepted = ", ".join(ext for k in allowed for ext in k.extensions)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("The file's content is not an accepted document type (accepted: %(accepted)s)."),
            code="file_type",
            params={"accepted": accepted},
        )
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith(kind.extensions):
        raise ValidationError(
            _("The file's name does not match its content (the content is %(kind)s)."),
            code="file_extension",
            params={"kind": kind.name.upper()},
        )
    return kind


def validate_document(file) -> None:
    """Model-field validator for document uploads."""
    check_upload(file)
