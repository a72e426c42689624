"""The ratings' figures API (好差评统计): what the supervision desk's figures page shows, as JSON —
``GET /api/v1/rating-figures/?dimension=&period=&from=&to=``. Supervisors only; a centre's supervisors
read the centre's figures, a department's supervisors their department's share (``figures.scope_of``).
Read from the daily roll-ups, like the page."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.permissions import UsesSupervisionDesk
from apps.accounts.scopes import scope_of
from apps.feedback.figures import Counts, FiguresForm, Period, Row, figures_for
from apps.feedback.models import Dimension


class CountsSerializer(serializers.Serializer):
    very_satisfied = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    fairly_satisfied = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()
    very_dissatisfied = serializers.IntegerField()
    ratings = serializers.IntegerField()
    satisfaction_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="percent, of the ratings counted"
    )
    bad = serializers.IntegerField()
    rectified = serializers.IntegerField()
    rectification_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="percent, of the bad ratings"
    )
    rectified_on_time = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="percent, of the bad ratings"
    )
    excluded = serializers.IntegerField(help_text="set aside by an upheld appeal: counted nowhere else")


class RowSerializer(CountsSerializer):
    period = serializers.DateField(allow_null=True, help_text="the period's first day")
    key = serializers.IntegerField(help_text="the id of the centre, department, window, staff member or item")
    name = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=Dimension.choices)
    period = serializers.ChoiceField(choices=Period.CHOICES)
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    overall = CountsSerializer()
    key = serializers.IntegerField(allow_null=True, help_text="the key whose periods ``trend`` gives")
    trend = RowSerializer(many=True, help_text="all ratings in each period, or the key's if one is given")
    rows = RowSerializer(many=True, help_text="each key in each period")
    totals = RowSerializer(many=True, help_text="each key over the whole range")
    lowest_items = RowSerializer(many=True)
    lowest_windows = RowSerializer(many=True)
    min_ratings = serializers.IntegerField(help_text="the lowest-rated lists' threshold over the range")


# The form's fields by the names the query string uses.
QUERY_NAMES = {"date_from": "from", "date_to": "to"}


def _counts(counts: Counts) -> dict:
    levels = counts.levels
    return {
        "very_satisfied": levels[0],
        "satisfied": levels[1],
        "fairly_satisfied": levels[2],
        "dissatisfied": levels[3],
        "very_dissatisfied": levels[4],
        "ratings": counts.total,
        "satisfaction_rate": counts.satisfaction_rate,
        "bad": counts.bad,
        "rectified": counts.rectified,
        "rectification_rate": counts.rectification_rate,
        "rectified_on_time": counts.rectified_on_time,
        "on_time_rate": counts.on_time_rate,
        "excluded": counts.excluded,
    }


def _row(row: Row) -> dict:
    return {"period": row.period, "key": row.key, "name": row.name, **_counts(row.counts)}


@extend_schema(
    parameters=[
        OpenApiParameter("dimension", enum=Dimension.values, description="default: department"),
        OpenApiParameter(
            "period", enum=[value for value, _label in Period.CHOICES], description="default: month"
        ),
        OpenApiParameter("from", type=str, description="first day, YYYY-MM-DD (default: 1 January)"),
        OpenApiParameter("to", type=str, description="last day, YYYY-MM-DD (default: today)"),
        OpenApiParameter("key", type=int, description="one key of the dimension, for its trend by period"),
    ],
    responses=FiguresSerializer,
)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def rating_figures(request):
    """The rating figures of the supervisor's centre (or department) for one dimension and period."""
    form = FiguresForm(request.query_params)
    if not form.is_valid():
        raise ValidationError({QUERY_NAMES.get(name, name): errors for name, errors in form.errors.items()})
    figures = figures_for(scope_of(request.user), form.query())
    query = figures.query
    data = {
        "dimension": query.dimension,
        "period": query.period,
        "date_from": query.date_from,
        "date_to": query.date_to,
        "overall": _counts(figures.overall),
        "key": query.key,
        "trend": [_row(row) for row in figures.trend],
        "rows": [_row(row) for row in figures.rows],
        "totals": [_row(row) for row in figures.totals],
        "lowest_items": [_row(row) for row in figures.lowest_items],
        "lowest_windows": [_row(row) for row in figures.lowest_windows],
        "min_ratings": figures.min_ratings,
    }
    return Response(FiguresSerializer(data).data)


urlpatterns = [path("rating-figures/", rating_figures, name="rating_figures")]
