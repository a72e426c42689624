"""Checking an upload and describing it for storage, in one step."""

from __future__ import annotations

import hashlib

from apps.uploads.validation import check_upload


def checked(upload, *, actor=None) -> dict:
    """The ``CheckedFile`` fields of an upload, after checking it by content and size (a
    ``ValidationError`` otherwise, before anything is stored)."""
    kind = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return {
        "file": upload,
        "original_name": getattr(upload, "name", "")[:255],
        "content_type": kind.content_type,
        "size": upload.size,
        "sha256": digest.hexdigest(),
        "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
