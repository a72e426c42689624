"""The API's translation of domain errors: a state conflict is 409, a broken rule is 400 naming the field."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.audit.transitions import Conflict


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.message), "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
