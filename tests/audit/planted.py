"""A small planted log for the audit viewer's tests: two centres, each with a case; the rows each writes
through the real services, and what each supervisor must see."""

from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.roles import Role
from apps.audit.services import record_step
from apps.cases.review import services as review
from tests.factories.accounts import make_staff
from tests.factories.cases import make_case


@dataclass
class Planted:
    case: object  # centre A's case (its department: ``department``)
    other_case: object  # centre B's
    approver: object
    centre: object
    department: object
    other_centre: object


def plant() -> Planted:
    case = make_case()
    other = make_case()
    approver = make_staff(Role.APPROVER, department=case.department, full_name="张审批")
    review.claim(case_id=case.pk, actor=approver)
    review.show_applicant_identity(case, viewer=approver)
    record_step(approver, step="password_changed", actor=approver)  # no centre: a superuser's only
    return Planted(
        case=case,
        other_case=other,
        approver=approver,
        centre=case.filing.centre,
        department=case.department,
        other_centre=other.filing.centre,
    )
