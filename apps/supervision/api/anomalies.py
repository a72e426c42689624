"""/api/v1/ anomalies (电子监察): what the desk's anomalies page shows, as JSON —
``GET /api/v1/anomalies/?rule=&department=&from=&to=&page=``: every rule's count under the filters
(other than the rule) and the findings, paginated, newest first. Supervisors only, cut by their scope
(``accounts.scopes.scope_of``), as the page."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from apps.accounts.permissions import UsesSupervisionDesk
from apps.accounts.scopes import scope_of
from apps.supervision.anomalies import selectors
from apps.supervision.models import AnomalyRule


class AnomalyRuleCountSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=AnomalyRule.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class AnomalyFindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.ChoiceField(choices=AnomalyRule.choices)
    rule_label = serializers.CharField(source="get_rule_display")
    day = serializers.DateField(help_text="the local date of what the rule saw")
    centre = serializers.IntegerField(source="centre_id")
    department = serializers.IntegerField(
        source="department_id", allow_null=True, help_text="null: the whole centre"
    )
    department_name = serializers.SerializerMethodField()
    subject_type = serializers.SerializerMethodField(help_text="case, filing, issueddocument or user")
    subject_id = serializers.IntegerField()
    filing = serializers.IntegerField(source="filing_id", allow_null=True)
    filing_number = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    detail = serializers.JSONField(
        help_text='what the rule saw (per rule: docs/architecture.md, "Anomalies")'
    )
    page = serializers.SerializerMethodField(help_text="the desk page about it, or empty")
    found_at = serializers.DateTimeField()

    def get_department_name(self, anomaly) -> str:
        return anomaly.department.name if anomaly.department_id else ""

    def get_subject_type(self, anomaly) -> str:
        return ContentType.objects.get_for_id(anomaly.subject_type_id).model

    def get_filing_number(self, anomaly) -> str:
        return anomaly.filing.number if anomaly.filing_id else ""

    def get_description(self, anomaly) -> str:
        return selectors.describe(anomaly)

    def get_page(self, anomaly) -> str:
        return selectors.link(anomaly)


class AnomalyListSerializer(serializers.Serializer):
    counts = AnomalyRuleCountSerializer(
        many=True, help_text="every rule, under the filters other than the rule"
    )
    count = serializers.IntegerField(help_text="findings under all the filters")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AnomalyFindingSerializer(many=True)


@extend_schema(
    operation_id="anomalies_list",
    parameters=[
        OpenApiParameter("rule", str, enum=[r for r, _ in AnomalyRule.choices]),
        OpenApiParameter("department", int, description="a department of the reader's scope"),
        OpenApiParameter("from", str, description="YYYY-MM-DD: findings of this day or later"),
        OpenApiParameter("to", str, description="YYYY-MM-DD: findings of this day or earlier"),
        OpenApiParameter("page", int),
    ],
    responses=AnomalyListSerializer,
)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def anomaly_list(request):
    scope = scope_of(request.user)
    form = selectors.AnomalyForm(request.query_params, scope=scope)
    if not form.is_valid():
        raise ValidationError(dict(form.errors.items()))
    query = form.query()
    paginator = PageNumberPagination()
    rows = paginator.paginate_queryset(selectors.findings(scope, query), request)
    counts = selectors.counts(scope, query)
    return Response(
        {
            "counts": AnomalyRuleCountSerializer(counts, many=True).data,
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": AnomalyFindingSerializer(rows, many=True).data,
        }
    )


urlpatterns = [path("anomalies/", anomaly_list, name="anomaly-list")]
