from apps.accounts.models import StaffMembership, User


def memberships_of(user: User) -> list[StaffMembership]:
    return list(
        StaffMembership.objects.filter(user=user)
        .select_related("centre", "department", "window")
        .order_by("role")
    )


def holds_role(user, role: str, *, centre_id: int | None = None, department_id: int | None = None) -> bool:
    """Whether ``user`` works in ``role`` at that centre or in that department (one query)."""
    where = {"centre_id": centre_id} if centre_id is not None else {}
    if department_id is not None:
        where["department_id"] = department_id
    return StaffMembership.objects.filter(user=user, role=role, **where).exists()
