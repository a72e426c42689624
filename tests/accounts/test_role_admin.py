"""The admin gives a role in one place, the membership (岗位): its group follows the membership and
goes with the last one; the raw groups are not editable on the user's page."""

import pytest
from django.urls import reverse

from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role, group_name
from apps.audit.models import TransitionLog
from tests.factories import DepartmentFactory, ServiceCentreFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

PREFIX = "memberships"


def _user_form(user, memberships: list[dict], *, initial: int = 0) -> dict:
    """What the admin's user page posts: the user's fields as they are and the membership rows."""
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "full_name": user.full_name,
        "phone": "",
        "id_number": "",
        f"{PREFIX}-TOTAL_FORMS": str(len(memberships)),
        f"{PREFIX}-INITIAL_FORMS": str(initial),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
        "organisation_authorisations-TOTAL_FORMS": "0",
        "organisation_authorisations-INITIAL_FORMS": "0",
        "organisation_authorisations-MIN_NUM_FORMS": "0",
        "organisation_authorisations-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(memberships):
        for name, value in row.items():
            data[f"{PREFIX}-{n}-{name}"] = value
        data[f"{PREFIX}-{n}-user"] = user.pk
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def _change(admin_client, user, rows, *, initial=0):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), _user_form(user, rows, initial=initial)
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    user.refresh_from_db()
    return response


def test_a_membership_added_in_the_admin_gives_the_role_and_its_desk(admin_client, client):
    centre = ServiceCentreFactory()
    user = UserFactory()
    _change(admin_client, user, [{"role": Role.ISSUER, "centre": centre.pk}])
    assert StaffMembership.objects.filter(user=user, role=Role.ISSUER, centre=centre).exists()
    assert user.groups.filter(name=group_name(Role.ISSUER)).exists()
    assert TransitionLog.objects.filter(transition="role_assigned", object_id=str(user.pk)).exists()
    client.force_login(user)
    assert client.get(reverse("desks:issuing")).status_code == 200


def test_changing_a_memberships_role_in_the_admin_moves_the_group(admin_client):
    centre = ServiceCentreFactory()
    user = make_staff(Role.CLERK, centre=centre)
    membership = StaffMembership.objects.get(user=user)
    _change(admin_client, user, [{"id": membership.pk, "role": Role.ISSUER, "centre": centre.pk}], initial=1)
    names = set(user.groups.values_list("name", flat=True))
    assert names == {group_name(Role.ISSUER)}


def test_deleting_the_last_membership_of_a_role_in_the_admin_removes_the_group(admin_client):
    centre_a, centre_b = ServiceCentreFactory(), ServiceCentreFactory()
    user = make_staff(Role.CATALOGUE_ADMIN, centre=centre_a)
    second = StaffMembership.objects.create(user=user, role=Role.CATALOGUE_ADMIN, centre=centre_b)
    first = StaffMembership.objects.get(user=user, centre=centre_a)
    rows = [
        {"id": first.pk, "role": Role.CATALOGUE_ADMIN, "centre": centre_a.pk, "DELETE": "on"},
        {"id": second.pk, "role": Role.CATALOGUE_ADMIN, "centre": centre_b.pk},
    ]
    _change(admin_client, user, rows, initial=2)
    assert user.groups.filter(name=group_name(Role.CATALOGUE_ADMIN)).exists()  # another one holds it
    rows = [{"id": second.pk, "role": Role.CATALOGUE_ADMIN, "centre": centre_b.pk, "DELETE": "on"}]
    _change(admin_client, user, rows, initial=1)
    assert not user.groups.exists()
    assert not user.is_staff  # the admin site came with the catalogue role and went with it


def test_the_admin_refuses_a_back_office_membership_without_a_department(admin_client):
    centre = ServiceCentreFactory()
    user = UserFactory()
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _user_form(user, [{"role": Role.APPROVER, "centre": centre.pk}]),
    )
    assert response.status_code == 200
    assert "后台审批人员必须属于某个部门" in response.content.decode()
    assert not user.groups.exists()
    other = DepartmentFactory()
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _user_form(user, [{"role": Role.APPROVER, "centre": centre.pk, "department": other.pk}]),
    )
    assert response.status_code == 200
    assert not StaffMembership.objects.filter(user=user).exists()


def test_the_user_page_shows_roles_by_name_and_no_raw_group_field(admin_client):
    user = make_staff(Role.SEAL_KEEPER)
    page = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert 'name="groups"' not in page
    assert "role:seal_keeper" not in page
    assert "印章保管人" in page  # the role held, and the inline's choices, by their Chinese names
    assert "综合窗口人员" in page


def test_a_raw_groups_post_does_not_give_a_role(admin_client):
    from django.contrib.auth.models import Group

    user = UserFactory()
    data = _user_form(user, [])
    data["groups"] = [Group.objects.get(name=group_name(Role.ISSUER)).pk]
    _change(admin_client, user, [])
    admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert not user.groups.exists()
