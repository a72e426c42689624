"""Reads of citizen accounts: the organisations an account acts for, the accounts a clerk looks up."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.identifiers import normalise_resident_id
from apps.accounts.models import OrganisationAuthorisation, User
from apps.accounts.roles import Role, group_name
from apps.notifications.phones import mobile_number


def authorisations_listed(user) -> QuerySet[OrganisationAuthorisation]:
    """Every authorisation of the account, current ones first (the portal's list; what it may act for
    today is ``apps.accounts.selectors.authorisations_of``)."""
    return OrganisationAuthorisation.objects.filter(user=user).order_by(
        "revoked_at", "organisation_name", "-valid_from", "-pk"
    )


def authorisations_listed_for_clerks() -> QuerySet[OrganisationAuthorisation]:
    """The authorisations a window clerk sees beside an account (to prefetch): not the removed ones,
    by organisation, with the centre each was verified at."""
    return (
        OrganisationAuthorisation.objects.filter(revoked_at__isnull=True)
        .select_related("verified_centre")
        .order_by("organisation_name", "-valid_from", "-pk")
    )


def own_authorisation(user, pk) -> OrganisationAuthorisation | None:
    """One of the account's own authorisations (None for anyone else's: a 404)."""
    return OrganisationAuthorisation.objects.filter(user=user, pk=pk).first()


def is_current(authorisation: OrganisationAuthorisation, on=None) -> bool:
    on = on or timezone.localdate()
    return (
        authorisation.revoked_at is None
        and authorisation.valid_from <= on
        and (authorisation.valid_until is None or authorisation.valid_until >= on)
    )


def citizen_accounts_matching(query: str) -> QuerySet[User]:
    """Citizen accounts whose mobile number or resident ID number is exactly ``query`` (a clerk at
    the window types what the citizen tells them; no partial matches, no browsing)."""
    query = (query or "").strip()
    phone, id_number = mobile_number(query), normalise_resident_id(query)
    if not (phone or len(id_number) == 18):
        return User.objects.none()
    where = Q(phone=phone) if phone else Q(id_number=id_number)
    return User.objects.filter(where, groups__name=group_name(Role.CITIZEN)).select_related(
        "real_name_verified_centre"
    )[:5]
