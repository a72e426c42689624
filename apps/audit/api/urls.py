"""/api/v1/audit/: the transition and disclosure logs, searched and exported — what the supervision
desk's audit viewer shows (``apps.audit.search``), for supervisors, cut to their centre or
department. ``GET /api/v1/audit/transitions/?person=&filing=&action=&from=&to=&before=`` and
``…/disclosures/`` return a page (newest first) and the ``before`` of the next;
``…/export/`` the whole search as .xlsx (at most ``EXPORT_LIMIT`` rows)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.identifiers import mask_identifier
from apps.accounts.permissions import UsesSupervisionDesk
from apps.audit import export
from apps.audit.search import EXPORT_LIMIT, Log, LogSearchForm, search, visible_to
from apps.core import downloads
from apps.core.downloads import workbook_download

# The form's fields by the names the query string uses.
QUERY_NAMES = {"date_from": "from", "date_to": "to"}


class AuditLogPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()


class _EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    object_type = serializers.CharField(help_text="app_label.model of the object, e.g. cases.case")
    object_id = serializers.CharField()
    filing_number = serializers.CharField(help_text="the filing the object belongs to; empty for none")
    centre = serializers.IntegerField(allow_null=True, source="centre_id")
    department = serializers.IntegerField(allow_null=True, source="department_id")
    client_ip = serializers.CharField(allow_null=True)


class AuditLogTransitionSerializer(_EntrySerializer):
    actor = AuditLogPersonSerializer(allow_null=True, help_text="null: the hall's own rule acted")
    transition = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()


class AuditLogDisclosureSerializer(_EntrySerializer):
    viewer = AuditLogPersonSerializer()
    what = serializers.CharField()
    purpose = serializers.CharField()
    looked_up = serializers.CharField(help_text="what a lookup was made by, masked")


class AuditLogTransitionPageSerializer(serializers.Serializer):
    results = AuditLogTransitionSerializer(many=True)
    next_before = serializers.IntegerField(allow_null=True, help_text="ask ?before= this for older rows")


class AuditLogDisclosurePageSerializer(serializers.Serializer):
    results = AuditLogDisclosureSerializer(many=True)
    next_before = serializers.IntegerField(allow_null=True, help_text="ask ?before= this for older rows")


SERIALIZERS = {
    Log.TRANSITIONS: AuditLogTransitionPageSerializer,
    Log.DISCLOSURES: AuditLogDisclosurePageSerializer,
}
FILTERS = [
    OpenApiParameter("person", type=str, description="username (exact) or part of the full name"),
    OpenApiParameter(
        "filing", type=str, description="a filing number: its own rows and its cases', documents' …"
    ),
    OpenApiParameter("action", type=str, description="the transition (or, for disclosures, what was shown)"),
    OpenApiParameter("from", type=OpenApiTypes.DATE, description="first day, YYYY-MM-DD"),
    OpenApiParameter("to", type=OpenApiTypes.DATE, description="last day, YYYY-MM-DD"),
]


def _query(request, log: str):
    form = LogSearchForm(request.query_params)
    if not form.is_valid():
        raise ValidationError({QUERY_NAMES.get(name, name): errors for name, errors in form.errors.items()})
    return form.query(log)


def _person(user):
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.full_name}


def _entry(log: str, entry) -> dict:
    data = {
        "id": entry.pk,
        "at": entry.at,
        "object_type": entry.content_type.app_label + "." + entry.content_type.model
        if entry.content_type_id
        else "",
        "object_id": entry.object_id,
        "filing_number": entry.filing_number,
        "centre_id": entry.centre_id,
        "department_id": entry.department_id,
        "client_ip": entry.client_ip,
    }
    if log == Log.DISCLOSURES:
        looked_up = mask_identifier(entry.looked_up) if entry.looked_up else ""
        return {
            **data,
            "viewer": _person(entry.viewer),
            "what": entry.what,
            "purpose": entry.purpose,
            "looked_up": looked_up,
        }
    return {
        **data,
        "actor": _person(entry.actor),
        "transition": entry.transition,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "comment": entry.comment,
    }


def _page(request, log: str) -> Response:
    query = _query(request, log)
    page = search(visible_to(request.user), query)
    data = {"results": [_entry(log, entry) for entry in page.rows], "next_before": page.next_before}
    return Response(SERIALIZERS[log](data).data)


def _export(request, log: str) -> HttpResponse:
    query = _query(request, log)
    return workbook_download(export.workbook(visible_to(request.user), query), export.filename(query))


PAGE_FILTERS = [
    *FILTERS,
    OpenApiParameter("before", type=int, description="the next_before of the page before"),
]
XLSX = OpenApiResponse(OpenApiTypes.BINARY, description=f"an .xlsx workbook, at most {EXPORT_LIMIT} rows")


@extend_schema(parameters=PAGE_FILTERS, responses=AuditLogTransitionPageSerializer)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def transitions(request):
    """The transition log (who did what to which object), newest first, in the supervisor's scope."""
    return _page(request, Log.TRANSITIONS)


@extend_schema(parameters=PAGE_FILTERS, responses=AuditLogDisclosurePageSerializer)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def disclosures(request):
    """The disclosure log (who was shown personal data in full), newest first, in the supervisor's scope."""
    return _page(request, Log.DISCLOSURES)


@extend_schema(parameters=FILTERS, responses={(200, downloads.XLSX): XLSX})
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def transitions_export(request):
    """The transition log's search as .xlsx."""
    return _export(request, Log.TRANSITIONS)


@extend_schema(parameters=FILTERS, responses={(200, downloads.XLSX): XLSX})
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def disclosures_export(request):
    """The disclosure log's search as .xlsx."""
    return _export(request, Log.DISCLOSURES)


urlpatterns = [
    path("audit/transitions/", transitions, name="audit_transitions"),
    path("audit/transitions/export/", transitions_export, name="audit_transitions_export"),
    path("audit/disclosures/", disclosures, name="audit_disclosures"),
    path("audit/disclosures/export/", disclosures_export, name="audit_disclosures_export"),
]
