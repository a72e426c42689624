"""Every error under /api/ is JSON: ``{"detail": ..., "code": ...}`` (a refused field: ``{field: [...]}``).

In the API's views (``exception_handler``, DRF's EXCEPTION_HANDLER): a state conflict is 409, a broken
rule 400 naming the field, a malformed or oversized request 400, and anything unexpected a 500 —
logged with its traceback as Django logs one, and said without it.

Outside them (``ApiErrorsAsJsonMiddleware``): what Django answers itself under /api/ — no such route,
a 404 from a plain view (a file download), a refusal from a middleware, a server error, and in
development Django's technical pages — is turned into the same JSON, keeping the status.
"""

import logging
import sys
from http import HTTPStatus

from django.core import signals
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from apps.core.errors import Conflict


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.message), "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    request = context["request"]
    if isinstance(exc, (SuspiciousOperation, BadRequest)) and not isinstance(exc, exceptions.APIException):
        if isinstance(exc, SuspiciousOperation):  # as Django logs one
            logging.getLogger(f"django.security.{exc.__class__.__name__}").error(
                str(exc), exc_info=exc, extra={"status_code": 400, "request": request._request}
            )
        return Response(_bad_request_body(exc), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return _server_error(exc, request._request)
    if isinstance(response.data, dict) and set(response.data) == {"detail"}:
        response.data["code"] = getattr(response.data["detail"], "code", None) or "error"
    return response


def _bad_request_body(exc) -> dict:
    if isinstance(exc, RequestDataTooBig):
        return {"detail": _("The request body is too large."), "code": "body_too_large"}
    if isinstance(exc, TooManyFieldsSent):
        return {"detail": _("The request has too many fields."), "code": "too_many_fields"}
    if isinstance(exc, BadRequest) and exc.args:
        return {"detail": str(exc.args[0]), "code": "bad_request"}
    return {"detail": str(exceptions.ParseError.default_detail), "code": "bad_request"}


def _server_error(exc, request) -> Response:
    """An exception no rule expected: rolled back, logged with its traceback (and signalled, for error
    reporting and the test client), answered without it."""
    set_rollback()
    response = Response(
        {"detail": str(exceptions.APIException.default_detail), "code": "server_error"},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
    if sys.exc_info()[1] is exc:
        signals.got_request_exception.send(sender=None, request=request)
    log_response(
        "%s: %s",
        HTTPStatus.INTERNAL_SERVER_ERROR.phrase,
        request.path,
        response=response,
        request=request,
        exception=exc,
    )
    return response


def _json_body(status_code: int, request) -> dict:
    known = {
        400: (exceptions.ParseError.default_detail, "bad_request"),
        401: (exceptions.NotAuthenticated.default_detail, "not_authenticated"),
        403: (exceptions.PermissionDenied.default_detail, "permission_denied"),
        404: (exceptions.NotFound.default_detail, "not_found"),
        406: (exceptions.NotAcceptable.default_detail, "not_acceptable"),
        413: (_("The request body is too large."), "body_too_large"),
        429: (exceptions.Throttled.default_detail, "throttled"),
        500: (exceptions.APIException.default_detail, "server_error"),
    }
    if status_code == 405:
        return {
            "detail": str(exceptions.MethodNotAllowed(request.method).detail),
            "code": "method_not_allowed",
        }
    if status_code in known:
        detail, code = known[status_code]
        return {"detail": str(detail), "code": code}
    try:
        phrase = HTTPStatus(status_code).phrase
    except ValueError:
        phrase = "Error"
    return {"detail": phrase, "code": phrase.lower().replace(" ", "_").replace("-", "_")}


def _is_json(response) -> bool:
    return "json" in response.get("Content-Type", "")


class ApiErrorsAsJsonMiddleware:
    """Near the top of MIDDLEWARE, outside everything that may answer an error as HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/api/") or response.status_code < 400 or _is_json(response):
            return response
        converted = JsonResponse(_json_body(response.status_code, request), status=response.status_code)
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length", "content-security-policy"):
                converted[header] = value
        converted.cookies = response.cookies
        # Django logged the original already (a 500 with its traceback): not a second time.
        converted._has_been_logged = getattr(response, "_has_been_logged", False)
        return converted
