from apps.accounts.models import StaffMembership, User


def memberships_of(user: User) -> list[StaffMembership]:
    return list(
        StaffMembership.objects.filter(user=user)
        .select_related("centre", "department", "window")
        .order_by("role")
    )
