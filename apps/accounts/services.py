"""Account use cases: giving and taking roles.

They authorise (docs/security.md, "Where each service checks"): given a person as ``actor``, they refuse
(``PermissionDenied``) one who may not manage staff memberships (the Django admin's permission on
them: superusers). ``actor=None`` is the hall itself: ``seed_demo``, an operator's shell.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Department, ServiceCentre, StaffMembership, User, Window
from apps.accounts.permissions import Perm
from apps.accounts.roles import ADMIN_SITE_ROLES, STAFF_ROLES, Role, group_name


def _require_staff_manager(actor, perm: Perm) -> None:
    if actor is not None and not (getattr(actor, "is_authenticated", False) and actor.has_perm(perm)):
        raise PermissionDenied(_("You may not give or take roles."))


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: str,
    centre: ServiceCentre | None = None,
    department: Department | None = None,
    window: Window | None = None,
    actor=None,
) -> StaffMembership | None:
    """Give ``user`` a role: the role's group, and for staff a membership saying where they work.

    Back-office approvers need a department (they only ever see its cases); the department and the
    window must belong to the centre.
    """
    _require_staff_manager(actor, Perm.ADD_STAFFMEMBERSHIP)
    role = Role(role)
    if role in STAFF_ROLES:
        if centre is None:
            raise ValidationError({"centre": _("A staff role needs a service centre.")})
        if role in (Role.APPROVER, Role.DECISION_MAKER) and department is None:
            raise ValidationError({"department": _("Back-office staff need a department.")})
        if department is not None and department.centre_id != centre.pk:
            raise ValidationError({"department": _("The department does not belong to this service centre.")})
        if window is not None and window.centre_id != centre.pk:
            raise ValidationError({"window": _("The window does not belong to this service centre.")})
    user.groups.add(Group.objects.get(name=group_name(role)))
    if role in ADMIN_SITE_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if role not in STAFF_ROLES:
        return None
    membership, _created = StaffMembership.objects.update_or_create(
        user=user, role=role, centre=centre, department=department, defaults={"window": window}
    )
    return membership


@transaction.atomic
def revoke_role(*, membership: StaffMembership, actor=None) -> None:
    """Remove one membership; the role's group goes when the user has no other membership in it."""
    _require_staff_manager(actor, Perm.DELETE_STAFFMEMBERSHIP)
    user, role = membership.user, membership.role
    membership.delete()
    if not StaffMembership.objects.filter(user=user, role=role).exists():
        user.groups.remove(Group.objects.get(name=group_name(role)))
        still_admin = StaffMembership.objects.filter(user=user, role__in=ADMIN_SITE_ROLES).exists()
        if role in ADMIN_SITE_ROLES and not still_admin and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
