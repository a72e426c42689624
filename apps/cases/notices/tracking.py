"""The public tracking page of a filing (办件进度查询), reached from the QR code on its notices.

No login: the address carries the filing's random tracking token, never its number or id, so a
page cannot be guessed from another. It shows no identity number, and a person's name masked.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.identifiers import mask_name
from apps.cases.codes import ApplicantKind
from apps.cases.models import Filing
from apps.cases.notices.content import promised_completion


def masked_name(filing: Filing) -> str:
    """张* for a person (a public page must not name them); an organisation's name is public."""
    name = filing.applicant_name
    if filing.applicant_kind == ApplicantKind.ORGANISATION:
        return name
    return mask_name(name)


@require_GET
@never_cache  # the state changes; a shared cache must not keep an old answer
def tracking(request, token):
    filing = get_object_or_404(Filing.objects.select_related("centre"), tracking_token=token)
    promised, provisional = promised_completion([case.clock for case in filing.cases.select_related("clock")])
    context = {
        "filing": filing,
        "applicant": masked_name(filing),
        "items": [filed.item for filed in filing.items.select_related("item")],
        "promised": promised,
        "provisional": provisional,
        "notices": list(filing.notices.order_by("issued_at", "pk")),
    }
    response = render(request, "cases/tracking.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
