"""The assisted-filing API (帮办代办) and the green channel (绿色通道): the same services as the
assistants' desk and the desks' flag form (``apps.cases.assistance``, ``apps.cases.green_channel``).

- ``/api/v1/assisted-filings/``: the filings the assistant follows (their queue, green first; ``?all``
  adds the ended ones), and a new assisted filing; ``<id>/`` its detail, ``<id>/materials/<code>/upload/``,
  ``<id>/submit/``, ``<id>/hand-over/``. Another assistant's filing is a 404.
- ``/api/v1/filings/<id>/green-channel/``: POST flags it (with the reason), DELETE unflags it — by a
  window clerk or a supervisor of its centre, or its assistant; any other filing is a 404.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from apps.accounts.models import ServiceCentre
from apps.accounts.permissions import IsAuthenticated, UsesAssistanceDesk
from apps.audit.input_limits import FREE_TEXT_MAX_LENGTH, MAX_ID
from apps.audit.requests import client_ip as _client_ip
from apps.cases import assistance, green_channel, selectors
from apps.cases.api import serializers as s
from apps.cases.models import Filing
from apps.catalogue.models import Material
from hall.parsers import BoundedJSONParser


class AssistedFilingSerializer(s.FilingListSerializer):
    """A row of the assistant's queue: what the filing needs next and when its cases are due."""

    green_channel_reason = serializers.CharField()
    next_step = serializers.SerializerMethodField()

    class Meta(s.FilingListSerializer.Meta):
        fields = [
            *[f for f in s.FilingListSerializer.Meta.fields if f not in ("next_action", "action_due_on")],
            "green_channel",
            "green_channel_reason",
            "next_step",
        ]

    def get_next_step(self, filing) -> str:
        return assistance.next_step(filing)


class AssistedFilingDetailSerializer(s.FilingDetailSerializer):
    green_channel_reason = serializers.CharField()
    followed_by = serializers.CharField(
        source="assistant.username", default=None, allow_null=True, help_text="The assistant following it."
    )
    next_step = serializers.SerializerMethodField()

    class Meta(s.FilingDetailSerializer.Meta):
        fields = [
            *[
                f
                for f in s.FilingDetailSerializer.Meta.fields
                if f not in ("next_action", "action_due_on", "due_on")
            ],
            "followed_by",
            "green_channel",
            "green_channel_reason",
            "next_step",
        ]

    def get_next_step(self, filing) -> str:
        return assistance.next_step(filing)


class AssistedFilingCreateSerializer(s.FilingCreateSerializer):
    centre = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The centre filed at: one where the user is an assistant (default: their first).",
    )
    window = None  # an assisted filing goes to the windows' pre-review queue, not to one window


class AssistedHandOverSerializer(serializers.Serializer):
    to_user = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Another assistant's user id."
    )
    note = serializers.CharField(
        max_length=FREE_TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class GreenChannelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=green_channel.REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class GreenChannelStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    green_channel = serializers.BooleanField()
    green_channel_reason = serializers.CharField()
    green_channel_at = serializers.DateTimeField(allow_null=True)


class AssistedFilingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [UsesAssistanceDesk]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            # Each row names its window (once a window has taken it): read with the row.
            if self.request.query_params.get("all") in ("1", "true"):
                return (
                    assistance.assisted_filings_of(user)
                    .select_related("window")
                    .order_by("-created_at", "-pk")
                )
            return assistance.assisted_queue(user).select_related("window")
        return selectors.filing_detail(assistance.assisted_filings_of(user))

    def get_serializer_class(self):
        return AssistedFilingSerializer if self.action == "list" else AssistedFilingDetailSerializer

    def _fresh(self, filing, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=filing.pk) if self.action != "list" else filing
        return Response(AssistedFilingDetailSerializer(fresh).data, status=code)

    @extend_schema(
        parameters=[OpenApiParameter("all", bool, description="Every filing followed, ended ones too.")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssistedFilingCreateSerializer, responses={201: AssistedFilingDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = AssistedFilingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data.get("centre"):
            centre = get_object_or_404(ServiceCentre, pk=data["centre"])
        else:
            centre = assistance.desk_centre(request.user)
            if centre is None:
                raise serializers.ValidationError(
                    {"centre": _("You are not an assistant at any service centre.")}
                )
        filing = assistance.open_assisted_filing(
            centre=centre,
            applicant=body.applicant(),
            item_ids=[i.pk for i in data.get("items", [])] or None,
            bundle=data.get("bundle"),
            actor=request.user,
            client_ip=_client_ip(request),
        )
        return self._fresh(filing, status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": s.UploadCreateSerializer},
        responses={201: s.UploadSerializer},
        parameters=[OpenApiParameter("material_code", str, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"materials/(?P<material_code>[^/.]+)/upload")
    def upload(self, request, pk=None, material_code=None):
        filing = self.get_object()
        body = s.UploadCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        material = get_object_or_404(Material, code=material_code)
        upload = assistance.attach_assisted_upload(
            filing_id=filing.pk,
            material_id=material.pk,
            file=body.validated_data["file"],
            actor=request.user,
            client_ip=_client_ip(request),
        )
        return Response(s.UploadSerializer(upload).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssistedFilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        filing = self.get_object()
        assistance.submit_assisted(filing_id=filing.pk, actor=request.user, client_ip=_client_ip(request))
        return self._fresh(filing)

    @extend_schema(request=AssistedHandOverSerializer, responses=AssistedFilingSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        filing = self.get_object()
        body = AssistedHandOverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        filing = assistance.hand_over(
            filing_id=filing.pk,
            to_user_id=body.validated_data["to_user"],
            note=body.validated_data["note"],
            actor=request.user,
            client_ip=_client_ip(request),
        )
        # The filing is the other assistant's now: this user no longer reads its detail.
        return Response(AssistedFilingSerializer(filing).data)


class GreenChannelView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [BoundedJSONParser, FormParser]

    def _filing(self, request, pk) -> Filing:
        return get_object_or_404(green_channel.flaggable_by(request.user), pk=pk)

    @extend_schema(request=GreenChannelSerializer, responses=GreenChannelStateSerializer)
    def post(self, request, pk):
        """Put the filing in the green channel (绿色通道), for the reason given."""
        filing = self._filing(request, pk)
        body = GreenChannelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        filing = green_channel.flag_green_channel(
            filing_id=filing.pk,
            reason=body.validated_data["reason"],
            actor=request.user,
            client_ip=_client_ip(request),
        )
        return Response(GreenChannelStateSerializer(filing).data)

    @extend_schema(request=None, responses=GreenChannelStateSerializer)
    def delete(self, request, pk):
        """Take the filing out of the green channel."""
        filing = self._filing(request, pk)
        filing = green_channel.unflag_green_channel(
            filing_id=filing.pk, actor=request.user, client_ip=_client_ip(request)
        )
        return Response(GreenChannelStateSerializer(filing).data)


router = SimpleRouter()
router.register("assisted-filings", AssistedFilingViewSet, basename="assisted-filing")
urlpatterns = router.urls + [
    path("filings/<int:pk>/green-channel/", GreenChannelView.as_view(), name="filing-green-channel"),
]
