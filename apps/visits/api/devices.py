"""The hall devices' API: a kiosk or a display claims its pairing code (``/api/v1/hall-devices/
claim/``, for a screen's app), and the supervisors' devices (``/api/v1/hall-devices/…``). The same
services as the pages (``apps.visits.devices``)."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import AllowAny, UsesSupervisionDesk
from apps.audit.requests import client_ip
from apps.visits import devices
from apps.visits.models.codes import DeviceKind


class DeviceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    centre = serializers.IntegerField(source="centre_id")
    centre_name = serializers.CharField(source="centre.name")
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    name = serializers.CharField()
    status = serializers.SerializerMethodField()
    paired_at = serializers.DateTimeField()
    paired_by = serializers.CharField()
    last_seen_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, device) -> str:
        return devices.status_of(device, self.context.get("now")).key


class DevicePairSerializer(serializers.Serializer):
    centre = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")


class DevicePairedSerializer(DeviceSerializer):
    pairing_code = serializers.CharField(help_text="Shown once; valid for 10 minutes.")
    code_expires_at = serializers.DateTimeField()
    pair_url = serializers.CharField()


class DeviceClaimSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class DeviceClaimedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    centre = serializers.IntegerField()
    device_key = serializers.CharField(help_text="Shown once: send it as X-Device-Key.")


def _paired(device, code: str) -> dict:
    return {
        **DeviceSerializer(device).data,
        "pairing_code": code,
        "code_expires_at": serializers.DateTimeField().to_representation(devices.code_expires_at(device)),
        "pair_url": devices.pair_url(),
    }


class DeviceClaimView(APIView):
    """A kiosk or a display claims the one-time pairing code a supervisor was shown: it gets its
    device key (once). A wrong, used or lapsed code: one answer (400)."""

    permission_classes = [AllowAny]
    throttle_classes = [devices.PairingThrottle]

    @extend_schema(
        request=DeviceClaimSerializer,
        responses={
            201: DeviceClaimedSerializer,
            429: OpenApiResponse(description="Too many attempts from the address."),
        },
    )
    def post(self, request):
        data = DeviceClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device, key = devices.claim_device(code=data.validated_data["code"], client_ip=client_ip(request))
        return Response(
            {"kind": device.kind, "centre": device.centre_id, "device_key": key},
            status=status.HTTP_201_CREATED,
        )


class DeviceListView(APIView):
    """The kiosks and displays of the centres the user supervises; POST pairs a new one and answers its
    one-time pairing code (shown once)."""

    permission_classes = [UsesSupervisionDesk]  # of the device's centre: the selectors and the services

    @extend_schema(responses=DeviceSerializer(many=True))
    def get(self, request):
        found = devices.devices_for_supervisor(request.user)
        return Response(DeviceSerializer(found, many=True, context={"now": timezone.now()}).data)

    @extend_schema(request=DevicePairSerializer, responses={201: DevicePairedSerializer})
    def post(self, request):
        data = DevicePairSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device, code = devices.pair_device(
            centre_id=data.validated_data["centre"],
            kind=data.validated_data["kind"],
            name=data.validated_data["name"],
            actor=request.user,
            client_ip=client_ip(request),
        )
        return Response(_paired(device, code), status=status.HTTP_201_CREATED)


class DeviceRenewCodeView(APIView):
    """A new one-time code for a device still awaiting its screen (shown once); in use or revoked: 409."""

    permission_classes = [UsesSupervisionDesk]

    @extend_schema(request=None, responses={200: DevicePairedSerializer})
    def post(self, request, pk):
        if not devices.devices_for_supervisor(request.user).filter(pk=pk).exists():
            raise Http404
        device, code = devices.renew_code(device_id=pk, actor=request.user, client_ip=client_ip(request))
        return Response(_paired(device, code))


class DeviceRevokeView(APIView):
    """Revoke a device of the user's centre (another centre's: 404); revoked already: 409."""

    permission_classes = [UsesSupervisionDesk]

    @extend_schema(
        request=None, responses={200: DeviceSerializer, 404: OpenApiResponse(description="Not yours.")}
    )
    def post(self, request, pk):
        if not devices.devices_for_supervisor(request.user).filter(pk=pk).exists():
            raise Http404
        device = devices.revoke_device(device_id=pk, actor=request.user, client_ip=client_ip(request))
        return Response(DeviceSerializer(device).data)


urlpatterns = [
    path("hall-devices/", DeviceListView.as_view(), name="api-hall-devices"),
    path("hall-devices/claim/", DeviceClaimView.as_view(), name="api-hall-device-claim"),
    path(
        "hall-devices/<int:pk>/renew-code/", DeviceRenewCodeView.as_view(), name="api-hall-device-renew-code"
    ),
    path("hall-devices/<int:pk>/revoke/", DeviceRevokeView.as_view(), name="api-hall-device-revoke"),
]
