"""证照夹: the certificates issued to the citizen and to the organisations they may act for today —
each with its verification QR code (the one printed on it), its public verification page and its
PDF, every one of them through the wallet's own check (another's certificate: 404)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.certificates.documents import document_pdf_response
from apps.certificates.qr_codes import verification_qr_svg
from apps.certificates.selectors import wallet_document, wallet_of
from apps.certificates.verification import standing
from apps.portal.views import citizen_required


def _stood(documents) -> list:
    """Each certificate with whether it stands today (the wallet shows it as verification does)."""
    today = timezone.localdate()
    for document in documents:
        document.standing = standing(document, today)
    return documents


@require_GET
@citizen_required
def wallet(request):
    documents = _stood(list(wallet_of(request.user)))
    return render(request, "portal/wallet.html", {"portal_page": "wallet", "documents": documents})


@require_GET
@citizen_required
def document(request, pk):
    found = _stood([wallet_document(request.user, pk)])[0]
    return render(
        request,
        "portal/wallet_document.html",
        {
            "portal_page": "wallet",
            "document": found,
            # On this site: the public page the QR code opens, wherever the hall is served from.
            "verify_path": reverse("verification:token", args=[found.verification_token]),
        },
    )


@require_GET
@citizen_required
@never_cache  # a revoked certificate's QR code must not outlive it in a cache
def qr(request, pk):
    found = wallet_document(request.user, pk)
    return HttpResponse(verification_qr_svg(found), content_type="image/svg+xml")


@require_GET
@citizen_required
def pdf(request, pk):
    return document_pdf_response(request, wallet_document(request.user, pk))


urlpatterns = [
    path("wallet/", wallet, name="wallet"),
    path("wallet/<int:pk>/", document, name="wallet_document"),
    path("wallet/<int:pk>/qr.svg", qr, name="wallet_qr"),
    path("wallet/<int:pk>/pdf/", pdf, name="wallet_pdf"),
]
