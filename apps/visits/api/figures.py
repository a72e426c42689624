"""The hall figures API (大厅运行统计): what the supervision desk's hall figures page shows, as JSON —
``GET /api/v1/hall-figures/?from=&to=&centre=``. Supervisors only; the centres they supervise as a
whole (``apps.visits.figures``). Times are in minutes (one decimal), rates in percent."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.permissions import UsesSupervisionDesk
from apps.visits.figures import HallFiguresForm, NoShows, Times, figures_for

MINUTES = {"max_digits": 8, "decimal_places": 1, "allow_null": True}


class FiguresTimesSerializer(serializers.Serializer):
    tickets = serializers.IntegerField(help_text="tickets issued")
    served = serializers.IntegerField(help_text="tickets served to the end (办结)")
    not_served = serializers.IntegerField(help_text="tickets the day ended on, never served")
    with_appointment = serializers.IntegerField()
    called = serializers.IntegerField(help_text="tickets called at least once: the waits measured")
    average_wait_minutes = serializers.DecimalField(**MINUTES, help_text="from the number to the first call")
    longest_wait_minutes = serializers.DecimalField(**MINUTES)
    handled = serializers.IntegerField(help_text="tickets started and finished: the handlings measured")
    average_handling_minutes = serializers.DecimalField(**MINUTES, help_text="from the start to the end")
    longest_handling_minutes = serializers.DecimalField(**MINUTES)


class FiguresNoShowsSerializer(serializers.Serializer):
    due = serializers.IntegerField(help_text="appointments whose slot has ended, cancelled ones left out")
    checked_in = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    no_show_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="percent"
    )


class FiguresAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    centre = serializers.CharField()
    times = FiguresTimesSerializer()
    appointments = FiguresNoShowsSerializer()


class FiguresWindowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    centre = serializers.CharField()
    times = FiguresTimesSerializer()


class FiguresHourSerializer(serializers.Serializer):
    hour = serializers.IntegerField(help_text="the hour of the day the number was taken, local time (0–23)")
    times = FiguresTimesSerializer()


class FiguresDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    times = FiguresTimesSerializer()


class HallFiguresSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    overall = FiguresTimesSerializer()
    appointments = FiguresNoShowsSerializer()
    areas = FiguresAreaSerializer(many=True)
    windows = FiguresWindowSerializer(
        many=True, help_text="a ticket counts at the window that called it last"
    )
    hours = FiguresHourSerializer(many=True)
    days = FiguresDaySerializer(many=True)


# The form's fields by the names the query string uses.
QUERY_NAMES = {"date_from": "from", "date_to": "to"}


def _times(times: Times) -> dict:
    return {
        "tickets": times.issued,
        "served": times.done,
        "not_served": times.abandoned,
        "with_appointment": times.booked,
        "called": times.waited,
        "average_wait_minutes": times.average_wait,
        "longest_wait_minutes": times.longest_wait,
        "handled": times.handled,
        "average_handling_minutes": times.average_handling,
        "longest_handling_minutes": times.longest_handling,
    }


def _no_shows(appointments: NoShows) -> dict:
    return {
        "due": appointments.due,
        "checked_in": appointments.checked_in,
        "no_shows": appointments.no_shows,
        "no_show_rate": appointments.rate,
    }


@extend_schema(
    parameters=[
        OpenApiParameter(
            "from", type=str, description="first day, YYYY-MM-DD (default: 29 days before `to`)"
        ),
        OpenApiParameter("to", type=str, description="last day, YYYY-MM-DD (default: today)"),
        OpenApiParameter(
            "centre", type=int, description="one of the supervised centres (default: all of them)"
        ),
    ],
    responses=HallFiguresSerializer,
)
@api_view(["GET"])
@permission_classes([UsesSupervisionDesk])
def hall_figures(request):
    """Waiting and handling times per service area, window, hour and day, and the no-show rate, of
    the centres the supervisor supervises as a whole."""
    form = HallFiguresForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise ValidationError({QUERY_NAMES.get(name, name): errors for name, errors in form.errors.items()})
    figures = figures_for(request.user, form.query())
    data = {
        "date_from": figures.date_from,
        "date_to": figures.date_to,
        "overall": _times(figures.overall),
        "appointments": _no_shows(figures.appointments),
        "areas": [
            {
                "id": row.key,
                "name": row.name,
                "centre": row.centre,
                "times": _times(row.times),
                "appointments": _no_shows(row.appointments),
            }
            for row in figures.areas
        ],
        "windows": [
            {"id": row.key, "number": row.name, "centre": row.centre, "times": _times(row.times)}
            for row in figures.windows
        ],
        "hours": [{"hour": row.hour, "times": _times(row.times)} for row in figures.hours],
        "days": [{"day": row.day, "times": _times(row.times)} for row in figures.days],
    }
    return Response(HallFiguresSerializer(data).data)


urlpatterns = [path("hall-figures/", hall_figures, name="hall_figures")]
