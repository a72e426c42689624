"""The public verification page (证照核验), reached from a certificate's QR code or by typing its
number and check code. No login; rate-limited per address; every lookup logged."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.audit.requests import client_ip
from apps.certificates import verification
from apps.certificates.models import VerificationOutcome


def _answer(request, lookup, *, method: str, query: str):
    result = verification.guarded(request, method=method, query=query, lookup=lookup)
    status = 429 if result.outcome == VerificationOutcome.LIMITED else 200
    return render(request, "certificates/verify.html", {"result": result}, status=status)


@require_GET
@never_cache  # a revocation shows at once: no cache may keep an old answer
def by_token(request, token):
    return _answer(
        request,
        lambda: verification.by_token(token, client_ip=client_ip(request)),
        method="token",
        query=token,
    )


@require_GET
@never_cache
def by_number(request):
    number, code = request.GET.get("number", "").strip(), request.GET.get("code", "").strip()
    if not number:
        return render(request, "certificates/verify.html", {"result": None})
    return _answer(
        request,
        lambda: verification.by_number(number, code, client_ip=client_ip(request)),
        method="number",
        query=f"{number} {code}",
    )
