import factory

from apps.accounts.identifiers import uscc_check_char
from apps.accounts.models import (
    CentreLevel,
    Department,
    ServiceCentre,
    StaffMembership,
    User,
    Window,
    WindowKind,
)
from apps.accounts.roles import Role
from apps.accounts.services import assign_role

PASSWORD = "Test#pass2026"


def valid_uscc(n: int, region: str = "350100") -> str:
    first17 = f"11{region}{n:09d}"
    return first17 + uscc_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password(PASSWORD)


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCentre

    name = factory.Sequence(lambda n: f"测试市政务服务中心{n}")
    level = CentreLevel.CITY
    region_code = "350100"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试局{n}")
    credit_code = factory.Sequence(lambda n: valid_uscc(n + 1))
    centre = factory.SubFactory(ServiceCentreFactory)


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    centre = factory.SubFactory(ServiceCentreFactory)
    number = factory.Sequence(lambda n: f"A{n:02d}")
    kind = WindowKind.COMPREHENSIVE


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    role = Role.CLERK
    centre = factory.SubFactory(ServiceCentreFactory)


def make_staff(role: str, *, centre=None, department=None, window=None, **user_fields) -> User:
    """A user holding ``role`` through the real service (group and membership)."""
    user = UserFactory(**user_fields)
    if role != Role.CITIZEN and centre is None:
        centre = department.centre if department else ServiceCentreFactory()
    if role in (Role.APPROVER, Role.DECISION_MAKER) and department is None:
        department = DepartmentFactory(centre=centre)
    assign_role(user=user, role=role, centre=centre, department=department, window=window)
    return user
