"""The upload size limits, enforced while a request's body streams in.

Django hands every chunk of a multipart upload to the handlers of ``FILE_UPLOAD_HANDLERS`` in turn;
``LimitedUploadHandler`` is first. It refuses a request whose declared length is already over the
limits before anything is read (``UploadTooLarge``: 413 in the API, 400 elsewhere, with the limit),
and counts each file's bytes and the request's file bytes as they arrive. Once a file goes over
``HALL_UPLOAD_MAX_MB`` (or the request's files over ``HALL_UPLOAD_REQUEST_MAX_MB``) its chunks are
passed on no further, what the next handler had written of it so far is deleted, and the file
arrives in ``request.FILES`` as a ``RefusedUpload``: an empty stand-in that every upload check
(``uploads.validation.check_upload``) refuses naming the file and the limit. So a form or API call
that sends one file too many gets its ordinary validation message, and at most the limit (plus one
chunk) of any file ever reaches the disk.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from rest_framework import status
from rest_framework.exceptions import APIException

# Room for what a multipart body carries besides file content: part headers and boundaries (the
# form fields themselves are capped by DATA_UPLOAD_MAX_MEMORY_SIZE, added to this).
FRAMING_BYTES = 2**20


def file_limit() -> int:
    return settings.HALL_UPLOAD_MAX_MB * 2**20


def request_limit() -> int:
    return max(settings.HALL_UPLOAD_REQUEST_MAX_MB, settings.HALL_UPLOAD_MAX_MB) * 2**20


def body_limit() -> int:
    """The largest request body worth reading: every file at its limit plus the form fields."""
    return request_limit() + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) + FRAMING_BYTES


class UploadTooLarge(APIException, BadRequest):
    """A request declared a body larger than any acceptable upload: refused unread. The API answers
    413 with the message (an ``APIException``); a page answers 400 with it (a ``BadRequest``, which
    the portal's 400 page shows)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "upload_too_large"

    def __init__(self, size: int):
        message = gettext("The upload is %(size)s; the files of one request may total at most %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(request_limit()),
        }
        super().__init__(message)
        self.args = (message,)


class RefusedUpload(UploadedFile):
    """The stand-in for a file cut off at a limit: its name, field and the size that arrived, no
    content. ``refusal`` says which limit ("file" or "request") and ``limit`` its size in bytes."""

    def __init__(self, *, field_name, name, content_type, size, charset, refusal, limit):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)
        self.field_name = field_name
        self.refusal = refusal
        self.limit = limit


class LimitedUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: counts and cuts off; the handlers after it store."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > body_limit():
            if self.request is not None:
                self.request._mark_post_parse_error()  # read again, the form is empty: not refused twice
            raise UploadTooLarge(content_length)
        self.request_bytes = 0
        return None

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.file_bytes = 0
        self.refusal = None
        # The storing handlers open this file's copy after us: what they hold now is an earlier
        # file's (returned already, never to be closed here).
        self.earlier_files = {id(h): getattr(h, "file", None) for h in self._storing_handlers()}
        if self.request_bytes >= request_limit():
            self._refuse("request")
        elif content_length is not None and content_length > file_limit():
            self._refuse("file")
        if self.refusal:
            raise StopFutureHandlers  # the handlers after this one do not even open a file

    def receive_data_chunk(self, raw_data, start):
        self.file_bytes += len(raw_data)
        if self.refusal:
            return None
        self.request_bytes += len(raw_data)
        if self.file_bytes > file_limit():
            self._refuse("file")
        elif self.request_bytes > request_limit():
            self._refuse("request")
        return None if self.refusal else raw_data

    def file_complete(self, file_size):
        if not self.refusal:
            return None  # the next handler returns the stored file
        return RefusedUpload(
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.file_bytes,
            charset=self.charset,
            refusal=self.refusal,
            limit=file_limit() if self.refusal == "file" else request_limit(),
        )

    def _storing_handlers(self):
        handlers = self.request.upload_handlers if self.request is not None else ()
        return [handler for handler in handlers if handler is not self]

    def _refuse(self, refusal: str) -> None:
        self.refusal = refusal
        # What the storing handlers received of this file so far goes now (a temporary file is
        # deleted when closed), not when the request ends.
        for handler in self._storing_handlers():
            partial = getattr(handler, "file", None)
            if partial is not None and partial is not self.earlier_files.get(id(handler)):
                partial.close()
