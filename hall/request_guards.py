"""Requests refused before any view: a NUL byte in the address, the query or a form field — and the
400 page that says why a request was refused.

PostgreSQL cannot hold NUL in text: psycopg2 refuses it ("A string literal cannot contain NUL (0x00)
characters") with a ValueError, so a NUL that reaches a query is a 500 wherever it comes from (a
token, a search, a login name, a note). No page of the portal sends one: a request holding one is
made up, and gets a 400 here — JSON under /api/, a short page in Chinese and English elsewhere.

Form fields are checked for the pages; under /api/ the JSON parser (``hall.parsers``) and the
serializers' text fields refuse NUL in a body themselves, and reading an upload early here would
pre-empt the API's own refusal of an oversized one. Uploaded file contents may hold any byte; their
names lose control characters in Django's multipart parser. A cookie holding a NUL byte is dropped,
as if it had not been sent (a session key with one would otherwise reach the session table).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _holds_nul(query_dict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


def _nul_message() -> str:
    return _("The request holds a NUL character (\\0), which no text may contain.")


def _refused(request):
    if is_api(request):
        return JsonResponse({"detail": _nul_message(), "code": "nul_character"}, status=400)
    # Before the language middleware: say it in both languages of the hall.
    messages = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            messages.append(_nul_message())
    return _page(" / ".join(messages))


def _page(message: str):
    # Rendered without the request: a refusal may come before the user and the session are known.
    return HttpResponseBadRequest(render_to_string("bad_request.html", {"message": message}))


class RequestGuardMiddleware:
    """Near the top of MIDDLEWARE: before the session is read and before any URL is resolved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if NUL in name or NUL in value]:
            del request.COOKIES[name]
        if NUL in request.path_info or _holds_nul(request.GET):
            return _refused(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After every middleware's request phase, so that the upload handlers are in place.
        form = request.method == "POST" and request.content_type in FORM_TYPES
        if form and not is_api(request) and _holds_nul(request.POST):
            return _refused(request)
        return None


def bad_request(request, exception):
    """handler400: a refusal the portal made on purpose (``BadRequest`` with a message: a tampered
    form, an id that is none) says why; any other (a malformed or oversized request) says so."""
    return _page(str(exception.args[0]) if isinstance(exception, BadRequest) and exception.args else "")
