"""窗口核验: the clerk verifies a citizen's online account against the identity card at the window.

The clerk finds the account by the mobile number or the resident ID number the citizen gives (exact
matches only), sees it masked, reads the number off the card into the form; the service
(``apps.citizens.services.verify_real_name``) compares, records who verified it, where and when, and
logs it. The clerk's window is their usual one (``desk_window``), so a clerk verifies at their own
centre only.

Beside the account, the organisations it declared it acts for: the clerk verifies each against the
letter of authorisation the citizen shows (``verify_authorisation``). Only a verified one lets the
account read the organisation's filings made by others."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.identifiers import mask_identifier, mask_phone
from apps.accounts.models import RealNameLevel
from apps.accounts.permissions import Perm
from apps.audit.requests import client_ip
from apps.cases.selectors import desk_window
from apps.citizens import selectors, services


@login_required
@permission_required(Perm.USE_INTAKE_DESK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def verify_citizen(request):
    window = desk_window(request.user)
    if window is None:
        raise PermissionDenied(_("You have no window: ask an administrator to assign your usual window."))
    errors = []
    if request.method == "POST" and request.POST.get("authorisation"):
        try:
            authorisation = services.verify_authorisation(
                authorisation_id=int(request.POST["authorisation"] or 0),
                actor=request.user,
                window=window,
                client_ip=client_ip(request),
            )
        except (ValidationError, ValueError) as error:
            errors = getattr(error, "messages", [_("No such authorisation was found.")])
        else:
            messages.success(
                request,
                _("The authorisation for %(name)s is verified against its letter.")
                % {"name": authorisation.organisation_name},
            )
            return _back(request)
    elif request.method == "POST":
        try:
            user = services.verify_real_name(
                user_id=int(request.POST.get("user") or 0),
                id_number=request.POST.get("id_number", ""),
                actor=request.user,
                window=window,
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("%(name)s's account is verified against the identity card.") % {"name": user.full_name},
            )
            return redirect("desks:intake_verify_citizen")
    # The query travels in the form's body on a post, in ?q= on a search (masked in the log).
    today = timezone.localdate()
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()
    accounts = [
        {
            "pk": account.pk,
            "full_name": account.full_name,
            "id_number": mask_identifier(account.id_number),
            "phone": mask_phone(account.phone),
            "level": account.get_real_name_level_display(),
            "verified": account.real_name_level == RealNameLevel.VERIFIED,
            "verified_at": account.real_name_verified_at,
            "verified_centre": account.real_name_verified_centre,
            "authorisations": [_authorisation_row(a, today) for a in account.listed_authorisations],
        }
        for account in selectors.citizen_accounts_matching(query).prefetch_related(
            Prefetch(
                "organisation_authorisations",
                selectors.authorisations_listed_for_clerks(),
                to_attr="listed_authorisations",
            )
        )
    ]
    return render(
        request,
        "desks/intake/verify_citizen.html",
        {"window": window, "query": query, "accounts": accounts, "errors": errors, "searched": bool(query)},
    )


def _back(request):
    """Back to the account the clerk was looking at (the search kept), where the next authorisation
    or the real name may be verified."""
    query = (request.POST.get("q") or "").strip()
    url = reverse("desks:intake_verify_citizen")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


def _authorisation_row(authorisation, today) -> dict:
    return {
        "pk": authorisation.pk,
        "organisation_name": authorisation.organisation_name,
        "credit_code": mask_identifier(authorisation.credit_code),
        "capacity": authorisation.get_kind_display(),
        "valid_from": authorisation.valid_from,
        "valid_until": authorisation.valid_until,
        "letter_name": authorisation.letter_name if authorisation.letter else "",
        "current": selectors.is_current(authorisation, today),
        "verified_at": authorisation.verified_at,
        "verified_centre": authorisation.verified_centre,
    }
