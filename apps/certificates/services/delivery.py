"""Delivery of an issued filing's documents: handed over at the desk to the applicant or their agent,
or posted (EMS); either closes the filing. Delivering is the issuer's duty, never the seal keeper's
(``certificates.models.delivers``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.accounts.identifiers import normalise_resident_id, validate_resident_id
from apps.accounts.models import StaffMembership
from apps.audit.services import record_step
from apps.audit.transitions import apply_transition
from apps.cases import selectors as filings
from apps.cases.codes import ApplicantKind, FilingState
from apps.cases.messages import tell_applicant
from apps.cases.models import Filing
from apps.certificates.messages import closed_context
from apps.certificates.models import (
    Delivery,
    DeliveryChoice,
    DeliveryMethod,
    RecipientRole,
    delivers,
)
from apps.certificates.services.issuing import _locked_filing, _require_desk
from apps.core.errors import Conflict

# --- the applicant's choice, before issue ---------------------------------------------------------

# Once issued the documents are the desk's to hand over or post; a filing that ended gets none.
NO_CHOICE = {
    FilingState.ISSUED: _lazy(
        "The documents have been issued: ask the certificate desk how to receive them."
    ),
    FilingState.DELIVERED: _lazy("The documents of this filing have been delivered already."),
    FilingState.CLOSED: _lazy("The documents of this filing have been delivered already."),
    FilingState.REJECTED: _lazy("This filing was refused: no documents will be issued."),
    FilingState.WITHDRAWN: _lazy("This filing was withdrawn: no documents will be issued."),
    FilingState.TERMINATED: _lazy("This filing was terminated: no documents will be issued."),
}


def items_not_posted(filing: Filing) -> list[str]:
    """The items of the filing whose results are handed over at a window only."""
    return [
        item.item.name
        for item in filing.items.select_related("item")
        if not item.item.postal_delivery_supported
    ]


@transaction.atomic
def choose_delivery(
    *,
    filing_id: int,
    method: str,
    recipient_name: str = "",
    phone: str = "",
    address: str = "",
    actor,
    client_ip=None,
) -> DeliveryChoice:
    """领取方式: the applicant's own account (or an agent the organisation has authorised today)
    chooses, until the documents are issued, to collect them at a window or to have them posted
    free of charge; the desk sees the choice and its post form is filled from it. Another account's
    filing is not found (404)."""
    if not filings.filings_of_citizen(actor).filter(pk=filing_id).exists():
        raise Http404
    if method not in DeliveryMethod.values:
        raise ValidationError(
            {"method": _("Choose to collect the documents at a window or to have them posted.")}
        )
    values = {
        "recipient_name": (recipient_name or "").strip(),
        "phone": (phone or "").strip(),
        "address": (address or "").strip(),
    }
    if method == DeliveryMethod.POST:
        messages = {
            "recipient_name": _("Name the person the parcel is addressed to."),
            "phone": _("Give the recipient's phone for the carrier."),
            "address": _("Give the postal address."),
        }
        errors = {name: message for name, message in messages.items() if not values[name]}
        if errors:
            raise ValidationError(errors)
    else:
        values["address"] = ""  # collected: no address is kept
    filing = _locked_filing(filing_id)
    if filing.state in NO_CHOICE:
        raise Conflict(str(NO_CHOICE[filing.state]))
    if method == DeliveryMethod.POST and (not_posted := items_not_posted(filing)):
        raise ValidationError(
            {
                "method": _("These results are handed over at the window only: %(items)s.")
                % {"items": "、".join(not_posted)}
            }
        )
    choice, _created = DeliveryChoice.objects.update_or_create(
        filing=filing, defaults={"method": method, "chosen_by": actor, **values}
    )
    record_step(filing, step="choose_delivery", actor=actor, client_ip=client_ip, method=method)
    return choice


# --- delivery --------------------------------------------------------------------------------------


def _recipient_role(filing: Filing, name: str, id_number: str) -> str:
    if (
        filing.applicant_kind == ApplicantKind.PERSON
        and id_number == filing.applicant_id_number
        and name == filing.applicant_name
    ):
        return RecipientRole.APPLICANT
    if filing.agent_id_number and id_number == filing.agent_id_number and name == filing.agent_name:
        return RecipientRole.AGENT
    raise ValidationError(
        {
            "recipient_id_number": _(
                "The recipient is neither the applicant nor the agent authorised on this filing: "
                "the documents are not handed over."
            )
        }
    )


def _require_deliverer(actor, filing: Filing) -> None:
    """The issuer delivers, not the seal keeper (``certificates.models.delivers``, the permission the
    filing's ``deliver`` transition carries); refused in the rule's own words."""
    if not delivers(filing, actor):
        raise PermissionDenied(delivers.refusal)


def _delivered(filing: Filing, delivery: Delivery, *, actor, client_ip) -> Delivery:
    for name in ("deliver", "close"):
        apply_transition(filing, name, actor=actor, client_ip=client_ip, method=delivery.method)
    filing.save(update_fields=["state"])
    tell_applicant(filing, "closed", **closed_context(filing, delivery))
    return delivery


def _issued(filing_id: int) -> Filing:
    filing = _locked_filing(filing_id)
    if filing.state != FilingState.ISSUED:
        if filing.state in (FilingState.DELIVERED, FilingState.CLOSED):
            raise Conflict(_("The documents of this filing have been delivered already."))
        raise Conflict(_("Nothing has been issued for this filing yet."))
    return filing


@transaction.atomic
def hand_over(
    *, filing_id: int, actor, recipient_name: str, recipient_id_number: str, client_ip=None
) -> Delivery:
    """窗口领取: every document of the filing, to the applicant or their authorised agent, whose
    identity document the issuer has checked; the filing is closed (办结)."""
    recipient_name = (recipient_name or "").strip()
    id_number = normalise_resident_id(recipient_id_number or "")
    errors = {}
    if not recipient_name:
        errors["recipient_name"] = _("Enter the recipient's name as on their identity card.")
    try:
        validate_resident_id(id_number)
    except ValidationError as error:
        errors["recipient_id_number"] = error.messages
    if errors:
        raise ValidationError(errors)
    filing = _issued(filing_id)
    _require_desk(actor, filing)
    _require_deliverer(actor, filing)
    role = _recipient_role(filing, recipient_name, id_number)
    delivery = Delivery.objects.create(
        filing=filing,
        method=DeliveryMethod.HANDOVER,
        recipient_name=recipient_name,
        recipient_id_number=id_number,
        recipient_role=role,
        delivered_by=actor,
        window_id=_issuing_window(actor, filing.centre_id),
    )
    return _delivered(filing, delivery, actor=actor, client_ip=client_ip)


def _issuing_window(actor, centre_id: int) -> int | None:
    """The window the issuer works at in that centre, if their post names one (the lowest-numbered
    of several)."""
    return (
        StaffMembership.objects.filter(user=actor, centre_id=centre_id, window__isnull=False)
        .order_by("window__number")
        .values_list("window_id", flat=True)
        .first()
    )


@transaction.atomic
def post(
    *,
    filing_id: int,
    actor,
    recipient_name: str,
    phone: str,
    address: str,
    carrier: str,
    tracking_number: str,
    client_ip=None,
) -> Delivery:
    """免费邮寄: every document of the filing in one parcel to the applicant; the filing is closed."""
    values = {
        "recipient_name": (recipient_name or "").strip(),
        "phone": (phone or "").strip(),
        "address": (address or "").strip(),
        "carrier": (carrier or "").strip(),
        "tracking_number": (tracking_number or "").strip(),
    }
    messages = {
        "recipient_name": _("Name the person the parcel is addressed to."),
        "phone": _("Give the recipient's phone for the carrier."),
        "address": _("Give the postal address."),
        "carrier": _("Name the carrier."),
        "tracking_number": _("Enter the parcel's tracking number."),
    }
    errors = {name: message for name, message in messages.items() if not values[name]}
    if errors:
        raise ValidationError(errors)
    filing = _issued(filing_id)
    _require_desk(actor, filing)
    _require_deliverer(actor, filing)
    not_posted = [
        item.item.name
        for item in filing.items.select_related("item")
        if not item.item.postal_delivery_supported
    ]
    if not_posted:
        raise ValidationError(
            {
                "address": _("These results are handed over at the window only: %(items)s.")
                % {"items": "、".join(not_posted)}
            }
        )
    delivery = Delivery.objects.create(
        filing=filing,
        method=DeliveryMethod.POST,
        recipient_role=RecipientRole.APPLICANT,
        delivered_by=actor,
        **values,
    )
    return _delivered(filing, delivery, actor=actor, client_ip=client_ip)
