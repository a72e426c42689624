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
        return joined(str(m) for m in error.messages)
    return str(getattr(error, "message", error))


def joined(messages) -> str:
    """Messages as one sentence: Chinese ones, each ending in its own 。, become clauses joined by ；
    (“申请表（书）尚未提交；营业执照尚未提交。”), the last keeping its full stop; a message ending in a
    Latin full stop (English) is followed by a space, as sentences are."""
    text = ""
    for message in messages:
        if not text:
            text = message
        elif text.endswith("."):
            text = f"{text} {message}"
        else:
            text = f"{text.removesuffix('。')}；{message}"
    return text
