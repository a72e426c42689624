"""The hall's set-up in the API: service areas (``/api/v1/service-areas/``), opening periods
(``/api/v1/opening-periods/``) and the places left in the appointment slots
(``/api/v1/appointment-slots/?area=&date=``). The same services as the set-up page
(``apps.visits.areas``, ``apps.visits.slots``).

Reads are public, as the booking pages are: a centre's active areas and hours, the places left (never
who booked them). Writes are a supervisor's of the whole centre (403 elsewhere; another centre's area
or period is not found, 404). A supervisor reading their own centre sees its closed areas too."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import AllowAny, UsesSupervisionDesk
from apps.accounts.selectors import supervised_centres
from apps.audit.requests import client_ip
from apps.visits import areas, slots
from apps.visits.models import OpeningPeriod, ServiceArea

# --- serializers ---------------------------------------------------------------------------------------


class ServiceAreaSerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    windows = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    window_numbers = serializers.SerializerMethodField()

    class Meta:
        model = ServiceArea
        fields = [
            "id",
            "centre",
            "centre_name",
            "category",
            "category_name",
            "prefix",
            "slot_capacity",
            "order",
            "is_active",
            "windows",
            "window_numbers",
        ]
        read_only_fields = fields

    def get_window_numbers(self, area) -> list[str]:
        return sorted(window.number for window in area.windows.all())


class AreaCreateSerializer(serializers.Serializer):
    centre = serializers.IntegerField()
    category = serializers.IntegerField()
    prefix = serializers.CharField(max_length=1)
    slot_capacity = serializers.IntegerField(min_value=1, max_value=500)
    order = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)
    windows = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class AreaChangeSerializer(serializers.Serializer):
    category = serializers.IntegerField(required=False)
    prefix = serializers.CharField(max_length=1, required=False)
    slot_capacity = serializers.IntegerField(min_value=1, max_value=500, required=False)
    order = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    is_active = serializers.BooleanField(required=False)
    windows = serializers.ListField(child=serializers.IntegerField(), required=False)


class OpeningPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningPeriod
        fields = ["id", "centre", "starts_at", "ends_at"]
        read_only_fields = ["id"]


class PeriodChangeSerializer(serializers.Serializer):
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()


class SlotPlacesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    capacity = serializers.IntegerField()
    left = serializers.IntegerField(help_text="Places still free; 0 when the slot is full.")


class CentreQuery(serializers.Serializer):
    centre = serializers.IntegerField(required=False)


class SlotQuery(serializers.Serializer):
    area = serializers.IntegerField()
    date = serializers.DateField()


CENTRE = OpenApiParameter(
    "centre",
    int,
    required=False,
    description="The service centre. Without it: the centres the user supervises (supervisors only).",
)


def _permissions(view):
    """Reads as the view's ``permission_classes`` say (public); writes a supervisor's."""
    classes = view.permission_classes if view.request.method in SAFE_METHODS else [UsesSupervisionDesk]
    return [permission() for permission in classes]


def _centre_scope(request, queryset, public):
    """``queryset`` (areas or periods) of the ``?centre=`` asked for: all of a centre the user
    supervises, ``public(centre)`` of any other; without a centre, all of the user's centres."""
    query = CentreQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    centre = query.validated_data.get("centre")
    mine = supervised_centres(request.user)
    if centre is None:
        if not mine.exists():
            raise ValidationError({"centre": [_("Give the service centre: ?centre=<id>.")]})
        return queryset.filter(centre_id__in=mine)
    if mine.filter(centre_id=centre).exists():
        return queryset.filter(centre_id=centre)
    return public(centre)


def _areas(request):
    return _centre_scope(
        request,
        areas.areas_for_supervisor(request.user),
        lambda centre: areas.active_areas(centre).prefetch_related("windows"),
    )


