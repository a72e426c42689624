"""Calling at the window in the API (叫号): a window's queue and its call-next
(``/api/v1/windows/<id>/queue/``, ``/call-next/``), and a called ticket's actions
(``/api/v1/tickets/<id>/recall/`` ``/skip/`` ``/recall-skipped/`` ``/transfer/`` ``/start/``
``/finish/`` ``/filings/``). The same services as the intake desk's calling panel
(``apps.visits.calling``); a clerk acts at a window of theirs, on tickets of their centres (any other:
404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Window
from apps.accounts.permissions import UsesIntakeDesk
from apps.accounts.roles import Role
from apps.accounts.selectors import centres_where
from apps.audit.requests import client_ip
from apps.visits import calling
from apps.visits import calling_selectors as queue
from apps.visits.models import Ticket

# --- serializers ---------------------------------------------------------------------------------------


class CalledTicketSerializer(serializers.ModelSerializer):
    """A ticket as the clerk serving it sees it (their own centre's: the name and ID are theirs to
    see), with the actions its state offers now."""

    area = serializers.IntegerField(source="area_id")
    area_prefix = serializers.CharField(source="area.prefix")
    area_name = serializers.CharField(source="area.category.name")
    window = serializers.CharField(source="window.number", allow_null=True, default=None)
    filings = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "day",
            "area",
            "area_prefix",
            "area_name",
            "state",
            "priority_reasons",
            "name",
            "id_number",
            "window",
            "call_count",
            "issued_at",
            "waiting_since",
            "called_at",
            "skipped_at",
            "started_at",
            "finished_at",
            "filings",
            "actions",
        ]

    def get_filings(self, ticket) -> list[int]:
        return [filing.pk for filing in ticket.filings.all()]

    def get_actions(self, ticket) -> list[str]:
        """What a window may do with it now (its graph's available transitions), as the panel offers."""
        return queue.window_actions(ticket)


class QueueAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    prefix = serializers.CharField()
    name = serializers.CharField(source="category.name")
    waiting = serializers.IntegerField()


class WindowQueueSerializer(serializers.Serializer):
    window = serializers.CharField()
    current = CalledTicketSerializer(allow_null=True)
    areas = QueueAreaSerializer(many=True)
    recallable = CalledTicketSerializer(many=True)


class CallNextSerializer(serializers.Serializer):
    area = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Call from this area of the window's only."
    )


class RecallSkippedSerializer(serializers.Serializer):
    window = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Your window to call it to (default: your usual window at the ticket's centre).",
    )


class TransferSerializer(serializers.Serializer):
    area = serializers.IntegerField()


class LinkFilingSerializer(serializers.Serializer):
    filing = serializers.IntegerField()


# --- views ------------------------------------------------------------------------------------------------


def _own_window(request, pk) -> Window:
    """A window of a centre where the user is a clerk (404 for any other); whether it is theirs is
    the service's question (a 400 naming the window)."""
    return get_object_or_404(
        Window.objects.filter(centre_id__in=centres_where(request.user, Role.CLERK)).select_related("centre"),
        pk=pk,
    )


def _tickets(request):
    return Ticket.objects.filter(centre_id__in=centres_where(request.user, Role.CLERK))


def _answer(ticket_id: int) -> Response:
    ticket = (
        Ticket.objects.select_related("area__category", "window")
        .prefetch_related("filings")
        .get(pk=ticket_id)
    )
    return Response(CalledTicketSerializer(ticket).data)


class WindowQueueView(APIView):
    """The window's calling panel: the ticket it holds, its areas' waiting counts, the skipped
    tickets it may still call back."""

    permission_classes = [UsesIntakeDesk]

    @extend_schema(responses=WindowQueueSerializer)
    def get(self, request, pk):
        window = _own_window(request, pk)
        calling.require_clerk_of(window, request.user, window.centre_id)
        now = timezone.now()
        areas = queue.window_areas(window.pk, now=now)
        current = queue.current_ticket(window.pk, now=now)
        recallable = queue.recallable([area.pk for area in areas], now=now).select_related("area__category")
        body = {"window": window.number, "current": current, "areas": areas, "recallable": recallable}
        return Response(WindowQueueSerializer(body).data)


