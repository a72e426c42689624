"""The evaluation pad's API (``/api/v1/pad/…``, for a pad app) and the supervisors' pads
(``/api/v1/pads/…``). The same services as the pages (``apps.feedback.pads``, ``services.rate``).

A pad authenticates with its device key: the ``X-Pad-Key`` header (an app), or the ``hall_pad``
cookie (the pad's browser; then a POST must carry the CSRF token too, as a session's would). A
request with a logged-in session is refused (403): the pad is the applicant's. Ratings and pairing
attempts count towards the address's rating rate limit (429)."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import AllowAny, UsesSupervisionDesk
from apps.audit.requests import client_ip
from apps.core import device_pairing
from apps.feedback import pads, services
from apps.feedback.models import ActKind, Channel, Level, Reason
from apps.feedback.pad import device_key, logged_in, pair_url
from apps.feedback.throttles import RatingThrottle

PAD_KEY = OpenApiParameter(
    "X-Pad-Key", str, OpenApiParameter.HEADER, required=False, description="The pad's device key."
)


# --- serializers ---------------------------------------------------------------------------------------


class ShownActSerializer(serializers.Serializer):
    filing = serializers.IntegerField(source="act.filing.pk")
    act = serializers.CharField(source="act.kind")
    item = serializers.CharField(source="item_name")
    applicant = serializers.CharField(help_text="Masked: the family name's first character.")
    staff = serializers.CharField(source="staff_name")
    window = serializers.CharField(source="window_number")
    seconds_left = serializers.SerializerMethodField()

    def get_seconds_left(self, shown) -> int:
        return shown.seconds_left(self.context["now"])


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class PadScreenSerializer(serializers.Serializer):
    window = serializers.CharField()
    act = ShownActSerializer(allow_null=True)
    levels = ChoiceSerializer(many=True)
    reasons = ChoiceSerializer(many=True)


class PadRatingSerializer(serializers.Serializer):
    filing = serializers.IntegerField()
    act = serializers.ChoiceField(choices=[ActKind.WINDOW_VISIT, ActKind.HANDOVER])
    level = serializers.ChoiceField(choices=Level.choices)
    reason = serializers.ChoiceField(choices=Reason.choices, required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class RatedSerializer(serializers.Serializer):
    filing = serializers.IntegerField(source="filing_id")
    act = serializers.CharField()
    level = serializers.CharField()
    reason = serializers.CharField()
    channel = serializers.CharField()
    rated_at = serializers.DateTimeField()


class ClaimSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class ClaimedSerializer(serializers.Serializer):
    window = serializers.CharField()
    device_key = serializers.CharField(help_text="Shown once: send it as X-Pad-Key.")


class PadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    window = serializers.IntegerField(source="window_id")
    window_number = serializers.CharField(source="window.number")
    centre = serializers.CharField(source="window.centre.name")
    name = serializers.CharField()
    status = serializers.SerializerMethodField()
    paired_at = serializers.DateTimeField()
    paired_by = serializers.CharField()
    last_seen_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, pad) -> str:
        return pads.status_of(pad, self.context.get("now")).key


class PairSerializer(serializers.Serializer):
    window = serializers.IntegerField()
    name = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")


class PairedSerializer(PadSerializer):
    pairing_code = serializers.CharField(help_text="Shown once; valid for 10 minutes.")
    code_expires_at = serializers.DateTimeField()
    pair_url = serializers.CharField()


# --- the pad's side ---------------------------------------------------------------------------------------


def request_pad(request, *, writing: bool = False):
    """The pad of the request (403 with a login; 401-like refusal without a valid key)."""
    if logged_in(request):
        raise PermissionDenied(_("The evaluation pad is not used while logged in."))
    pad = pads.pad_from_key(device_key(request))
    if pad is None:
        raise NotAuthenticated(_("This device is not a paired evaluation pad: pair it at /pad/pair/."))
    if writing and not request.headers.get("X-Pad-Key"):  # the cookie: a browser sends it on its own
        device_pairing.enforce_csrf(request._request)
    pads.note_seen(pad)
    return pad


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices]


class PadCurrentView(APIView):
    """What the pad's screen shows now: the act just finished at its window (at most
    HALL_PAD_SHOW_SECONDS ago, not yet rated), or ``act: null``."""

    permission_classes = [AllowAny]  # the device key is the view's question

    @extend_schema(parameters=[PAD_KEY], responses=PadScreenSerializer)
    def get(self, request):
        pad = request_pad(request)
        now = timezone.now()
        shown = pads.act_on_pad(pad, now=now)
        body = {
            "window": pad.window.number,
            "act": None,
            "levels": _choices(Level.choices),
            "reasons": _choices(Reason.choices),
        }
        if shown is not None:
            body["act"] = ShownActSerializer(shown, context={"now": now}).data
        return Response(body)


class PadRatingView(APIView):
    """The applicant's rating on the pad (channel pad): only of the act its window just finished; any
    other filing or act is a 404."""

    permission_classes = [AllowAny]
    throttle_classes = [RatingThrottle]

    @extend_schema(
        parameters=[PAD_KEY],
        request=PadRatingSerializer,
        responses={
            201: RatedSerializer,
            429: OpenApiResponse(description="Too many ratings from the address."),
        },
    )
    def post(self, request):
        pad = request_pad(request, writing=True)
        data = PadRatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        act = pads.act_to_rate(pad, filing_id=data["filing"], kind=data["act"])
        if act is None:
            raise Http404
        rating = services.rate(
            filing_id=act.filing.pk,
            act=act.kind,
            level=data["level"],
            reason=data["reason"],
            comment=data["comment"],
            channel=Channel.PAD,
            rater=request.user,
            client_ip=client_ip(request),
            pad=pad,
        )
        return Response(RatedSerializer(rating).data, status=status.HTTP_201_CREATED)


class PadPairView(APIView):
    """A tablet claims the one-time pairing code a supervisor was shown: it gets its device key (once)."""

    permission_classes = [AllowAny]
    throttle_classes = [RatingThrottle]

    @extend_schema(
        request=ClaimSerializer,
        responses={
            201: ClaimedSerializer,
            429: OpenApiResponse(description="Too many attempts from the address."),
        },
    )
    def post(self, request):
        if logged_in(request):
            raise PermissionDenied(_("The evaluation pad is not used while logged in."))
        data = ClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pad, key = pads.claim_pad(code=data.validated_data["code"], client_ip=client_ip(request))
        return Response({"window": pad.window.number, "device_key": key}, status=status.HTTP_201_CREATED)


# --- the supervisors' side ------------------------------------------------------------------------------


def _paired(pad, code: str) -> dict:
    return {
        **PadSerializer(pad).data,
        "pairing_code": code,
        "code_expires_at": serializers.DateTimeField().to_representation(pads.code_expires_at(pad)),
        "pair_url": pair_url(),
    }


class PadListView(APIView):
    """The pads of the windows of the centres the user supervises; POST pairs a new one and answers its
    one-time pairing code (shown once)."""

    permission_classes = [UsesSupervisionDesk]  # at the window's centre: the selectors and the services

    @extend_schema(responses=PadSerializer(many=True))
    def get(self, request):
        found = pads.pads_for_supervisor(request.user)
        return Response(PadSerializer(found, many=True, context={"now": timezone.now()}).data)

    @extend_schema(request=PairSerializer, responses={201: PairedSerializer})
    def post(self, request):
        data = PairSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pad, code = pads.pair_pad(
            window_id=data.validated_data["window"],
            name=data.validated_data["name"],
            actor=request.user,
            client_ip=client_ip(request),
        )
        return Response(_paired(pad, code), status=status.HTTP_201_CREATED)


class PadRenewCodeView(APIView):
    """A new one-time code for a pad of the user's centre still awaiting its tablet (shown once); a
    pad in use or revoked: 409."""

    permission_classes = [UsesSupervisionDesk]

    @extend_schema(request=None, responses={200: PairedSerializer})
    def post(self, request, pk):
        if not pads.pads_for_supervisor(request.user).filter(pk=pk).exists():
            raise Http404
        pad, code = pads.renew_code(pad_id=pk, actor=request.user, client_ip=client_ip(request))
        return Response(_paired(pad, code))


class PadRevokeView(APIView):
    """Revoke a pad of the user's centre (another centre's: 404); revoked already: 409."""

    permission_classes = [UsesSupervisionDesk]

    @extend_schema(
        request=None, responses={200: PadSerializer, 404: OpenApiResponse(description="Not yours.")}
    )
    def post(self, request, pk):
        if not pads.pads_for_supervisor(request.user).filter(pk=pk).exists():
            raise Http404
        pad = pads.revoke_pad(pad_id=pk, actor=request.user, client_ip=client_ip(request))
        return Response(PadSerializer(pad).data)


urlpatterns = [
    path("pad/current/", PadCurrentView.as_view(), name="api-pad-current"),
    path("pad/ratings/", PadRatingView.as_view(), name="api-pad-ratings"),
    path("pad/pair/", PadPairView.as_view(), name="api-pad-pair"),
    path("pads/", PadListView.as_view(), name="api-pads"),
    path("pads/<int:pk>/renew-code/", PadRenewCodeView.as_view(), name="api-pad-renew-code"),
    path("pads/<int:pk>/revoke/", PadRevokeView.as_view(), name="api-pad-revoke"),
]
