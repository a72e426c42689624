"""The work figures API (办件统计): what the supervision desk's work dashboard shows, as JSON —
``GET /api/v1/work-figures/?department=&month=&from=&to=&period=`` — and its tables as .xlsx —
``GET /api/v1/work-figures/export/?…&table=<slug>`` (one table; every table without ``table``).
Supervisors only (``UsesSupervisionDesk``); what each reads is cut by their scope (``scope_of``).
Read from the daily roll-ups, like the page."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from apps.accounts.permissions import UsesSupervisionDesk
from apps.accounts.scopes import scope_of
from apps.core.downloads import XLSX, workbook_download
from apps.supervision.models.rollups import COUNTS
from apps.supervision.tables import workbook
from apps.supervision.work_figures import (
    Counts,
    Period,
    Row,
    WorkFigures,
    WorkForm,
    about,
    figures_for,
    tables,
)

RATE_HELP = {
    "first_time_pass_rate": "percent: first decisions accepted (with or without a deficiency) / first ones",
    "on_time_rate": "percent: cases decided on or before their due date / cases decided",
    "online_share": "percent: filed items decided that were filed online / all decided",
    "average_days_used": "working days from acceptance to decision, suspensions left out",
    "average_days_promised": "the promised limit (承诺时限) of the same cases",
    "average_days_legal": "the legal limit (法定时限) of the same cases",
    "deficiency_cleared_rate": "percent: 容缺 cleared / (cleared + lapsed)",
}


class WorkFiguresCountsSerializer(serializers.Serializer):
    decided = serializers.IntegerField(help_text="filed items the windows decided, every channel")

    def get_fields(self):
        fields = super().get_fields()
        for name in COUNTS:
            fields[name] = serializers.IntegerField()
        for name, help_text in RATE_HELP.items():
            fields[name] = serializers.FloatField(allow_null=True, help_text=help_text)
        return fields


class WorkFiguresRowSerializer(WorkFiguresCountsSerializer):
    key = serializers.IntegerField(
        allow_null=True, help_text="the department's, item lineage's or window's id; null in the series"
    )
    name = serializers.CharField()
    period = serializers.DateField(allow_null=True, help_text="the series' day, or its month's first day")


class WorkFiguresSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    period = serializers.ChoiceField(choices=Period.CHOICES)
    department = serializers.IntegerField(allow_null=True)
    totals = WorkFiguresCountsSerializer()
    series = WorkFiguresRowSerializer(many=True, help_text="everything in scope, by day or month")
    by_department = WorkFiguresRowSerializer(many=True)
    by_item = WorkFiguresRowSerializer(many=True)
    by_window = WorkFiguresRowSerializer(many=True)


# The form's fields by the names the query string uses.
QUERY_NAMES = {"date_from": "from", "date_to": "to"}
PARAMETERS = [
    OpenApiParameter("department", type=int, description="one department in scope (default: all)"),
    OpenApiParameter("month", type=str, description="a month, YYYY-MM (or from/to)"),
    OpenApiParameter("from", type=str, description="first day, YYYY-MM-DD (default: the month's first)"),
    OpenApiParameter("to", type=str, description="last day, YYYY-MM-DD (default: today)"),
    OpenApiParameter(
        "period",
        enum=[value for value, _label in Period.CHOICES],
        description="the series' period (default: day up to two months, else month)",
    ),
]


def _figures(request) -> WorkFigures:
    scope = scope_of(request.user)
    form = WorkForm(request.query_params, scope=scope)
    if not form.is_valid():
        raise ValidationError({QUERY_NAMES.get(name, name): errors for name, errors in form.errors.items()})
    return figures_for(scope, form.query())


def _counts(counts: Counts) -> dict:
    return counts.as_dict()


def _row(row: Row) -> dict:
    return {"key": row.key, "name": row.name, "period": row.period, **_counts(row.counts)}


@extend_schema(parameters=PARAMETERS, responses=WorkFiguresSerializer)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def work_figures(request):
    """The work figures of the supervisor's centre (or department) over a month or a range."""
    figures = _figures(request)
    query = figures.query
    data = {
        "date_from": query.date_from,
        "date_to": query.date_to,
        "period": query.period,
        "department": query.department_id,
        "totals": _counts(figures.totals),
        "series": [_row(row) for row in figures.series],
        "by_department": [_row(row) for row in figures.by_department],
        "by_item": [_row(row) for row in figures.by_item],
        "by_window": [_row(row) for row in figures.by_window],
    }
    return Response(WorkFiguresSerializer(data).data)


def export_response(figures: WorkFigures, slug: str | None) -> HttpResponse:
    """The figures' tables as .xlsx: the one named ``slug``, or all of them (``None``); ``None`` back
    when no table has that slug. Shared by the API and the desk's download links."""
    chosen = tables(figures)
    if slug:
        chosen = [table for table in chosen if table.slug == slug]
        if not chosen:
            return None
    query = figures.query
    name = f"{slug or 'work-figures'}-{query.date_from:%Y%m%d}-{query.date_to:%Y%m%d}.xlsx"
    return workbook_download(workbook(chosen, about=about(query)), name)


@extend_schema(
    parameters=[
        *PARAMETERS,
        OpenApiParameter("table", type=str, description="one table's slug (default: all)"),
    ],
    responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="an .xlsx workbook")},
)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def work_figures_export(request):
    """The work figures' tables as an .xlsx workbook (a sheet each), numbers as numbers."""
    response = export_response(_figures(request), request.query_params.get("table") or None)
    if response is None:
        raise NotFound({"table": _("No table has this name.")})
    return response


urlpatterns = [
    path("work-figures/", work_figures, name="work_figures"),
    path("work-figures/export/", work_figures_export, name="work_figures_export"),
]
