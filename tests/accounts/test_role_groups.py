import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from apps.accounts.models import StaffMembership
from apps.accounts.roles import ROLE_PERMISSIONS, Role, group_name
from apps.accounts.services import assign_role, revoke_role
from tests.factories import DepartmentFactory, ServiceCentreFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db


def test_migrations_create_one_group_per_role_with_exactly_its_permissions():
    for role in Role:
        group = Group.objects.get(name=group_name(role))
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(ROLE_PERMISSIONS[role]), role


def test_assigning_a_role_gives_its_group_and_a_membership():
    department = DepartmentFactory()
    user = UserFactory()
    membership = assign_role(user=user, role=Role.APPROVER, centre=department.centre, department=department)
    assert user.groups.filter(name="role:approver").exists()
    assert membership.department == department
    assert user.has_perm("accounts.use_backoffice_desk")
    assert not user.has_perm("accounts.use_intake_desk")


def test_assigning_twice_keeps_one_membership():
    centre = ServiceCentreFactory()
    user = UserFactory()
    assign_role(user=user, role=Role.CLERK, centre=centre)
    assign_role(user=user, role=Role.CLERK, centre=centre)
    assert StaffMembership.objects.filter(user=user).count() == 1


def test_an_approver_needs_a_department_of_the_same_centre():
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        assign_role(user=user, role=Role.APPROVER, centre=ServiceCentreFactory())
    assert "department" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        assign_role(
            user=user, role=Role.APPROVER, centre=ServiceCentreFactory(), department=DepartmentFactory()
        )
    assert "department" in exc.value.message_dict
    assert not user.groups.exists()


def test_revoking_the_last_membership_of_a_role_removes_its_group():
    centre_a, centre_b = ServiceCentreFactory(), ServiceCentreFactory()
    user = make_staff(Role.CLERK, centre=centre_a)
    second = assign_role(user=user, role=Role.CLERK, centre=centre_b)
    revoke_role(membership=second)
    assert user.groups.filter(name="role:clerk").exists()
    revoke_role(membership=StaffMembership.objects.get(user=user))
    assert not user.groups.filter(name="role:clerk").exists()


def test_citizens_get_the_portal_and_no_membership():
    citizen = make_staff(Role.CITIZEN)
    assert citizen.has_perm("accounts.use_citizen_portal")
    assert not StaffMembership.objects.filter(user=citizen).exists()
