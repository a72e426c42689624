"""The citizen account API (for a mobile app): codes, registration, login, password reset, and the
organisations the account acts for. Thin over ``apps.citizens.services``; a refusal is a 400 naming
the field (``hall/api_errors.py``), another citizen's authorisation a 404."""

from __future__ import annotations

from django.contrib.auth import authenticate, login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Window
from apps.accounts.permissions import AllowAny, UsesCitizenPortal, UsesIntakeDesk
from apps.accounts.roles import Role
from apps.accounts.selectors import usual_window
from apps.audit.requests import client_ip
from apps.citizens import selectors, services
from apps.citizens.api import serializers as s
from apps.citizens.letters import letter_response, own_authorisation_or_404
from apps.citizens.views import MODEL_BACKEND


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CodeView(APIView):
    """Send an SMS code to a mobile number: ``register`` (a number without an account), ``login`` or
    ``reset`` (sent only if a citizen account has the number; the answer is the same either way).
    At most 5 a number an hour; refusals name ``phone``."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=s.CodeRequestSerializer,
        responses={202: OpenApiResponse(description="Sent (or not, see above).")},
    )
    def post(self, request):
        data = _valid(s.CodeRequestSerializer, request)
        services.request_code(phone=data["phone"], purpose=data["purpose"], client_ip=client_ip(request))
        return Response(
            {"detail": _("If the number may receive it, a code is on its way.")},
            status=status.HTTP_202_ACCEPTED,
        )


class RegisterView(APIView):
    """Register a citizen account (self-declared real name) with a registration code; logged in."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.RegisterSerializer, responses={201: s.AccountSerializer})
    def post(self, request):
        data = _valid(s.RegisterSerializer, request)
        user = services.register(**data, client_ip=client_ip(request))
        login(request._request, user, backend=MODEL_BACKEND)
        return Response(s.AccountSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    """Log in (a session) by password — the login lockout counts failures as on the page — or by an
    SMS login code."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=s.LoginSerializer,
        responses={
            200: s.AccountSerializer,
            429: OpenApiResponse(description="Locked out after too many failed logins (the login lockout)."),
        },
    )
    def post(self, request):
        data = _valid(s.LoginSerializer, request)
        if data.get("code"):
            user = services.login_with_code(
                phone=data["phone"], code=data["code"], client_ip=client_ip(request)
            )
        else:
            # django-axes (AxesStandaloneBackend) refuses a locked-out name or address before the
            # password is tried, and counts this failure if it is one.
            user = authenticate(request._request, username=data["username"], password=data["password"])
            if getattr(request._request, "axes_locked_out", False):
                raise PermissionDenied(_("Too many failed logins: try again later."))
            if user is None:
                raise ValidationError({"password": _("The user name or password is wrong.")})
        login(request._request, user, backend=getattr(user, "backend", MODEL_BACKEND))
        return Response(s.AccountSerializer(user).data)


class PasswordResetView(APIView):
    """Set a new password with a reset code sent to the account's mobile number."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.PasswordResetSerializer, responses={204: None})
    def post(self, request):
        data = _valid(s.PasswordResetSerializer, request)
        services.reset_password(**data, client_ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationListView(APIView):
    """The organisations the account acts for (every authorisation, ``current`` for today), and adding
    one (multipart with ``letter``: required for an agent)."""

    permission_classes = [UsesCitizenPortal]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=s.OrganisationSerializer(many=True))
    def get(self, request):
        return Response(
            s.OrganisationSerializer(selectors.authorisations_listed(request.user), many=True).data
        )

    @extend_schema(
        request={"multipart/form-data": s.OrganisationAddSerializer},
        responses={201: s.OrganisationSerializer},
    )
    def post(self, request):
        data = _valid(s.OrganisationAddSerializer, request)
        authorisation = services.add_organisation(user=request.user, **data, client_ip=client_ip(request))
        return Response(s.OrganisationSerializer(authorisation).data, status=status.HTTP_201_CREATED)


def _own(request, pk):
    return own_authorisation_or_404(request.user, pk)


class OrganisationDetailView(APIView):
    permission_classes = [UsesCitizenPortal]

    @extend_schema(responses=s.OrganisationSerializer)
    def get(self, request, pk):
        return Response(s.OrganisationSerializer(_own(request, pk)).data)


class OrganisationRevokeView(APIView):
    """The account stops acting for the organisation (its filings stay)."""

    permission_classes = [UsesCitizenPortal]

    @extend_schema(request=None, responses=s.OrganisationSerializer)
    def post(self, request, pk):
        _own(request, pk)
        try:
            authorisation = services.revoke_authorisation(
                authorisation_id=pk, actor=request.user, client_ip=client_ip(request)
            )
        except DjangoPermissionDenied:
            raise Http404 from None
        return Response(s.OrganisationSerializer(authorisation).data)


class OrganisationLetterView(APIView):
    """The letter of authorisation, to its own account only."""

    permission_classes = [UsesCitizenPortal]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="The letter.")})
    def get(self, request, pk):
        return letter_response(request, _own(request, pk))


def _clerk_window(request, data) -> Window | None:
    """The window a verification is recorded at: the one named in the body, else the clerk's usual
    window (the service refuses a window that is not theirs at that centre)."""
    if data.get("window"):
        return Window.objects.filter(pk=data["window"]).first()
    return usual_window(request.user, Role.CLERK)


class AuthorisationVerifyView(APIView):
    """窗口核验 of an organisation authorisation: a window clerk has checked it against the letter of
    authorisation shown at the window (``apps.citizens.services.verify_authorisation``). At the
    clerk's usual window, or ``window`` (one of theirs: another centre's is refused, 403)."""

    permission_classes = [UsesIntakeDesk]

    @extend_schema(request=s.AuthorisationVerifySerializer, responses=s.VerifiedAuthorisationSerializer)
    def post(self, request, pk):
        data = _valid(s.AuthorisationVerifySerializer, request)
        window = _clerk_window(request, data)
        authorisation = services.verify_authorisation(
            authorisation_id=pk, actor=request.user, window=window, client_ip=client_ip(request)
        )
        return Response(s.VerifiedAuthorisationSerializer(authorisation).data)


class RealNameVerifyView(APIView):
    """窗口核验 of a citizen account: a window clerk has compared it with the identity card shown at
    the window (``apps.citizens.services.verify_real_name``; ``id_number`` is the card's, and must be
    the account's). At the clerk's usual window, or ``window`` (another centre's is refused, 403)."""

    permission_classes = [UsesIntakeDesk]

    @extend_schema(request=s.RealNameVerifySerializer, responses=s.VerifiedAccountSerializer)
    def post(self, request, pk):
        data = _valid(s.RealNameVerifySerializer, request)
        window = _clerk_window(request, data)
        user = services.verify_real_name(
            user_id=pk,
            id_number=data["id_number"],
            actor=request.user,
            window=window,
            client_ip=client_ip(request),
        )
        return Response(s.VerifiedAccountSerializer(user).data)
