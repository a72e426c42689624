"""好差评 in the online hall: the rating page of one of the account's filings
(``/portal/filings/<pk>/rate/``), the page of a rating link (``apps.feedback.public``) behind the
account's login, through the portal channel and the one service (``apps.feedback.services.rate``; the
API is ``apps.feedback.api.ratings``). Another account's filing is a 404, as its page is."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.cases.selectors import filings_of_citizen
from apps.feedback.models import Channel
from apps.feedback.public import rateable_filings, rating_page
from apps.portal.views import citizen_required


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def rate(request, pk):
    """The filing's acts to rate, and the account's ratings of them."""
    own = filings_of_citizen(request.user).filter(pk=pk).values("pk")
    filing = get_object_or_404(rateable_filings().filter(pk__in=own))
    return rating_page(
        request,
        filing,
        channel=Channel.PORTAL,
        template="portal/rate.html",
        context={"portal_page": "filing"},
    )


urlpatterns = [path("filings/<int:pk>/rate/", rate, name="filing_rate")]
