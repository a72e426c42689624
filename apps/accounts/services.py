"""Account use cases: giving and taking roles.

A staff role is given in one place: a ``StaffMembership`` (岗位) saying where the person works in it.
The role's group — what the role may do — follows the memberships (``_follow_memberships``): it is
added with the first membership of a role and removed with the last. Every path that changes
memberships goes through here: ``assign_role`` (seed_demo, the factories, an operator's shell),
``save_membership`` and ``revoke_role`` (the admin's membership inline); the admin shows groups
read-only. Citizens hold a role without a membership: ``assign_role`` gives them its group.

They authorise (docs/security.md, "Where each service checks"): given a person as ``actor``, they refuse
(``PermissionDenied``) one who may not manage staff memberships (the Django admin's permission on
them: superusers). ``actor=None`` is the hall itself: ``seed_demo``, an operator's shell.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Department, ServiceCentre, StaffMembership, User, Window
from apps.accounts.permissions import Perm
from apps.accounts.roles import ADMIN_SITE_ROLES, STAFF_ROLES, Role, group_name
from apps.audit.services import record_step


def _require_staff_manager(actor, perm: Perm) -> None:
    if actor is not None and not (getattr(actor, "is_authenticated", False) and actor.has_perm(perm)):
        raise PermissionDenied(_("You may not give or take roles."))


def _follow_memberships(user: User) -> None:
    """Give ``user`` exactly the staff roles' groups their memberships name (the one place a staff
    role's group is added or removed), and the admin site to an admin-site role's holder.

    A role's group without a membership would grant a desk with no centre to work at; a membership
    without its group would grant nothing — both were possible while the admin edited them apart."""
    held = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
    groups = {g.name: g for g in Group.objects.filter(name__in=[group_name(r) for r in STAFF_ROLES])}
    had = set(user.groups.filter(name__in=groups).values_list("name", flat=True))
    wanted = {group_name(role) for role in held}
    user.groups.add(*(groups[name] for name in wanted - had))
    user.groups.remove(*(groups[name] for name in had - wanted))
    admin_site = bool(held & ADMIN_SITE_ROLES)
    lost_admin_site = any(group_name(role) in had - wanted for role in ADMIN_SITE_ROLES)
    if admin_site and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    elif lost_admin_site and not admin_site and user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: str,
    centre: ServiceCentre | None = None,
    department: Department | None = None,
    window: Window | None = None,
    actor=None,
    client_ip=None,
) -> StaffMembership | None:
    """Give ``user`` a role: for staff a membership saying where they work (and with it the role's
    group), for a citizen the role's group.

    Back-office approvers need a department (they only ever see its cases); the department and the
    window must belong to the centre (``StaffMembership.clean``).
    """
    _require_staff_manager(actor, Perm.ADD_STAFFMEMBERSHIP)
    role = Role(role)
    if role not in STAFF_ROLES:
        user.groups.add(Group.objects.get(name=group_name(role)))
        return None
    membership = StaffMembership.objects.filter(
        user=user, role=role, centre=centre, department=department
    ).first()
    if membership is not None and membership.window_id == getattr(window, "pk", None):
        _follow_memberships(user)  # held already: nothing to record (seed_demo runs again)
        return membership
    membership = membership or StaffMembership(user=user, role=role, centre=centre, department=department)
    membership.window = window
    return _save(membership, actor=actor, client_ip=client_ip)


@transaction.atomic
def save_membership(*, membership: StaffMembership, actor=None, client_ip=None) -> StaffMembership:
    """Save a new or edited membership (the admin's inline): checked as ``assign_role`` checks, and the
    user's groups follow — an edit that changes the role takes the old role's group with it when no
    other membership holds it."""
    _require_staff_manager(
        actor, Perm.ADD_STAFFMEMBERSHIP if membership.pk is None else Perm.CHANGE_STAFFMEMBERSHIP
    )
    return _save(membership, actor=actor, client_ip=client_ip)


def _save(membership: StaffMembership, *, actor, client_ip) -> StaffMembership:
    membership.full_clean()
    membership.save()
    _follow_memberships(membership.user)
    record_step(
        membership.user,
        step="role_assigned",
        actor=actor,
        client_ip=client_ip,
        role=membership.role,
        centre=membership.centre_id,
        department=membership.department_id,
    )
    return membership


@transaction.atomic
def revoke_role(*, membership: StaffMembership, actor=None, client_ip=None) -> None:
    """Remove one membership; the role's group goes when the user has no other membership in it."""
    _require_staff_manager(actor, Perm.DELETE_STAFFMEMBERSHIP)
    user, role, centre_id = membership.user, membership.role, membership.centre_id
    membership.delete()
    _follow_memberships(user)
    record_step(user, step="role_revoked", actor=actor, client_ip=client_ip, role=role, centre=centre_id)
