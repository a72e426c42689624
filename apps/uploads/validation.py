"""Checking uploaded files by their content, not their name.

An upload is accepted only when its first bytes identify one of the allowed document kinds and its
name's extension agrees with that kind; an executable renamed to .pdf is refused. Then, by kind:

- every kind: no web-page markup (``<html``, ``<script``, ``<svg`` …) in its first ``MARKUP_WINDOW``
  bytes, where a browser sniffing the content would find it (an HTML/PDF polyglot);
- PDF: no active content (scripts, automatic and launch actions, embedded files, rich media, XFA
  forms: ``uploads.pdf_content``);
- PNG, JPEG: at most ``HALL_UPLOAD_MAX_PIXELS`` pixels, read from the header (never decoded);
- .docx, .xlsx, .ofd (zip archives): at most ``HALL_UPLOAD_MAX_UNPACKED_MB`` unpacked, compressed at
  most ``HALL_UPLOAD_MAX_PACK_RATIO`` times over, at most ``ARCHIVE_ENTRY_LIMIT`` entries — from the
  archive's directory (never extracted).

Sizes are capped by ``HALL_UPLOAD_MAX_MB`` (as the body streams in: ``uploads.handlers``). Every
refusal is a ``ValidationError`` naming the file and the rule.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from apps.uploads import pdf_content


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
ARCHIVES = (DOCX, XLSX, OFD)
CONTENT_TYPES = frozenset(kind.content_type for kind in DOCUMENTS)

MARKUP_WINDOW = 4096  # bytes; browsers sniff less (the HTML standard: 1,445)
MARKUP = re.compile(rb"<\s*(html|head|body|script|svg|iframe|object|embed|!doctype)\b", re.IGNORECASE)
ARCHIVE_ENTRY_LIMIT = 10_000


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
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
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
    """Raise ValidationError unless ``file`` is an allowed kind by content, within the size cap and
    passes its kind's content checks; the message names the file."""
    try:
        return _check(file, allowed, max_bytes)
    except ValidationError as error:
        name = getattr(file, "name", "") or ""
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
        raise ValidationError(
            [
                ValidationError(_("“%(name)s”: %(problem)s") % {"name": name, "problem": message}, code=code)
                for message, code in zip(error.messages, _codes(error), strict=True)
            ]
        ) from error


def _codes(error: ValidationError) -> list[str | None]:
    return [getattr(e, "code", None) for e in error.error_list]


def _check(file, allowed, max_bytes) -> Kind:
    limit = max_bytes or settings.HALL_UPLOAD_MAX_MB * 2**20
    size = getattr(file, "size", None)
    refusal = getattr(file, "refusal", None)  # cut off while streaming in (uploads.handlers)
    if refusal == "request":
        raise ValidationError(
            _("The files sent together exceed %(limit)s; send them in several parts."),
            code="upload_too_large",
            params={"limit": filesizeformat(file.limit)},
        )
    if refusal or (size is not None and size > limit):
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="file_too_large",
            params={
                "size": filesizeformat(size),
                "limit": filesizeformat(min(limit, getattr(file, "limit", limit))),
            },
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    file.seek(0)
    head = file.read(MARKUP_WINDOW)
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
    markup = MARKUP.search(head)
    if markup:
        raise ValidationError(
            _("The file holds web-page markup (%(tag)s) near its start; such a file is not accepted."),
            code="file_markup",
            params={"tag": "<" + markup.group(1).decode("ascii").lower()},
        )
    if kind is PDF:
        _check_pdf(file)
    elif kind in IMAGES:
        _check_image(file, kind)
    elif kind in ARCHIVES:
        _check_archive(file)
    return kind


def _read_all(file) -> bytes:
    file.seek(0)
    data = b"".join(file.chunks()) if hasattr(file, "chunks") else file.read()
    file.seek(0)
    return data


def _check_pdf(file) -> None:
    try:
        found = pdf_content.active_content(_read_all(file))
    except pdf_content.Unreadable as unreadable:
        raise ValidationError(
            _("The PDF cannot be checked (%(reason)s); save it again as a plain PDF and upload that."),
            code="pdf_unreadable",
            params={"reason": unreadable.reason},
        ) from unreadable
    if found:
        raise ValidationError(
            _(
                "The PDF holds active content (%(names)s); PDFs with scripts, automatic or launch "
                "actions, embedded files, rich media or XFA forms are not accepted."
            ),
            code="pdf_active_content",
            params={"names": ", ".join(found)},
        )


def _check_image(file, kind: Kind) -> None:
    limit = settings.HALL_UPLOAD_MAX_PIXELS
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file, formats=[kind.name.upper()]) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        width = height = None  # more pixels than Pillow opens at all: over any sensible limit
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The image cannot be read as %(kind)s."),
            code="image_unreadable",
            params={"kind": kind.name.upper()},
        ) from error
    finally:
        file.seek(0)
    if width is None or width * height > limit:
        raise ValidationError(
            _("The image has more than %(limit)s pixels (%(size)s); scan or save it at a lower resolution."),
            code="image_too_large",
            params={"limit": f"{limit:,}", "size": f"{width} × {height}" if width else "?"},
        )


def _check_archive(file) -> None:
    file.seek(0)
    try:
        entries = zipfile.ZipFile(file).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ValidationError(_("The archive is damaged."), code="archive_damaged") from error
    finally:
        file.seek(0)
    if len(entries) > ARCHIVE_ENTRY_LIMIT:
        raise ValidationError(
            _("The archive holds %(count)s entries; at most %(limit)s are accepted."),
            code="archive_entries",
            params={"count": len(entries), "limit": ARCHIVE_ENTRY_LIMIT},
        )
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    limit = settings.HALL_UPLOAD_MAX_UNPACKED_MB * 2**20
    if unpacked > limit:
        raise ValidationError(
            _("The file unpacks to %(size)s; at most %(limit)s is accepted."),
            code="archive_too_large",
            params={"size": filesizeformat(unpacked), "limit": filesizeformat(limit)},
        )
    ratio = unpacked / max(packed, 1)
    if ratio > settings.HALL_UPLOAD_MAX_PACK_RATIO:
        raise ValidationError(
            _("The file is compressed %(ratio)s times over; at most %(limit)s times is accepted."),
            code="archive_ratio",
            params={"ratio": int(ratio), "limit": settings.HALL_UPLOAD_MAX_PACK_RATIO},
        )


def validate_document(file) -> None:
    """Model-field validator for document uploads."""
    check_upload(file)
