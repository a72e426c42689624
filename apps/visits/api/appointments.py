"""Appointments (预约) in the API, for a citizen's own account: what can be booked for an item or a
bundle (``/api/v1/appointments/availability/``), the account's bookings (list, create, detail), a
booking's cancellation and its QR code. The same selectors and services as the portal's pages
(``apps.visits.appointment_selectors``, ``apps.visits.appointments``); another account's booking is
not found (404)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import UsesCitizenPortal
from apps.audit.requests import client_ip
from apps.visits import appointment_selectors as selectors
from apps.visits import appointments, slots
from apps.visits.booking_qr import booking_qr_png
from apps.visits.models import Appointment

# --- serializers ---------------------------------------------------------------------------------------


class AppointmentSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    date = serializers.DateField(source="slot.date", read_only=True)
    starts_at = serializers.TimeField(source="slot.starts_at", read_only=True)
    ends_at = serializers.TimeField(source="slot.ends_at", read_only=True)
    area = serializers.IntegerField(source="slot.area_id", read_only=True)
    area_name = serializers.CharField(source="slot.area.category.name", read_only=True)
    centre_name = serializers.CharField(source="slot.area.centre.name", read_only=True)
    service = serializers.SerializerMethodField()
    cancellable_until = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField()
    qr_url = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "number",
            "token",
            "state",
            "state_display",
            "slot",
            "date",
            "starts_at",
            "ends_at",
            "area",
            "area_name",
            "centre_name",
            "item",
            "bundle",
            "service",
            "name",
            "booked_at",
            "cancelled_at",
            "checked_in_at",
            "no_show_at",
            "cancellable_until",
            "can_cancel",
            "qr_url",
        ]
        read_only_fields = fields

    def get_service(self, appointment) -> str:
        return (appointment.item or appointment.bundle).name

    def get_cancellable_until(self, appointment) -> str:
        return appointments.cancel_deadline(appointment).isoformat()

    def get_can_cancel(self, appointment) -> bool:
        return appointments.cancellable(appointment)

    def get_qr_url(self, appointment) -> str:
        return reverse("appointment-qr", args=[appointment.pk])


class BookSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1)
    item = serializers.IntegerField(min_value=1, required=False)
    bundle = serializers.IntegerField(min_value=1, required=False)


class AvailabilityQuery(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, required=False)
    bundle = serializers.IntegerField(min_value=1, required=False)
    date = serializers.DateField(required=False)


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    left = serializers.IntegerField(help_text="Places still free; 0 when the slot is full.")


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    left = serializers.IntegerField()


class AvailabilitySerializer(serializers.Serializer):
    service = serializers.CharField()
    centre_name = serializers.CharField()
    area = serializers.IntegerField()
    area_name = serializers.CharField()
    dates = serializers.ListField(child=serializers.DateField(), help_text="The days that can be booked.")
    days = DaySerializer(many=True, help_text="Each day that can be booked with the places left on it.")
    date = serializers.DateField(
        allow_null=True,
        help_text="The day whose slots are listed: the one asked, else the first with a place.",
    )
    slots = SlotSerializer(many=True)
    suspended_until = serializers.DateField(
        allow_null=True, help_text="Online booking is suspended until this day (inclusive) after no-shows."
    )


# --- views -----------------------------------------------------------------------------------------------


def _mine(request, pk) -> Appointment:
    appointment = selectors.appointment_of(request.user, pk)
    if appointment is None:
        raise Http404
    return appointment


class AppointmentListView(APIView):
    """The account's bookings, the latest day first; POST books a place (``slot`` and ``item`` or
    ``bundle``): refused with the reason (400) when the time has passed, the hall is closed, the slot
    is full or of another area, the account is suspended or not real-name, or the time is booked."""

    permission_classes = [UsesCitizenPortal]

    @extend_schema(responses=AppointmentSerializer(many=True))
    def get(self, request):
        return Response(AppointmentSerializer(selectors.appointments_of(request.user), many=True).data)

    @extend_schema(request=BookSerializer, responses={201: AppointmentSerializer})
    def post(self, request):
        data = BookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booked = appointments.book(
            citizen=request.user,
            slot_id=data.validated_data["slot"],
            item_id=data.validated_data.get("item"),
            bundle_id=data.validated_data.get("bundle"),
            client_ip=client_ip(request),
        )
        return Response(AppointmentSerializer(_mine(request, booked.pk)).data, status=status.HTTP_201_CREATED)


class AppointmentDetailView(APIView):
    permission_classes = [UsesCitizenPortal]

    @extend_schema(responses=AppointmentSerializer)
    def get(self, request, pk):
        return Response(AppointmentSerializer(_mine(request, pk)).data)


class AppointmentCancelView(APIView):
    """Cancel a booking until ``HALL_BOOKING_CANCEL_HOURS`` before its time (409 after, or when it
    was used, missed or cancelled already)."""

    permission_classes = [UsesCitizenPortal]

    @extend_schema(request=None, responses=AppointmentSerializer)
    def post(self, request, pk):
        appointments.cancel(appointment_id=pk, actor=request.user, client_ip=client_ip(request))
        return Response(AppointmentSerializer(_mine(request, pk)).data)


class AppointmentQrView(APIView):
    """The booking's QR code (预约码), carrying its token: what the kiosk's scanner reads."""

    permission_classes = [UsesCitizenPortal]

    @extend_schema(responses={(200, "image/png"): bytes})
    def get(self, request, pk):
        response = HttpResponse(booking_qr_png(_mine(request, pk)), content_type="image/png")
        response["Cache-Control"] = "private, no-store"
        return response


ITEM = OpenApiParameter("item", int, required=False, description="The service item to book (or bundle).")
BUNDLE = OpenApiParameter("bundle", int, required=False, description="The bundle (一件事) to book.")
DATE = OpenApiParameter(
    "date", str, required=False, description="The day (YYYY-MM-DD); the first bookable day when left out."
)


class AvailabilityView(APIView):
    """Where and when an item or a bundle can be booked: its centre's service area, the days that can
    be booked, the slots of one of them with the places left, and any suspension of the account."""

    permission_classes = [UsesCitizenPortal]

    @extend_schema(parameters=[ITEM, BUNDLE, DATE], responses=AvailabilitySerializer)
    def get(self, request):
        query = AvailabilityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        target = selectors.booking_target(
            item_id=query.validated_data.get("item"), bundle_id=query.validated_data.get("bundle")
        )
        if target is None or target.area is None or not selectors.bookable(target.item, target.bundle):
            raise Http404
        dates = selectors.bookable_dates(target.centre.pk)
        places = selectors.places_by_day(target.area.pk, dates) if dates else {}
        day = query.validated_data.get("date") or selectors.first_open_day(places)
        found = list(slots.bookable_slots(target.area.pk, day)) if day else []
        suspension = selectors.suspension_of(request.user)
        body = {
            "service": target.name,
            "centre_name": target.centre.name,
            "area": target.area.pk,
            "area_name": target.area.category.name,
            "dates": dates,
            "days": [{"date": d, "left": left} for d, left in places.items()],
            "date": day,
            "slots": [
                {"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at, "left": s.left} for s in found
            ],
            "suspended_until": suspension.ends_on if suspension else None,
        }
        return Response(AvailabilitySerializer(body).data)


urlpatterns = [
    path("appointments/", AppointmentListView.as_view(), name="appointment-list"),
    path("appointments/availability/", AvailabilityView.as_view(), name="appointment-availability"),
    path("appointments/<int:pk>/", AppointmentDetailView.as_view(), name="appointment-detail"),
    path("appointments/<int:pk>/cancel/", AppointmentCancelView.as_view(), name="appointment-cancel"),
    path("appointments/<int:pk>/qr.png", AppointmentQrView.as_view(), name="appointment-qr"),
]
