"""The certificate desk's API: the same services as the issuers' desk. A filing or document of
another centre is a 404; an action the user may not take a 403; a state that moved on a 409."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from apps.accounts.permissions import AllowAny, IsAuthenticated, UsesIssuingDesk
from apps.audit.requests import client_ip
from apps.cases.api.filters import FilingFilter
from apps.cases.codes import FilingState
from apps.certificates import library as certificate_library
from apps.certificates import selectors, services, verification
from apps.certificates.api import serializers as s
from apps.certificates.api.filters import IssueRequestFilter
from apps.certificates.documents import document_pdf_response


class IssuingFilingViewSet(viewsets.GenericViewSet):
    """Filings at the user's certificate desk: ``?state=ready_for_issue`` (default) or ``issued``."""

    permission_classes = [UsesIssuingDesk]
    serializer_class = s.DeskFilingSerializer
    filterset_class = FilingFilter  # ?q= and ?ordering=, as the certificate desk finds filings
    # The actions look the filing up themselves (selectors.desk_filing): a key that is no number is
    # no route, rather than a ValueError there.
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        state = self.request.query_params.get("state", FilingState.READY_FOR_ISSUE)
        if state not in (FilingState.READY_FOR_ISSUE, FilingState.ISSUED):
            state = FilingState.READY_FOR_ISSUE
        return selectors.filings_at_desk(self.request.user, state)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.DeskFilingSerializer(page, many=True).data)

    @extend_schema(operation_id="issuing_filings_preview", responses=s.DeskFilingPreviewSerializer)
    def retrieve(self, request, pk=None):
        """The preview: each document the filing will get, its seal, and what stands in the way."""
        filing = selectors.desk_filing(request.user, pk)
        planned = services.plan(filing, [c for c in filing.cases.all() if c.state in services.DECIDED])
        return Response(
            {
                **s.DeskFilingSerializer(filing).data,
                "documents": s.PlannedSerializer(planned, many=True).data,
                "issued": s.DocumentSerializer(
                    filing.documents.all(), many=True, context={"request": request}
                ).data,
            }
        )

    @extend_schema(request=s.RequestBodySerializer, responses={201: s.IssueRequestSerializer})
    @action(detail=True, methods=["post"], url_path="request")
    def request_issue(self, request, pk=None):
        filing = selectors.desk_filing(request.user, pk)
        body = s.RequestBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        issue_request = services.request_issue(
            filing_id=filing.pk,
            actor=request.user,
            note=body.validated_data["note"],
            client_ip=client_ip(request),
        )
        return Response(s.IssueRequestSerializer(issue_request).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HandOverSerializer, responses={201: s.DeliverySerializer})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        filing = selectors.desk_filing(request.user, pk)
        body = s.HandOverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        delivery = services.hand_over(
            filing_id=filing.pk, actor=request.user, client_ip=client_ip(request), **body.validated_data
        )
        return Response(s.DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PostSerializer, responses={201: s.DeliverySerializer})
    @action(detail=True, methods=["post"], url_path="post")
    def post_documents(self, request, pk=None):
        filing = selectors.desk_filing(request.user, pk)
        body = s.PostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        delivery = services.post(
            filing_id=filing.pk, actor=request.user, client_ip=client_ip(request), **body.validated_data
        )
        return Response(s.DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


class IssueRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Requests awaiting a seal keeper (用印申请); confirm issues every document of the filing."""

    permission_classes = [UsesIssuingDesk]
    serializer_class = s.IssueRequestSerializer
    filterset_class = IssueRequestFilter

    def get_queryset(self):
        return selectors.pending_requests(self.request.user)

    @extend_schema(request=None, responses={201: s.DocumentSerializer(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None)  # every document of the filing
    def confirm(self, request, pk=None):
        issue_request = self.get_object()
        documents = services.confirm_issue(
            request_id=issue_request.pk, actor=request.user, client_ip=client_ip(request)
        )
        data = s.DocumentSerializer(documents, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RequestBodySerializer, responses=s.IssueRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        issue_request = self.get_object()
        body = s.RequestBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cancelled = services.cancel_request(
            request_id=issue_request.pk,
            actor=request.user,
            reason=body.validated_data["note"],
            client_ip=client_ip(request),
        )
        return Response(s.IssueRequestSerializer(cancelled).data)


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Issued documents the user may see: their desk's, their department's, or their own filings'."""

    permission_classes = [IsAuthenticated]  # which documents: selectors; revocation: the service
    serializer_class = s.DocumentSerializer

    def get_queryset(self):
        return selectors.documents_visible_to(self.request.user).order_by("-issued_at", "-pk")

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return document_pdf_response(request, self.get_object())

    @extend_schema(request=s.RevokeSerializer, responses=s.DocumentSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        document = self.get_object()
        body = s.RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.revoke(
            document_id=document.pk, actor=request.user, client_ip=client_ip(request), **body.validated_data
        )
        document = self.get_queryset().get(pk=document.pk)
        return Response(s.DocumentSerializer(document, context={"request": request}).data)


@extend_schema(
    parameters=[s.LibraryQuerySerializer, OpenApiParameter("page", int, description="A page number.")],
    responses=s.LibraryPageSerializer,
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])  # who may look up whom: the library's own rule (403 otherwise)
def library(request):
    """电子证照库: a window clerk looks a holder up by identity number or credit code (each lookup
    logged as a disclosure); a citizen sees the certificates issued on their own filings; other staff
    are refused (403)."""
    query = s.LibraryQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    entries = certificate_library.look_up(
        request.user, query.validated_data.get("holder_code", ""), client_ip=client_ip(request)
    )
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(entries, request)
    return paginator.get_paginated_response(s.LibraryEntrySerializer(page, many=True).data)


LIMITED = OpenApiResponse(
    s.VerificationSerializer, description="Over the verification rate for this address (outcome ``limited``)."
)


def _verified(result) -> Response:
    code = status.HTTP_429_TOO_MANY_REQUESTS if result.limited else status.HTTP_200_OK
    return Response(s.VerificationSerializer(result).data, status=code)


@extend_schema(
    operation_id="verify_by_token",
    responses={200: s.VerificationSerializer, 429: LIMITED},
    auth=[],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def verify_token(request, token):
    """Public: what the QR code's token verifies to (no login; rate-limited; logged)."""
    return _verified(verification.from_request(request, token=token))


@extend_schema(
    operation_id="verify_by_number",
    parameters=[s.VerifyQuerySerializer],
    responses={200: s.VerificationSerializer, 429: LIMITED},
    auth=[],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def verify_number(request):
    """Public: a printed number and its check code (no login; rate-limited; logged)."""
    query = s.VerifyQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return _verified(verification.from_request(request, **query.validated_data))