def _area_of(request, pk) -> ServiceArea:
    found = (
        areas.areas_for_supervisor(request.user).filter(pk=pk).first()
        or ServiceArea.objects.filter(pk=pk, is_active=True)
        .select_related("centre", "category")
        .prefetch_related("windows")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- service areas ---------------------------------------------------------------------------------------


class ServiceAreaListView(APIView):
    """A centre's active service areas (anyone); POST: a new area (a supervisor of the centre)."""

    permission_classes = [AllowAny]  # reads; writes: UsesSupervisionDesk (get_permissions)
    get_permissions = _permissions

    @extend_schema(parameters=[CENTRE], responses=ServiceAreaSerializer(many=True))
    def get(self, request):
        return Response(ServiceAreaSerializer(_areas(request), many=True).data)

    @extend_schema(request=AreaCreateSerializer, responses={201: ServiceAreaSerializer})
    def post(self, request):
        data = AreaCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        area = areas.create_area(
            centre_id=values["centre"],
            category_id=values["category"],
            prefix=values["prefix"],
            slot_capacity=values["slot_capacity"],
            order=values["order"],
            window_ids=values["windows"],
            actor=request.user,
            client_ip=client_ip(request),
        )
        return Response(
            ServiceAreaSerializer(_area_of(request, area.pk)).data, status=status.HTTP_201_CREATED
        )


class ServiceAreaDetailView(APIView):
    """One active area (anyone; a supervisor of its centre sees a closed one too); PATCH changes it."""

    permission_classes = [AllowAny]  # reads; writes: UsesSupervisionDesk (get_permissions)
    get_permissions = _permissions

    @extend_schema(responses=ServiceAreaSerializer)
    def get(self, request, pk):
        return Response(ServiceAreaSerializer(_area_of(request, pk)).data)

    @extend_schema(request=AreaChangeSerializer, responses=ServiceAreaSerializer)
    def patch(self, request, pk):
        if not areas.areas_for_supervisor(request.user).filter(pk=pk).exists():
            raise Http404
        data = AreaChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        window_ids = changes.pop("windows", None)
        areas.update_area(
            area_id=pk, actor=request.user, client_ip=client_ip(request), window_ids=window_ids, **changes
        )
        return Response(ServiceAreaSerializer(_area_of(request, pk)).data)


# --- opening periods --------------------------------------------------------------------------------------


class OpeningPeriodListView(APIView):
    """A centre's opening periods on its working days (anyone); POST adds one (a supervisor)."""

    permission_classes = [AllowAny]  # reads; writes: UsesSupervisionDesk (get_permissions)
    get_permissions = _permissions

    @extend_schema(parameters=[CENTRE], responses=OpeningPeriodSerializer(many=True))
    def get(self, request):
        found = _centre_scope(
            request,
            areas.periods_for_supervisor(request.user),
            lambda centre: OpeningPeriod.objects.filter(centre_id=centre).order_by("starts_at"),
        )
        return Response(OpeningPeriodSerializer(found, many=True).data)

    @extend_schema(request=OpeningPeriodSerializer, responses={201: OpeningPeriodSerializer})
    def post(self, request):
        data = OpeningPeriodSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = areas.add_opening_period(
            centre_id=data.validated_data["centre"].pk,
            starts_at=data.validated_data["starts_at"],
            ends_at=data.validated_data["ends_at"],
            actor=request.user,
            client_ip=client_ip(request),
        )
        return Response(OpeningPeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class OpeningPeriodDetailView(APIView):
    """A supervisor changes (PATCH) or removes (DELETE) an opening period of their centre."""

    permission_classes = [UsesSupervisionDesk]

    def _mine(self, request, pk) -> OpeningPeriod:
        period = areas.periods_for_supervisor(request.user).filter(pk=pk).first()
        if period is None:
            raise Http404
        return period

    @extend_schema(request=PeriodChangeSerializer, responses=OpeningPeriodSerializer)
    def patch(self, request, pk):
        self._mine(request, pk)
        data = PeriodChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = areas.change_opening_period(
            period_id=pk,
            starts_at=data.validated_data["starts_at"],
            ends_at=data.validated_data["ends_at"],
            actor=request.user,
            client_ip=client_ip(request),
        )
        return Response(OpeningPeriodSerializer(period).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        self._mine(request, pk)
        areas.remove_opening_period(period_id=pk, actor=request.user, client_ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- slots -------------------------------------------------------------------------------------------------


class AppointmentSlotListView(APIView):
    """The slots of an area on a day that can still be booked, with the places left (anyone): none
    on a day that is not bookable (the past, a non-working day or closure, beyond the horizon)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("area", int, required=True, description="The service area."),
            OpenApiParameter("date", str, required=True, description="The day, YYYY-MM-DD."),
        ],
        responses=SlotPlacesSerializer(many=True),
    )
    def get(self, request):
        query = SlotQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = slots.bookable_slots(query.validated_data["area"], query.validated_data["date"])
        return Response(SlotPlacesSerializer(found, many=True).data)


urlpatterns = [
    path("service-areas/", ServiceAreaListView.as_view(), name="api-service-areas"),
    path("service-areas/<int:pk>/", ServiceAreaDetailView.as_view(), name="api-service-area"),
    path("opening-periods/", OpeningPeriodListView.as_view(), name="api-opening-periods"),
    path("opening-periods/<int:pk>/", OpeningPeriodDetailView.as_view(), name="api-opening-period"),
    path("appointment-slots/", AppointmentSlotListView.as_view(), name="api-appointment-slots"),
]
