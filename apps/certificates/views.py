"""The public verification page (证照核验), reached from a certificate's QR code or by typing its
number and check code. No login; rate-limited per address; every lookup logged."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.certificates import verification


def _page(request, result):
    status = 429 if result is not None and result.limited else 200
    return render(request, "certificates/verify.html", {"result": result}, status=status)


@require_GET
@never_cache  # a revocation shows at once: no cache may keep an old answer
def by_token(request, token):
    return _page(request, verification.from_request(request, token=token))


@require_GET
@never_cache
def by_number(request):
    number, code = request.GET.get("number", "").strip(), request.GET.get("code", "").strip()
    if not number:
        return _page(request, None)  # the form alone
    return _page(request, verification.from_request(request, number=number, code=code))
