"""The rectification tickets' API (整改工单): the department's approvers and decision-makers, and the
supervisors of the department or centre — the same services as the desks (``apps.feedback.tickets``).
A ticket not theirs is a 404; a step the ticket's graph does not offer them a 403 (not you) or a 409
(not now), worded by the rule that refused it."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.accounts.permissions import UsesBackOfficeOrSupervisionDesk
from apps.audit.requests import client_ip
from apps.feedback import ticket_selectors as selectors
from apps.feedback import tickets as services
from apps.feedback.api import ticket_serializers as s
from apps.feedback.evidence import evidence_response
from hall.parsers import BoundedJSONParser


class RectificationTicketViewSet(viewsets.ReadOnlyModelViewSet):
    """Rectification tickets of the user's departments (handlers) and of what they supervise.
    ``list``: ``?tab=open|submitted|appealed|closed``, ``overdue``, ``window``, ``department``,
    ``scope=handling|supervising``; due first."""

    # The back office or the supervision desk; which tickets a person sees is the selectors' (another
    # department's: a 404), what they may do to one the ticket's graph (its permissions name the
    # department and supervisors).
    permission_classes = [UsesBackOfficeOrSupervisionDesk]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]
    serializer_class = s.TicketSerializer

    def get_queryset(self):
        return selectors.tickets_visible_to(self.request.user)

    @extend_schema(parameters=[s.ListQuerySerializer], responses=s.TicketSerializer(many=True))
    def list(self, request, *args, **kwargs):
        query = s.ListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        user = request.user
        if data["scope"] == "handling":
            tickets = selectors.tickets_for_handler(user)
        elif data["scope"] == "supervising":
            tickets = selectors.tickets_for_supervisor(user)
        else:
            tickets = selectors.tickets_visible_to(user)
        filters = selectors.Filters(
            tab=data["tab"], overdue=data["overdue"], window=data["window"], department=data["department"]
        )
        rows = selectors.filtered(tickets, filters).select_related(
            "rating__filing", "rating__item", "department", "window"
        )
        rows = (
            rows.order_by("-updated_at", "-pk") if filters.tab == "closed" else rows.order_by("due_on", "pk")
        )
        page = self.paginate_queryset(rows)
        # The list offers no steps (one graph check per row): the ticket itself says them.
        return self.get_paginated_response(s.TicketSerializer(page, many=True).data)

    def _ticket(self):
        if not hasattr(self, "_acted_on"):
            self._acted_on = self.get_object()
        return self._acted_on

    def _body(self, serializer_class) -> dict:
        self._ticket()  # someone else's ticket is a 404 before its body is judged
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _act(self, service, **kwargs):
        ticket = self._ticket()
        service(ticket_id=ticket.pk, actor=self.request.user, client_ip=client_ip(self.request), **kwargs)
        fresh = self.get_queryset().get(pk=ticket.pk)
        return Response(s.TicketSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(request=s.FollowUpSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """回访: how, when and what the applicant said (the department's)."""
        return self._act(services.record_follow_up, **self._body(s.FollowUpSerializer))

    @extend_schema(request=s.RectificationSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def rectification(self, request, pk=None):
        """The cause and the measures (the department's)."""
        return self._act(services.record_rectification, **self._body(s.RectificationSerializer))

    @extend_schema(request=None, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """For verification: 400 naming what is missing (follow_up, cause, measures)."""
        return self._act(services.submit_ticket)

    @extend_schema(request=s.NoteSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """A supervisor verifies and closes (of two at once, the second gets a 409)."""
        return self._act(services.verify_ticket, **self._body(s.NoteSerializer))

    @extend_schema(request=s.NoteSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._act(services.send_back_ticket, **self._body(s.NoteSerializer))

    @extend_schema(request={"multipart/form-data": s.AppealSerializer}, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """申诉, with the evidence as a file (checked by its content)."""
        return self._act(services.appeal_ticket, **self._body(s.AppealSerializer))

    @extend_schema(request=s.AppealDecisionSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"], url_path="decide-appeal")
    def decide_appeal(self, request, pk=None):
        return self._act(services.decide_appeal, **self._body(s.AppealDecisionSerializer))

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The evidence file")}
    )
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        """The appeal's evidence; every download logged."""
        return evidence_response(request, self._ticket())

    def retrieve(self, request, *args, **kwargs):
        return Response(s.TicketSerializer(self._ticket(), context={"request": request}).data)


router = SimpleRouter()
router.register("rectification-tickets", RectificationTicketViewSet, basename="rectification-ticket")
urlpatterns = router.urls
