"""The public verification page (证照核验), reached from a certificate's QR code or by typing its
number and check code. No login; rate-limited per address; every lookup logged."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.certificates import verification
from apps.certificates.models import VerificationOutcome as O

# How each answer looks: a tone (colour and icon, static/css/hall.css) and a headline in words, so
# that valid, ended and not-found can never be mistaken for one another — not even by someone who
# cannot tell red from green (the icon and the words differ too).
TONES = {
    O.VALID: "valid",
    O.REVOKED: "ended",
    O.EXPIRED: "ended",
    O.NOT_YET_VALID: "caution",
    O.LIMITED: "caution",
    O.UNKNOWN: "unknown",
    O.TAMPERED: "unknown",
}
HEADLINES = {
    O.VALID: _("Valid"),
    O.REVOKED: _("Revoked: not valid"),
    O.EXPIRED: _("Expired: not valid"),
    O.NOT_YET_VALID: _("Not valid yet"),
    O.UNKNOWN: _("No such certificate"),
    O.TAMPERED: _("Check failed"),
    O.LIMITED: _("Please wait"),
}
CANCELLED_HEADLINE = _("Cancelled: not valid")


def _page(request, result):
    status = 429 if result is not None and result.limited else 200
    context = {"result": result}
    if result is not None:
        context["tone"] = TONES[result.outcome]
        context["headline"] = CANCELLED_HEADLINE if result.cancelled else HEADLINES[result.outcome]
    return render(request, "certificates/verify.html", context, status=status)


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
    # verification.by_number normalises case, spaces and full-width characters before the lookup.
    return _page(request, verification.from_request(request, number=number, code=code))
