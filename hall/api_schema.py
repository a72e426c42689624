"""What the OpenAPI schema says beyond the serializers: the error answers every operation can give,
and which reads need no login.

Applied by drf-spectacular after the schema is built (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``),
from the rules the API follows everywhere (``hall.api_errors`` and DRF's exception handler):

- 400 — a body or query that breaks a rule: an object naming each field and its messages (nested for
  nested fields, ``non_field_errors`` for rules across fields, ``detail`` for a body that does not
  parse), on every write and every operation with query parameters;
- 403 — not logged in, no permission, or a failed CSRF check, on every operation that needs a login;
- 404 — not there, or not the user's to see (another centre's filing), on every operation with a path
  parameter, and a page past the last one on paginated lists;
- 409 — the state moved on (another clerk took the filing first), on every write;
- 415 — a body in a media type the operation does not take, on every operation with a body.

An operation documents its own answer for a status where it differs (public verification's 429 is a
verification result) and the hook leaves it alone.
"""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework.request import Request

ERROR = {
    "type": "object",
    "description": "An error: what went wrong, in the user's language.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "A stable name for the error, where there is one."},
    },
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "description": (
        "The rules a request broke: each field (``non_field_errors`` for rules across fields, "
        "``detail`` for a body that does not parse) with its messages, nested for nested fields."
    ),
    "anyOf": [
        {
            "type": "object",
            "additionalProperties": {
                "anyOf": [{"type": "array", "items": {}}, {"type": "object"}, {"type": "string"}]
            },
        },
        {"type": "array", "items": {"type": "string"}},
    ],
}
WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get", "head", "options", "trace"}


def _answer(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _anonymous_may(callback, method: str, path: str) -> bool:
    """Whether the view's permissions let a visitor who is not logged in make this request."""
    view = callback.cls(**getattr(callback, "initkwargs", {}))
    view.action = (getattr(callback, "actions", None) or {}).get(method.lower())
    request = Request(RequestFactory().generic(method.upper(), path))
    request.user = AnonymousUser()
    view.request = request
    return all(permission.has_permission(request, view) for permission in view.get_permissions())


def document_anonymous_reads(result, generator, request, public):
    """Reads open to everyone (the catalogue) say so: ``{}`` among their security requirements."""
    for path, _regex, method, callback in generator.endpoints:
        # drf-spectacular names a ``{pk}`` path parameter after the model's key (SCHEMA_COERCE_PATH_PK).
        methods = result["paths"].get(path) or result["paths"].get(path.replace("{pk}", "{id}"), {})
        operation = methods.get(method.lower())
        if operation is None or not hasattr(callback, "cls"):
            continue
        security = operation.get("security")
        if security and {} not in security and _anonymous_may(callback, method, path):
            security.append({})
    return result


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for methods in result["paths"].values():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            parameters = operation.get("parameters", [])
            queries = {p["name"] for p in parameters if p["in"] == "query"}
            write = method in WRITES
            answers = {}
            if write or queries - {"page"}:
                answers["400"] = _answer(
                    "The request breaks a rule (each field and its messages).", "ValidationError"
                )
            security = operation.get("security")
            if security and {} not in security:
                answers["403"] = _answer("Not logged in, not permitted, or the CSRF check failed.", "Error")
            if any(p["in"] == "path" for p in parameters) or "page" in queries:
                answers["404"] = _answer("Not found, or not yours to see; or a page past the last.", "Error")
            if write:
                answers["409"] = _answer("The state moved on: the action no longer applies.", "Error")
            if "requestBody" in operation:
                answers["415"] = _answer("The body is in a media type this operation does not take.", "Error")
            responses = operation.setdefault("responses", {})
            for status, answer in answers.items():
                responses.setdefault(status, answer)
    return result
