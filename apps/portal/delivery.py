"""领取方式: before the documents are issued, the applicant chooses to collect them at a window or to
have them posted free of charge; the certificate desk sees the choice and fills its post form
from it. The same service (``certificates.services.choose_delivery``) answers the API."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.audit.requests import client_ip
from apps.cases import selectors as filings
from apps.certificates import services
from apps.certificates.models import DeliveryChoice, DeliveryMethod
from apps.certificates.services.delivery import NO_CHOICE, items_not_posted
from apps.core.errors import Conflict, error_text
from apps.portal.views import citizen_required

METHODS = [
    (DeliveryMethod.HANDOVER, gettext_lazy("Collect at a window")),
    (DeliveryMethod.POST, gettext_lazy("Post free of charge (免费邮寄)")),
]


def _limit(name: str) -> int:
    return DeliveryChoice._meta.get_field(name).max_length


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How to receive the documents"), choices=METHODS, widget=forms.RadioSelect
    )
    recipient_name = forms.CharField(
        label=gettext_lazy("Parcel addressed to"), required=False, max_length=_limit("recipient_name")
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=_limit("phone"))
    address = forms.CharField(
        label=gettext_lazy("Postal address"),
        required=False,
        max_length=_limit("address"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _initial(filing, choice, user) -> dict:
    if choice is not None:
        return {f: getattr(choice, f) for f in ("method", "recipient_name", "phone", "address")}
    return {
        "method": DeliveryMethod.HANDOVER,
        "recipient_name": filing.contact_name or filing.applicant_name,
        "phone": filing.contact_phone or filing.applicant_phone or user.phone,
    }


@require_http_methods(["GET", "POST"])
@citizen_required
def choose(request, pk):
    """The filing's delivery choice (another account's filing: 404)."""
    filing = get_object_or_404(
        filings.filings_of_citizen(request.user).select_related("delivery_choice"), pk=pk
    )
    choice = getattr(filing, "delivery_choice", None)
    form = DeliveryForm(request.POST or None, initial=_initial(filing, choice, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_delivery(
                filing_id=filing.pk, actor=request.user, client_ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except Conflict as error:
            messages.error(request, error_text(error))
            return redirect("portal:delivery", filing.pk)
        else:
            messages.success(request, _("Your choice is saved: the certificate desk will follow it."))
            return redirect("portal:delivery", filing.pk)
    closed = NO_CHOICE.get(filing.state)
    return render(
        request,
        "portal/delivery.html",
        {
            "portal_page": "delivery",
            "filing": filing,
            "choice": choice,
            "form": form,
            "closed": closed,
            "window_only": [] if closed else items_not_posted(filing),
        },
    )


urlpatterns = [path("filings/<int:pk>/delivery/", choose, name="delivery")]
