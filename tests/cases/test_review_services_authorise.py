"""The back office's services refuse a person who may not act on the case, whoever calls them: a case
is claimed only by an approver or decision-maker of its department (every review action then belongs to
whoever claimed it), and its applicant's identity is shown in full only to that back office."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.roles import Role
from apps.audit.models import DisclosureLog
from apps.cases.codes import CaseState
from apps.cases.models import Case
from apps.cases.review import services
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return make_case(department=DepartmentFactory())


@pytest.fixture
def outsiders(case):
    """Staff who may not work on the case: a clerk of its centre, an approver of another department
    of the centre, a supervisor of the department."""
    centre = case.department.centre
    return [
        make_staff(Role.CLERK, centre=centre),
        make_staff(Role.APPROVER, department=DepartmentFactory(centre=centre)),
        make_staff(Role.SUPERVISOR, centre=centre, department=case.department),
    ]


def test_a_case_is_claimed_only_by_the_back_office_of_its_department(case, outsiders):
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            services.claim(case_id=case.pk, actor=outsider)
        assert Case.objects.get(pk=case.pk).state == CaseState.QUEUED
    decision_maker = make_staff(Role.DECISION_MAKER, department=case.department)
    services.claim(case_id=case.pk, actor=decision_maker)
    assert Case.objects.get(pk=case.pk).claimed_by == decision_maker


def test_an_outsider_is_not_offered_the_claim(case, outsiders):
    approver = make_staff(Role.APPROVER, department=case.department)
    assert "claim" in {t.name for t in case.get_available_user_state_transitions(approver)}
    for outsider in outsiders:
        assert "claim" not in {t.name for t in case.get_available_user_state_transitions(outsider)}


def test_the_full_identity_number_is_shown_only_to_the_back_office_of_the_department(case, outsiders):
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            services.show_applicant_identity(case, viewer=outsider)
    assert not DisclosureLog.objects.exists()
    approver = make_staff(Role.APPROVER, department=case.department)
    assert services.show_applicant_identity(case, viewer=approver) == case.filing.applicant_id_number
    assert DisclosureLog.objects.filter(viewer=approver).count() == 1
