"""Queue tickets' API: a kiosk app takes tickets (``/api/v1/kiosk/tickets/``, with its device key in
``X-Device-Key``), staff read their centres' tickets of a day (``/api/v1/tickets/``) and flag one
first (``/api/v1/tickets/<id>/priority/``: a disabled person, the green channel). The same services as
the kiosk's pages and the desk (``apps.visits.ticketing``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.identifiers import mask_identifier
from apps.accounts.permissions import AllowAny, UsesIntakeOrSupervisionDesk
from apps.audit.requests import client_ip
from apps.visits import devices, ticketing
from apps.visits.models import DeviceKind, PriorityReason, Ticket, TicketSource, TicketState

DEVICE_KEY = OpenApiParameter(
    devices.DEVICE_HEADER, str, OpenApiParameter.HEADER, required=True, description="The kiosk's device key."
)


# --- serializers ---------------------------------------------------------------------------------------


class TicketIssueSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=TicketSource.choices)
    area = serializers.IntegerField(required=False, allow_null=True, default=None)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    appointment_token = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class PrintedTicketSerializer(serializers.Serializer):
    """What the kiosk prints: never the holder's name or ID number."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    centre = serializers.CharField(source="centre.name")
    area = serializers.CharField(source="area.category.name")
    area_prefix = serializers.CharField(source="area.prefix")
    source = serializers.CharField()
    priority_reasons = serializers.ListField(child=serializers.CharField())
    people_ahead = serializers.SerializerMethodField()
    issued_at = serializers.DateTimeField()

    def get_people_ahead(self, ticket) -> int:
        return ticketing.people_ahead(ticket)


class QueueTicketSerializer(serializers.ModelSerializer):
    """A ticket as staff of its centre see it in a list: the holder's ID number masked (the calling
    panel shows the ticket being served to its clerk)."""

    area = serializers.CharField(source="area.category.name")
    area_prefix = serializers.CharField(source="area.prefix")
    window = serializers.CharField(source="window.number", allow_null=True, default=None)
    id_number = serializers.SerializerMethodField(help_text="Masked: 110105********002X.")

    def get_id_number(self, ticket) -> str:
        return mask_identifier(ticket.id_number)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "day",
            "centre",
            "area",
            "area_prefix",
            "source",
            "state",
            "priority",
            "priority_reasons",
            "name",
            "id_number",
            "appointment",
            "issued_at",
            "waiting_since",
            "first_called_at",
            "called_at",
            "window",
            "call_count",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class QueueTicketQuerySerializer(serializers.Serializer):
    centre = serializers.IntegerField(required=False)
    area = serializers.IntegerField(required=False)
    state = serializers.ChoiceField(choices=TicketState.choices, required=False)
    date = serializers.DateField(required=False, help_text="The day (default: today).")


class TicketPriorityFlagSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=[(reason.value, reason.label) for reason in ticketing.STAFF_REASONS]
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


# --- the kiosk's side ------------------------------------------------------------------------------------


class KioskTicketView(APIView):
    """Take a ticket at this kiosk's centre: ``source`` ``appointment`` (``appointment_token``, the
    booking's QR code), ``id_number`` (``id_number``; today's booking's ticket if any, else ``area`` is
    needed: 400 ``{"area": [...], "code": "area_needed"}``), or ``walk_in`` (``area``). A booking that
    gives no ticket now (expired, cancelled, another centre's, used) or a closed hall: 409 with the
    reason."""

    permission_classes = [AllowAny]  # the device key is the view's question (403 without one)
    authentication_classes = []  # a kiosk is not a person: no session is read

    @extend_schema(
        parameters=[DEVICE_KEY],
        request=TicketIssueSerializer,
        responses={
            201: PrintedTicketSerializer,
            400: OpenApiResponse(description="A broken rule of the input, or the area is needed."),
            403: OpenApiResponse(description="Not a paired kiosk."),
            409: OpenApiResponse(description="The booking or the hall gives no ticket now."),
        },
    )
    @devices.paired_device(DeviceKind.KIOSK)
    def post(self, request):
        body = TicketIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            ticket = ticketing.issue_ticket(
                centre_id=request.device.centre_id,
                source=data["source"],
                area_id=data["area"],
                id_number=data["id_number"],
                appointment_token=data["appointment_token"],
                device=request.device,
            )
        except ticketing.AreaNeeded as needed:
            return Response(
                {"area": [str(needed.message)], "code": "area_needed"}, status=status.HTTP_400_BAD_REQUEST
            )
        ticket = Ticket.objects.select_related("centre", "area__category").get(pk=ticket.pk)
        return Response(PrintedTicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


# --- staff ------------------------------------------------------------------------------------------------


class TicketListView(generics.ListAPIView):
    """The tickets of a day (default today) at the centres where the user is a window clerk or which
    they supervise; ``?centre=``, ``?area=``, ``?state=``, ``?date=``. In the order of their areas and
    numbers."""

    permission_classes = [UsesIntakeOrSupervisionDesk]
    serializer_class = QueueTicketSerializer

    def get_queryset(self):
        query = QueueTicketQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        tickets = ticketing.tickets_of_centres(
            ticketing.staff_centres(self.request.user), day=data.get("date") or timezone.localdate()
        )
        lookups = {"centre": "centre_id", "area": "area_id", "state": "state"}
        return tickets.filter(**{lookups[name]: value for name, value in data.items() if name in lookups})

    @extend_schema(parameters=[QueueTicketQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TicketPriorityView(APIView):
    """Flag a ticket first within its area: ``reason`` ``disabled`` or ``green_channel`` — a clerk or
    supervisor of its centre (another centre's ticket: 404), while it is not yet served (409)."""

    permission_classes = [UsesIntakeOrSupervisionDesk]

    @extend_schema(request=TicketPriorityFlagSerializer, responses={200: QueueTicketSerializer})
    def post(self, request, pk: int):
        get_object_or_404(Ticket, pk=pk, centre_id__in=ticketing.staff_centres(request.user))
        body = TicketPriorityFlagSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ticket = ticketing.flag_priority(
            ticket_id=pk,
            reason=PriorityReason(body.validated_data["reason"]),
            note=body.validated_data["note"],
            actor=request.user,
            client_ip=client_ip(request),
        )
        ticket = Ticket.objects.select_related("area__category", "window").get(pk=ticket.pk)
        return Response(QueueTicketSerializer(ticket).data)


urlpatterns = [
    path("kiosk/tickets/", KioskTicketView.as_view(), name="api-kiosk-tickets"),
    path("tickets/", TicketListView.as_view(), name="api-hall-tickets"),
    path("tickets/<int:pk>/priority/", TicketPriorityView.as_view(), name="api-hall-ticket-priority"),
]
