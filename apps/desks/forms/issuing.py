"""The certificate desk's forms (统一窗口出证): asking for an issue, confirming or cancelling the
pending request (双人用印), handing over and posting — on the filing of the page — and suspending or
reinstating a seal of the registry."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.certificates import selectors
from apps.certificates.models import Delivery, IssueRequest, Seal, SealStatus
from apps.desks.forms.base import DeskForm, text


class FilingForm(DeskForm):
    """A form on a filing's page at the certificate desk: ``obj`` is the filing."""

    def arguments(self) -> dict:
        return {"filing_id": self.obj.pk, **self.cleaned_data}


class RequestIssueForm(FilingForm):
    note = text(IssueRequest, "note", label=gettext_lazy("Note for the seal keeper"))


class PendingRequestForm(DeskForm):
    """Confirming or cancelling: the request the page showed must be the filing's pending one still
    (another may have cancelled it, or asked again, since the page was drawn)."""

    request = forms.IntegerField(
        label=gettext_lazy("Issue request"), widget=forms.HiddenInput, required=False
    )

    def clean(self):
        data = super().clean()
        if "request" in data:
            pending = selectors.pending_request_of(self.obj)
            if pending is None or pending.pk != data["request"]:
                raise ValidationError(_("This request is no longer pending: the page was out of date."))
            data["request"] = pending
        return data

    def arguments(self) -> dict:
        arguments = dict(self.cleaned_data)
        arguments["request_id"] = arguments.pop("request").pk
        return arguments


class ConfirmIssueForm(PendingRequestForm):
    pass


class CancelRequestForm(PendingRequestForm):
    reason = text(IssueRequest, "note", label=gettext_lazy("Reason"))


class HandOverForm(FilingForm):
    recipient_name = text(Delivery, "recipient_name", label=gettext_lazy("Recipient's name"))
    recipient_id_number = text(
        Delivery, "recipient_id_number", label=gettext_lazy("Recipient's resident ID number")
    )


class PostForm(FilingForm):
    recipient_name = text(Delivery, "recipient_name", label=gettext_lazy("Addressed to"))
    phone = text(Delivery, "phone", label=gettext_lazy("Phone"))
    address = text(Delivery, "address", label=gettext_lazy("Postal address"))
    carrier = text(Delivery, "carrier", label=gettext_lazy("Carrier"))
    tracking_number = text(Delivery, "tracking_number", label=gettext_lazy("Tracking number"))


class SealStatusForm(DeskForm):
    """Suspend a seal in use, or put a suspended one back in use: ``obj`` is the seal."""

    reason = text(Seal, "status_reason", label=gettext_lazy("Reason"))

    def clean(self):
        data = super().clean()
        data["status"] = SealStatus.SUSPENDED if self.obj.in_use else SealStatus.ACTIVE
        return data