class CallNextView(APIView):
    """Call the next ticket to the window (priority first, then the longest wait, of the window's
    areas or the one named). 204 when nobody waits; 409 while the window holds a ticket; 400 for an
    area the window does not serve."""

    permission_classes = [UsesIntakeDesk]

    @extend_schema(
        request=CallNextSerializer,
        responses={200: CalledTicketSerializer, 204: OpenApiResponse(description="Nobody waits.")},
    )
    def post(self, request, pk):
        window = _own_window(request, pk)
        body = CallNextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ticket = calling.call_next(
            window_id=window.pk,
            actor=request.user,
            area_id=body.validated_data["area"],
            client_ip=client_ip(request),
        )
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return _answer(ticket.pk)


def _ticket_action(service, serializer=None, *, doc: str, fields: dict | None = None):
    """A view posting to one of the ticket's actions: its body (if any) checked by ``serializer`` and
    passed to ``service`` by the names in ``fields`` (body field → service argument)."""

    class View(APIView):
        permission_classes = [UsesIntakeDesk]

        @extend_schema(request=serializer, responses=CalledTicketSerializer, description=doc)
        def post(self, request, pk):
            ticket = get_object_or_404(_tickets(request), pk=pk)
            arguments = {}
            if serializer is not None:
                body = serializer(data=request.data)
                body.is_valid(raise_exception=True)
                arguments = {name: body.validated_data[field] for field, name in (fields or {}).items()}
            service(ticket_id=ticket.pk, actor=request.user, client_ip=client_ip(request), **arguments)
            return _answer(ticket.pk)

    View.__name__ = View.__qualname__ = f"Ticket{service.__name__.title().replace('_', '')}View"
    View.__doc__ = doc
    return View.as_view()


urlpatterns = [
    path("windows/<int:pk>/queue/", WindowQueueView.as_view(), name="api-window-queue"),
    path("windows/<int:pk>/call-next/", CallNextView.as_view(), name="api-window-call-next"),
    path(
        "tickets/<int:pk>/recall/",
        _ticket_action(calling.recall, doc="重呼: call the window's called ticket once more."),
        name="api-ticket-recall",
    ),
    path(
        "tickets/<int:pk>/skip/",
        _ticket_action(calling.skip, doc="过号: the called person did not come; the window is free."),
        name="api-ticket-skip",
    ),
    path(
        "tickets/<int:pk>/recall-skipped/",
        _ticket_action(
            calling.recall_skipped,
            RecallSkippedSerializer,
            doc="Call a skipped ticket back to your window (within HALL_SKIP_RECALL_MINUTES of the skip).",
            fields={"window": "window_id"},
        ),
        name="api-ticket-recall-skipped",
    ),
    path(
        "tickets/<int:pk>/transfer/",
        _ticket_action(
            calling.transfer,
            TransferSerializer,
            doc="Send the ticket to another area of its centre: it waits there anew.",
            fields={"area": "area_id"},
        ),
        name="api-ticket-transfer",
    ),
    path(
        "tickets/<int:pk>/start/",
        _ticket_action(calling.start, doc="The called person is at the window: serving starts."),
        name="api-ticket-start",
    ),
    path(
        "tickets/<int:pk>/finish/",
        _ticket_action(calling.finish, doc="The visit is over (offered on the window's evaluation pad)."),
        name="api-ticket-finish",
    ),
    path(
        "tickets/<int:pk>/filings/",
        _ticket_action(
            calling.link_filing,
            LinkFilingSerializer,
            doc="Link a filing made for this visit (a called ticket starts being served).",
            fields={"filing": "filing_id"},
        ),
        name="api-ticket-filings",
    ),
]
