"""The cases at risk API (预警): what the supervision desk's list shows, as JSON —
``GET /api/v1/cases-at-risk/?department=&level=&page=`` — and the early escalation,
``POST /api/v1/cases/<id>/escalate/`` {note}. Supervisors only, cut by their scope (another scope's
case: 404); the same selector (``apps.supervision.at_risk``) and service
(``apps.cases.review.services.escalate_early``) as the desk."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.accounts.permissions import UsesSupervisionDesk
from apps.accounts.scopes import scope_of
from apps.audit.input_limits import FREE_TEXT_MAX_LENGTH
from apps.audit.requests import client_ip
from apps.cases.models import Escalation, EscalationLevel, EscalationReason, EscalationState
from apps.cases.review import services
from apps.supervision import at_risk

LEVEL_CHOICES = [level.value for level in at_risk.LEVELS]


class AtRiskLevelCountsSerializer(serializers.Serializer):
    overdue = serializers.IntegerField()
    red = serializers.IntegerField()
    yellow = serializers.IntegerField()
    total = serializers.IntegerField()


class AtRiskDepartmentSerializer(AtRiskLevelCountsSerializer):
    department = serializers.IntegerField()
    name = serializers.CharField()


class AtRiskEscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=EscalationReason.choices)
    level = serializers.ChoiceField(choices=EscalationLevel.choices, help_text="addressed to")
    state = serializers.ChoiceField(choices=EscalationState.choices)
    opened_on = serializers.DateField()
    note = serializers.CharField(help_text="the supervisor's note, for an early escalation")


class AtRiskCaseSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    filing_number = serializers.CharField()
    item = serializers.CharField()
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    level = serializers.ChoiceField(choices=LEVEL_CHOICES)
    state = serializers.CharField()
    due_on = serializers.DateField()
    working_days_left = serializers.IntegerField(help_text="negative once overdue")
    held_by = serializers.CharField(help_text="the claiming approver; empty: in the queue")
    green_channel = serializers.BooleanField()
    applicant = serializers.CharField(help_text="masked for a person")
    applicant_id = serializers.CharField(help_text="masked")
    escalation = AtRiskEscalationSerializer(allow_null=True, help_text="its open escalation, if any")


class AtRiskListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    counts = AtRiskLevelCountsSerializer(help_text="all the cases at risk the filters select")
    by_department = AtRiskDepartmentSerializer(many=True)
    results = AtRiskCaseSerializer(
        many=True, help_text="most urgent first: overdue, red, yellow; by due date"
    )


class AtRiskEscalateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=FREE_TEXT_MAX_LENGTH, help_text="why the case is escalated")


def _escalation(e: Escalation | None) -> dict | None:
    if e is None:
        return None
    return {
        "id": e.pk,
        "reason": e.reason,
        "level": e.level,
        "state": e.state,
        "opened_on": e.opened_on,
        "note": e.note,
    }


def _row(row: at_risk.AtRiskRow) -> dict:
    return {
        "case": row.case_id,
        "filing_number": row.filing_number,
        "item": row.item,
        "department": row.department.pk,
        "department_name": row.department.name,
        "level": row.level,
        "state": row.state,
        "due_on": row.due_on,
        "working_days_left": row.days_left,
        "held_by": row.held_by,
        "green_channel": row.green_channel,
        "applicant": row.applicant,
        "applicant_id": row.applicant_id,
        "escalation": _escalation(row.escalation),
    }


def _counts(cells: list[int]) -> dict:
    return {**dict(zip(LEVEL_CHOICES, cells, strict=True)), "total": sum(cells)}


def _link(request, number_of) -> str | None:
    if number_of is None:
        return None
    url = request.build_absolute_uri()
    return remove_query_param(url, "page") if number_of == 1 else replace_query_param(url, "page", number_of)


@extend_schema(
    parameters=[
        OpenApiParameter("department", type=int, description="one department of the supervisor's scope"),
        OpenApiParameter("level", enum=LEVEL_CHOICES, description="default: every level"),
        OpenApiParameter("page", type=int),
    ],
    responses=AtRiskListSerializer,
)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def cases_at_risk(request):
    """The open cases with a yellow or red card, or overdue, in the supervisor's centre (or
    department), most urgent first, with the counts by level and department."""
    departments = at_risk.departments_in(scope_of(request.user))
    form = at_risk.AtRiskForm(request.query_params, departments=departments)
    if not form.is_valid():
        raise ValidationError(form.errors)
    result = at_risk.at_risk(
        form.query(departments),
        departments,
        page=request.query_params.get("page"),
        size=settings.REST_FRAMEWORK["PAGE_SIZE"],
    )
    page = result.page
    data = {
        "count": page.paginator.count,
        "next": _link(request, page.next_page_number() if page.has_next() else None),
        "previous": _link(request, page.previous_page_number() if page.has_previous() else None),
        "counts": _counts(result.level_cells),
        "by_department": [
            {"department": d.department.pk, "name": d.department.name, **_counts(d.cells)}
            for d in result.by_department
        ],
        "results": [_row(row) for row in result.rows],
    }
    return Response(AtRiskListSerializer(data).data)


@extend_schema(
    request=AtRiskEscalateSerializer,
    responses={
        201: AtRiskEscalationSerializer,
        400: OpenApiResponse(description="no note (the error names it)"),
        404: OpenApiResponse(description="no such case in the supervisor's scope"),
        409: OpenApiResponse(description="not open, not at risk, or escalated already (naming the open one)"),
    },
)
@api_view(["POST"])
@permission_classes([UsesSupervisionDesk])
def escalate(request, pk: int):
    """Escalate an open case at risk before the sweep would (督办), with a note."""
    case = get_object_or_404(at_risk.case_in_scope(scope_of(request.user)), pk=pk)
    body = AtRiskEscalateSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    escalation = services.escalate_early(
        case_id=case.pk, actor=request.user, note=body.validated_data["note"], client_ip=client_ip(request)
    )
    return Response(AtRiskEscalationSerializer(_escalation(escalation)).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("cases-at-risk/", cases_at_risk, name="cases_at_risk"),
    path("cases/<int:pk>/escalate/", escalate, name="case_escalate"),
]
