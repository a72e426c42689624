"""Who works where, in which role: the reads every object-level rule is built on.

A role is held *at a centre* (and, for the back office, in a department): a clerk at the county who
is a supervisor at the city is a clerk only at the county. Every rule asks "does the user hold this
role where the object is", never "does the user hold this role somewhere".
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from apps.accounts.models import OrganisationAuthorisation, StaffMembership, User, Window
from apps.accounts.roles import Role


def memberships_of(user: User) -> list[StaffMembership]:
    return list(
        StaffMembership.objects.filter(user=user)
        .select_related("centre", "department", "window")
        .order_by("role")
    )


def holds_role(user, role: Role, *, centre_id: int | None = None, department_id: int | None = None) -> bool:
    """Whether ``user`` works in ``role`` at that centre or in that department (one query)."""
    return holds_any_role(user, [role], centre_id=centre_id, department_id=department_id)


def holds_any_role(user, roles, *, centre_id: int | None = None, department_id: int | None = None) -> bool:
    """Whether ``user`` works in one of ``roles`` at that centre or in that department (one query):
    e.g. the back office (``BACK_OFFICE_ROLES``) of a case's department."""
    if not getattr(user, "is_authenticated", False):
        return False
    where = {"centre_id": centre_id} if centre_id is not None else {}
    if department_id is not None:
        where["department_id"] = department_id
    return StaffMembership.objects.filter(user=user, role__in=list(roles), **where).exists()


def centres_where(user, role: Role) -> QuerySet:
    """The ids of the centres where ``user`` holds ``role`` (a subquery; empty for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return StaffMembership.objects.none().values("centre_id")
    return StaffMembership.objects.filter(user=user, role=role).values("centre_id")


def departments_where(user, roles) -> QuerySet:
    """The ids of the departments in which ``user`` holds one of ``roles`` (a subquery)."""
    if not getattr(user, "is_authenticated", False):
        return StaffMembership.objects.none().values("department_id")
    return StaffMembership.objects.filter(user=user, role__in=roles, department__isnull=False).values(
        "department_id"
    )


def supervised_centres(user) -> QuerySet:
    """The ids of the centres ``user`` supervises as a whole (a supervisor's post naming no
    department): a subquery. The departments they supervise are ``departments_where(user,
    [Role.SUPERVISOR])``."""
    if not getattr(user, "is_authenticated", False):
        return StaffMembership.objects.none().values("centre_id")
    return StaffMembership.objects.filter(user=user, role=Role.SUPERVISOR, department__isnull=True).values(
        "centre_id"
    )


def supervises(user, *, centre_id: int, department_id: int) -> bool:
    """Whether ``user`` supervises that department: as its supervisor, or as a supervisor of its
    whole centre (one query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        StaffMembership.objects.filter(user=user, role=Role.SUPERVISOR, centre_id=centre_id)
        .filter(Q(department__isnull=True) | Q(department_id=department_id))
        .exists()
    )


def window_at(user, centre_id: int, role: Role) -> Window | None:
    """The usual window of ``user`` in ``role`` at that centre, if they have one there. A window is
    never taken from a membership at another centre."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (
        StaffMembership.objects.filter(user=user, role=role, centre_id=centre_id, window__isnull=False)
        .select_related("window")
        .order_by("pk")
        .first()
    )
    return membership.window if membership else None


def usual_window(user, role: Role) -> Window | None:
    """The window ``user`` works at in ``role`` by default: their first membership with a window (a
    desk's actions then check that window's centre)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (
        StaffMembership.objects.filter(user=user, role=role, window__isnull=False)
        .select_related("window__centre")
        .order_by("pk")
        .first()
    )
    return membership.window if membership else None


def authorisations_of(user, on: dt.date) -> QuerySet[OrganisationAuthorisation]:
    """The organisations a citizen account may act for on ``on`` (legal representative or agent):
    within the authorisation's period and not revoked."""
    return OrganisationAuthorisation.objects.filter(
        user=user, valid_from__lte=on, revoked_at__isnull=True
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def verified_authorisations_of(user, on: dt.date) -> QuerySet[OrganisationAuthorisation]:
    """Those of ``authorisations_of`` a window clerk has verified against the letter: the only ones
    that show the account the organisation's filings made by others (a self-declared one lets it
    file for the organisation, nothing more)."""
    return authorisations_of(user, on).filter(verified_at__isnull=False)
