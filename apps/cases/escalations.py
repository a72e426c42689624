"""Reads of escalations (督办) for supervisors: who sees which, the open list."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.accounts.roles import Role
from apps.accounts.selectors import departments_where, supervised_centres
from apps.cases.models import Escalation


def escalations_visible_to(user) -> QuerySet[Escalation]:
    """A department's supervisors see its escalations; a centre's supervisors (no department) see
    every escalation of the centre — the ones raised to them first."""
    if not getattr(user, "is_authenticated", False):
        return Escalation.objects.none()
    departments = departments_where(user, [Role.SUPERVISOR])
    centres = supervised_centres(user)
    return Escalation.objects.filter(Q(department_id__in=departments) | Q(department__centre_id__in=centres))
