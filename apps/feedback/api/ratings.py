"""The ratings API (好差评): the applicant rates a filing's acts through the online hall (their own
filing), or through its rating link (the token printed as a QR code or sent by SMS, no login); a
supervisor enters a rating taken by the 12345 hotline. The same services as the pages
(``apps.feedback.services``); submissions are rate-limited per client address (429)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.response import Response

from apps.accounts.models import Window
from apps.accounts.permissions import AllowAny, UsesCitizenPortal, UsesSupervisionDesk
from apps.audit.requests import client_ip
from apps.cases.models import Filing
from apps.cases.rating_links import BadRatingToken, ExpiredRatingToken, read_token
from apps.cases.selectors import filings_of_citizen
from apps.feedback import selectors, services
from apps.feedback.api import rating_serializers as s
from apps.feedback.models import ActKind, Channel
from apps.feedback.throttles import RatingSubmissionThrottle, RatingThrottle

LIMITED = OpenApiResponse(description="Too many ratings from this address: try again in a minute.")


def _loaded(filings, pk) -> Filing:
    """The filing with what its acts read (first item, delivery) loaded with it."""
    return get_object_or_404(
        filings.select_related("delivery").prefetch_related("items__item"),
        pk=pk,
    )


def _rateable(filing: Filing) -> dict:
    rows = selectors.rateable(filing)
    windows = dict(
        Window.objects.filter(pk__in={act.window_id for act, _r, _c in rows if act.window_id}).values_list(
            "pk", "number"
        )
    )
    items = {entry.item_id: entry.item.name for entry in filing.items.all()}
    return {
        "filing_number": filing.number,
        "acts": [
            {
                "act": act.kind,
                "act_label": str(ActKind(act.kind).label),
                "at": act.at,
                "window_number": windows.get(act.window_id, ""),
                "item_name": items.get(act.item_id, ""),
                "rating": rating,
                "can_rate": can_rate,
            }
            for act, rating, can_rate in rows
        ],
    }


def _rated(rating, serializer=s.RatingSerializer) -> Response:
    created = rating.changed_at is None and rating.rerated_at is None
    return Response(
        serializer(rating).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


RATED = {201: s.RatingSerializer, 200: s.RatingSerializer, 429: LIMITED}


def _acts_or_rate(request, filing: Filing, channel: str) -> Response:
    """``GET``: the filing's acts with their ratings; ``POST``: rates one through ``channel`` as the
    request's user (the portal's account, or whoever opened the rating link)."""
    if request.method == "GET":
        return Response(s.RateableFilingSerializer(_rateable(filing)).data)
    body = s.RateBodySerializer(data=request.data)
    body.is_valid(raise_exception=True)
    rating = services.rate(
        filing_id=filing.pk,
        channel=channel,
        rater=request.user,  # a staff session is checked against the act: never one's own work
        client_ip=client_ip(request),
        **body.validated_data,
    )
    return _rated(rating)


# --- the online hall: the account's own filing ----------------------------------------------------------


@extend_schema(methods=["GET"], operation_id="filing_ratings", responses=s.RateableFilingSerializer)
@extend_schema(methods=["POST"], operation_id="filing_rate", request=s.RateBodySerializer, responses=RATED)
@api_view(["GET", "POST"])
@permission_classes([UsesCitizenPortal])  # whose filing: filings_of_citizen (another's: 404)
@throttle_classes([RatingSubmissionThrottle])
def filing_ratings(request, pk):
    """The acts of the account's filing that may be rated, with its ratings of them; ``POST`` rates one
    (channel ``portal``): 201 for a first rating, 200 for a change (within the change period, or once
    after a rectification); 409 when the period has passed; 400 naming the field (a bad rating needs a
    reason). Another account's filing is a 404."""
    return _acts_or_rate(request, _loaded(filings_of_citizen(request.user), pk), Channel.PORTAL)


# --- the rating link (QR code, SMS), no login -----------------------------------------------------------

TOKEN_REFUSED = {
    404: OpenApiResponse(s.TokenErrorSerializer, description="Not a rating link of this hall."),
    410: OpenApiResponse(s.TokenErrorSerializer, description="The rating link has expired."),
}
VIA = OpenApiParameter(
    "via",
    str,
    enum=["sms"],
    required=False,
    description="``sms`` when the link came by SMS (else: a QR code).",
)


def _token_filing(token: str) -> Filing | Response:
    try:
        filing_id = read_token(token)
    except ExpiredRatingToken:
        return Response(
            {"detail": _("This rating link has expired."), "code": "expired"}, status=status.HTTP_410_GONE
        )
    except BadRatingToken:
        return Response(
            {"detail": _("This rating link is not valid."), "code": "not_valid"},
            status=status.HTTP_404_NOT_FOUND,
        )
    return _loaded(Filing.objects.all(), filing_id)


@extend_schema(
    methods=["GET"],
    operation_id="token_ratings",
    parameters=[VIA],
    responses={200: s.RateableFilingSerializer, **TOKEN_REFUSED},
    auth=[],
)
@extend_schema(
    methods=["POST"],
    operation_id="token_rate",
    parameters=[VIA],
    request=s.RateBodySerializer,
    responses={**RATED, **TOKEN_REFUSED},
    auth=[],
)
@api_view(["GET", "POST"])
@permission_classes([AllowAny])  # the token is the right to rate (signed, expiring)
@throttle_classes([RatingSubmissionThrottle])
def token_ratings(request, token):
    """Public: the filing its rating link names, its acts and their ratings; ``POST`` rates one as the
    applicant (channel ``qr``, or ``sms`` with ``?via=sms``). A link rated twice changes the first
    rating within the period, never a second one. A forged link is a 404, an expired one a 410."""
    filing = _token_filing(token)
    if isinstance(filing, Response):
        return filing
    channel = Channel.SMS if request.query_params.get("via") == "sms" else Channel.QR
    return _acts_or_rate(request, filing, channel)


# --- 12345, entered by a supervisor -----------------------------------------------------------------------


@extend_schema(
    operation_id="phone_rate",
    request=s.PhoneRatingBodySerializer,
    responses={201: s.PhoneRatingSerializer, 200: s.PhoneRatingSerializer, 429: LIMITED},
)
@api_view(["POST"])
# The supervision desk's permission before the body is read; the centre by the service.
@permission_classes([UsesSupervisionDesk])
@throttle_classes([RatingThrottle])
def phone_ratings(request):
    """A rating taken by the 12345 hotline: a supervisor of the filing's centre (or of the act's
    department) enters the caller's name and phone with the rating. A caller on one of the filing's own
    numbers rates as the applicant (their one rating per act: a change within the period); another
    caller as themselves. A filing of another centre is a 404; the act's own staff member is refused."""
    body = s.PhoneRatingBodySerializer(data=request.data)
    body.is_valid(raise_exception=True)
    values = dict(body.validated_data)
    filing = get_object_or_404(Filing.objects.only("pk"), number=values.pop("filing_number").strip())
    rating = services.rate_by_phone(
        filing_id=filing.pk, actor=request.user, client_ip=client_ip(request), **values
    )
    return _rated(rating, s.PhoneRatingSerializer)


urlpatterns = [
    path("filings/<int:pk>/ratings/", filing_ratings, name="filing-ratings"),
    path("rate/<str:token>/", token_ratings, name="token-ratings"),
    path("phone-ratings/", phone_ratings, name="phone-ratings"),
]
