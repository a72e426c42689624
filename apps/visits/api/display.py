"""The hall display's API (``/api/v1/display/feed/``): the same feed as the display page's poll, for a
display app holding a device key (the ``X-Device-Key`` header, or the browser's ``hall_device``
cookie). Never a full name or an ID number."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import AllowAny
from apps.visits import devices, display_feed
from apps.visits.display import after_param
from apps.visits.models.codes import DeviceKind

DEVICE_KEY = OpenApiParameter(
    devices.DEVICE_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The display's device key.",
)
AFTER = OpenApiParameter(
    "after",
    int,
    OpenApiParameter.QUERY,
    required=False,
    description="The last call id the display has (0: none): the calls after it come in `new`, to announce.",
)


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="The ticket's number, e.g. A001.")
    window = serializers.CharField(help_text="The window's number.")
    name = serializers.CharField(help_text="The holder's name masked (张*), or empty.")
    area = serializers.CharField()
    recall = serializers.BooleanField()
    at = serializers.DateTimeField()
    announcement = serializers.CharField(help_text="The text to read out.")


class DisplayAreaSerializer(serializers.Serializer):
    prefix = serializers.CharField()
    name = serializers.CharField()
    waiting = serializers.IntegerField()


class FeedSerializer(serializers.Serializer):
    last_id = serializers.IntegerField()
    calls = CallSerializer(many=True, help_text="Today's last calls, newest first.")
    new = CallSerializer(many=True, help_text="The calls after `after`, oldest first.")
    areas = DisplayAreaSerializer(many=True)
    average_wait_minutes = serializers.IntegerField(allow_null=True)
    average_wait_text = serializers.CharField()
    called_today = serializers.IntegerField()


class DisplayFeedView(APIView):
    """What the hall display shows now: the last calls, the waiting per service area, today's average
    wait. A key that is not a paired display's: 403."""

    permission_classes = [AllowAny]  # the device key is the view's question

    @extend_schema(
        parameters=[DEVICE_KEY, AFTER],
        responses={200: FeedSerializer, 403: OpenApiResponse(description="Not a paired display.")},
    )
    @devices.paired_device(DeviceKind.DISPLAY)
    def get(self, request):
        feed = display_feed.feed_for(request.device.centre_id)
        return Response(display_feed.as_json(feed, after=after_param(request)))


urlpatterns = [
    path("display/feed/", DisplayFeedView.as_view(), name="api-display-feed"),
]
