"""The catalogue figures API (事项统计): what the supervision desk's catalogue figures page shows, as
JSON — ``GET /api/v1/catalogue-figures/?department=`` — and its tables as .xlsx —
``GET /api/v1/catalogue-figures/export/?department=&table=``. Supervisors only, cut by their scope
(``accounts.scopes``); read live from the catalogue, as the page (``supervision.catalogue_figures``)."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.permissions import UsesSupervisionDesk
from apps.accounts.scopes import scope_of
from apps.core.downloads import XLSX, workbook_download
from apps.supervision import catalogue_figures as figures_module
from apps.supervision.catalogue_figures import CatalogueForm, ItemCounts, Row


def _share(help_text: str):
    return serializers.FloatField(allow_null=True, help_text=f"percent (two decimals), {help_text}")


class CatalogueFiguresCountsSerializer(serializers.Serializer):
    items = serializers.IntegerField(help_text="published implementations")
    promised_days = serializers.IntegerField(help_text="Σ promised time limits, working days")
    legal_days = serializers.IntegerField(help_text="Σ legal time limits, working days")
    no_visit = serializers.IntegerField(help_text="items needing no visit (零跑动)")
    at_most_one_visit = serializers.IntegerField(help_text="items needing at most one visit (0 or 1)")
    online = serializers.IntegerField()
    appointment = serializers.IntegerField()
    postal = serializers.IntegerField()
    immediate = serializers.IntegerField(help_text="即办件")
    promised_to_legal = _share("Σ promised / Σ legal")
    time_compressed = _share("1 − Σ promised / Σ legal")
    no_visit_share = _share("of the items")
    at_most_one_visit_share = _share("of the items")
    online_share = _share("of the items")
    appointment_share = _share("of the items")
    postal_share = _share("of the items")


class CatalogueFiguresRowSerializer(CatalogueFiguresCountsSerializer):
    id = serializers.IntegerField(allow_null=True, help_text="the centre's or department's id")
    name = serializers.CharField()


class CatalogueFiguresBundleSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    centre = serializers.CharField()
    items = serializers.IntegerField()
    before = serializers.IntegerField(help_text="Σ over its items of the materials each asks for")
    after = serializers.IntegerField(help_text="its merged checklist: each material once")
    saved = serializers.IntegerField()
    produced = serializers.IntegerField(help_text="of the merged, produced by an item of the bundle")


class CatalogueFiguresSerializer(serializers.Serializer):
    department = serializers.IntegerField(allow_null=True)
    total = CatalogueFiguresCountsSerializer()
    by_centre = CatalogueFiguresRowSerializer(many=True)
    by_department = CatalogueFiguresRowSerializer(many=True)
    bundles = CatalogueFiguresBundleSerializer(many=True)


DEPARTMENT = OpenApiParameter("department", type=int, description="one department in scope (default: all)")


def _figures(request):
    scope = scope_of(request.user)
    form = CatalogueForm(request.query_params, scope=scope)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return figures_module.figures_for(scope, form.query())


def _counts(counts: ItemCounts) -> dict:
    return counts.as_dict()


def _row(row: Row) -> dict:
    return {"id": row.key, "name": row.name, **_counts(row.counts)}


@extend_schema(parameters=[DEPARTMENT], responses=CatalogueFiguresSerializer)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def catalogue_figures(request):
    """The catalogue's figures of the supervisor's centres and departments: by centre, by department,
    and the bundles' materials before and after merging."""
    figures = _figures(request)
    data = {
        "department": figures.query.department_id,
        "total": _counts(figures.total),
        "by_centre": [_row(row) for row in figures.by_centre],
        "by_department": [_row(row) for row in figures.by_department],
        "bundles": [
            {
                "code": b.code,
                "name": b.name,
                "centre": b.centre,
                "items": b.items,
                "before": b.before,
                "after": b.after,
                "saved": b.saved,
                "produced": b.produced,
            }
            for b in figures.bundles
        ],
    }
    return Response(CatalogueFiguresSerializer(data).data)


@extend_schema(
    parameters=[
        DEPARTMENT,
        OpenApiParameter(
            "table",
            type=str,
            enum=["catalogue-centres", "catalogue-departments", "catalogue-visits", "catalogue-bundles"],
            description="one table (default: all, a sheet each)",
        ),
    ],
    responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="an .xlsx workbook")},
)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def catalogue_figures_export(request):
    """The catalogue figures' tables as an .xlsx workbook (one table, or all)."""
    exported = figures_module.export(
        _figures(request), request.query_params.get("table", ""), today=timezone.localdate()
    )
    if exported is None:
        raise Http404
    filename, content = exported
    return workbook_download(content, filename)


urlpatterns = [
    path("catalogue-figures/", catalogue_figures, name="catalogue-figures"),
    path("catalogue-figures/export/", catalogue_figures_export, name="catalogue-figures-export"),
]
