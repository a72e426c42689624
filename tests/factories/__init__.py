from tests.factories.accounts import (
    DepartmentFactory,
    ServiceCentreFactory,
    StaffMembershipFactory,
    UserFactory,
    WindowFactory,
    make_staff,
)

__all__ = [
    "DepartmentFactory",
    "ServiceCentreFactory",
    "StaffMembershipFactory",
    "UserFactory",
    "WindowFactory",
    "make_staff",
]
