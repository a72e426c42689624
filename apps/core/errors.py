"""The errors of a refused action, and how they are said to people.

A service refuses in one of three ways: a broken rule of the input (Django's ``ValidationError``,
naming the field: HTTP 400), no right to act (``PermissionDenied``: 403, or 404 where the object
must not be revealed), or an action the object's state does not allow now (``Conflict``: 409). The
API's exception handler and the desks' messages both word them with ``error_text``.
"""

from django.core.exceptions import ValidationError


class Conflict(Exception):
    """The action is not possible in the object's current state (HTTP 409 in the API)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def error_text(error: Exception) -> str:
    """One line for people from a refused action (a broken rule or a conflict)."""
    if isinstance(error, ValidationError):
        return "；".join(str(m) for m in error.messages)
    return str(getattr(error, "message", error))
