"""Giving and taking roles refuses a person who may not manage staff (superusers may); ``actor=None`` is
the hall itself (seed_demo, an operator's shell)."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role
from apps.accounts.services import assign_role, revoke_role
from tests.factories import ServiceCentreFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db


def test_only_a_staff_manager_assigns_a_role():
    centre = ServiceCentreFactory()
    colleague = make_staff(Role.CATALOGUE_ADMIN, centre=centre)
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        assign_role(user=user, role=Role.CLERK, centre=centre, actor=colleague)
    assert not StaffMembership.objects.filter(user=user).exists()
    assert not user.groups.exists()
    assign_role(user=user, role=Role.CLERK, centre=centre, actor=UserFactory(is_superuser=True))
    assert StaffMembership.objects.filter(user=user, role=Role.CLERK).exists()


def test_only_a_staff_manager_revokes_a_role():
    clerk = make_staff(Role.CLERK)
    membership = StaffMembership.objects.get(user=clerk)
    with pytest.raises(PermissionDenied):
        revoke_role(membership=membership, actor=clerk)
    assert StaffMembership.objects.filter(pk=membership.pk).exists()
    revoke_role(membership=membership, actor=UserFactory(is_superuser=True))
    assert not StaffMembership.objects.filter(pk=membership.pk).exists()
