"""The online hall's API for a mobile app: the inbox, the certificate wallet and the delivery
choice, over the same selectors and services as the portal's pages. What a user sees is theirs
alone: another account's message, certificate or filing is a 404."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response

from apps.accounts.permissions import IsAuthenticated, UsesCitizenPortal
from apps.audit.requests import client_ip
from apps.cases import selectors as filings
from apps.certificates import selectors as certificates
from apps.certificates import services
from apps.certificates.documents import document_pdf_response
from apps.certificates.models import DeliveryChoice
from apps.certificates.qr_codes import verification_qr_svg
from apps.certificates.verification import standing
from apps.notifications import inbox
from apps.portal.api import serializers as s


class InboxViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """站内信: the account's in-site messages, unread first. Reading one does not mark it read;
    ``POST …/read/`` does (as opening it in the portal does)."""

    # Staff accounts get messages too (a supervisor's escalations): whose messages is the selector's.
    permission_classes = [IsAuthenticated]
    serializer_class = s.MessageSerializer

    def get_queryset(self):
        return inbox.inbox_of(self.request.user)

    @extend_schema(request=None, responses=s.MessageSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        opened = inbox.open_message(message_id=self.get_object().pk, user=request.user)
        return Response(s.MessageSerializer(opened).data)

    @extend_schema(responses=s.UnreadSerializer)
    @action(detail=False, methods=["get"])
    def unread(self, request):
        """How many messages are unread (the app's badge)."""
        return Response({"unread": inbox.unread_count(request.user)})


class WalletViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """证照夹: certificates issued on the filings of the account and of the organisations it may act
    for today, each with its verification address, its QR code and its PDF."""

    permission_classes = [UsesCitizenPortal]  # whose certificates: the selector
    serializer_class = s.WalletDocumentSerializer

    def get_queryset(self):
        return certificates.wallet_of(self.request.user)

    def get_serializer(self, *args, **kwargs):
        # Each certificate with whether it stands today, as the wallet page shows it.
        if args:
            documents = list(args[0]) if kwargs.get("many") else [args[0]]
            today = timezone.localdate()
            for document in documents:
                document.standing = standing(document, today)
            args = (documents if kwargs.get("many") else documents[0], *args[1:])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(responses={(200, "image/svg+xml"): bytes})
    @action(detail=True, methods=["get"], url_path="qr")
    def qr(self, request, pk=None):
        return HttpResponse(verification_qr_svg(self.get_object()), content_type="image/svg+xml")

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return document_pdf_response(request, self.get_object())


@extend_schema(methods=["GET"], responses=s.DeliveryChoiceSerializer)
@extend_schema(methods=["PUT"], request=s.DeliveryChoiceSerializer, responses=s.DeliveryChoiceSerializer)
@api_view(["GET", "PUT"])
@permission_classes([UsesCitizenPortal])  # whose filing: filings_of_citizen (another's: 404)
def delivery(request, pk):
    """领取方式 of a filing: collect at a window (``handover``) or free post (``post``), chosen by the
    applicant's account or an authorised agent of the organisation until the documents are issued
    (409 after). ``GET`` is a 404 while nothing has been chosen; another account's filing is a 404."""
    filing = get_object_or_404(filings.filings_of_citizen(request.user).only("pk"), pk=pk)
    if request.method == "GET":
        choice = get_object_or_404(DeliveryChoice, filing=filing)
        return Response(s.DeliveryChoiceSerializer(choice).data)
    body = s.DeliveryChoiceSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    choice = services.choose_delivery(
        filing_id=filing.pk, actor=request.user, client_ip=client_ip(request), **body.validated_data
    )
    return Response(s.DeliveryChoiceSerializer(choice).data, status=status.HTTP_200_OK)
