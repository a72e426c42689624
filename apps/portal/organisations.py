"""我的企业: the organisations a citizen acts for — the list, adding one with its letter of
authorisation, removing one, and the letter's download (to its own account only: anyone else's is
a 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.audit.requests import client_ip
from apps.citizens import selectors, services
from apps.citizens.forms import OrganisationForm, add_refusal
from apps.citizens.letters import letter_response, own_authorisation_or_404
from apps.portal.views import citizen_required


def _own(request, pk):
    return own_authorisation_or_404(request.user, pk)


@citizen_required
def organisations(request):
    today = timezone.localdate()
    rows = list(selectors.authorisations_listed(request.user))
    for row in rows:
        row.is_current = selectors.is_current(row, today)
    return render(
        request, "portal/organisations.html", {"portal_page": "organisations", "authorisations": rows}
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def add(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_organisation(user=request.user, client_ip=client_ip(request), **data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": data["organisation_name"]})
            return redirect("portal:organisations")
    return render(request, "portal/organisations_add.html", {"portal_page": "organisations", "form": form})


@citizen_required
@require_POST
def revoke(request, pk):
    authorisation = _own(request, pk)
    services.revoke_authorisation(
        authorisation_id=authorisation.pk, actor=request.user, client_ip=client_ip(request)
    )
    messages.success(
        request, _("You no longer act for %(name)s.") % {"name": authorisation.organisation_name}
    )
    return redirect("portal:organisations")


@citizen_required
def letter(request, pk):
    return letter_response(request, _own(request, pk))


urlpatterns = [
    path("organisations/", organisations, name="organisations"),
    path("organisations/add/", add, name="organisations_add"),
    path("organisations/<int:pk>/revoke/", revoke, name="organisations_revoke"),
    path("organisations/<int:pk>/letter/", letter, name="organisations_letter"),
]
