"""Where a supervisor reads figures (好差评统计, 办件统计, 电子监察): the whole centres they supervise, and
the departments they supervise in others. Every figure, list and log the supervision desk shows is cut
by one ``Scope``: a centre's rows for a centre's supervisors, a department's own rows for a department's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role


@dataclass(frozen=True)
class Scope:
    """Where a supervisor sees figures: whole centres, and departments of other centres."""

    centre_ids: frozenset[int]
    department_ids: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.centre_ids or self.department_ids)

    def q(self) -> Q:
        """The roll-up rows to read: a whole centre's all-departments rows, a department's own."""
        return Q(centre_id__in=self.centre_ids, department__isnull=True) | Q(
            department_id__in=self.department_ids
        )


def scope_of(user) -> Scope:
    """The centres and departments ``user`` supervises (one query; empty for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return Scope(frozenset(), frozenset())
    memberships = StaffMembership.objects.filter(user=user, role=Role.SUPERVISOR).values_list(
        "centre_id", "department_id"
    )
    centres, departments = set(), set()
    for centre_id, department_id in memberships:
        if department_id is None:
            centres.add(centre_id)
        else:
            departments.add(department_id)
    return Scope(frozenset(centres), frozenset(departments))
