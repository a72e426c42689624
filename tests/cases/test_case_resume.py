"""Resuming a suspended case: the approver resumes a special procedure; a correction (补正) is resumed
by the applicant's answer alone. "No open correction" is a condition of the graph's ``resume``, so the
approval desk and the API neither offer it nor allow it, and say why in the condition's words."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.cases.codes import CaseState
from apps.cases.models import Case
from apps.cases.review import services
from apps.core.errors import Conflict
from apps.worktime.codes import SpecialProcedure
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db
OPEN_CORRECTION = "The case waits for the applicant's correction: their answer resumes it."
RESUME_BUTTON = 'data-testid="action-resume"'


@pytest.fixture(autouse=True)
def thursday():
    with time_machine.travel(dt.datetime(2026, 9, 24, 2, 0), tick=False):  # 10:00 in Shanghai
        yield


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def approver(department):
    return make_staff(Role.APPROVER, department=department, full_name="李审批")


def _suspended(department, approver, *, by: str) -> Case:
    """A case claimed by ``approver`` and suspended for a correction or an expert review."""
    case = make_case(department=department, special_procedures=[SpecialProcedure.EXPERT_REVIEW])
    services.claim(case_id=case.pk, actor=approver)
    if by == "correction":
        services.request_correction(
            case_id=case.pk, actor=approver, items=[{"material": None, "what": "申请表缺签名"}]
        )
    else:
        services.start_special_procedure(
            case_id=case.pk, actor=approver, procedure=SpecialProcedure.EXPERT_REVIEW, reason="专家评审"
        )
    return Case.objects.get(pk=case.pk)


def _offered(case, user) -> set[str]:
    return {t.name for t in case.get_available_user_state_transitions(user)}


def test_the_graph_offers_resume_after_a_special_procedure_not_during_a_correction(department, approver):
    assert "resume" in _offered(_suspended(department, approver, by="procedure"), approver)
    during_correction = _suspended(department, approver, by="correction")
    assert during_correction.state == CaseState.SUSPENDED
    assert "resume" not in _offered(during_correction, approver)
    with pytest.raises(Conflict) as refused:
        services.resume(case_id=during_correction.pk, actor=approver)
    assert refused.value.message == gettext(OPEN_CORRECTION)
    during_correction.refresh_from_db()
    assert during_correction.state == CaseState.SUSPENDED
    assert during_correction.clock.suspended_since is not None  # the clock still stopped


def test_the_desk_shows_no_resume_during_a_correction_and_refuses_a_posted_one(client, department, approver):
    client.force_login(approver)
    after_procedure = _suspended(department, approver, by="procedure")
    page = client.get(reverse("desks:backoffice_case", args=[after_procedure.pk])).content.decode()
    assert RESUME_BUTTON in page

    case = _suspended(department, approver, by="correction")
    page = client.get(reverse("desks:backoffice_case", args=[case.pk])).content.decode()
    assert 'data-testid="correction-open"' in page and RESUME_BUTTON not in page

    posted = client.post(reverse("desks:backoffice_act", args=[case.pk, "resume"]), follow=True)
    assert posted.status_code == 200
    assert [str(m) for m in posted.context["messages"]] == [gettext(OPEN_CORRECTION)]
    assert Case.objects.get(pk=case.pk).state == CaseState.SUSPENDED


def test_the_api_lists_no_resume_during_a_correction_and_answers_409_in_the_conditions_words(
    client, department, approver
):
    client.force_login(approver)
    after_procedure = _suspended(department, approver, by="procedure")
    assert "resume" in client.get(reverse("case-detail", args=[after_procedure.pk])).json()["actions"]

    case = _suspended(department, approver, by="correction")
    assert "resume" not in client.get(reverse("case-detail", args=[case.pk])).json()["actions"]
    refused = client.post(reverse("case-resume", args=[case.pk]))
    assert refused.status_code == 409
    assert refused.json() == {"detail": gettext(OPEN_CORRECTION), "code": "conflict"}
    assert Case.objects.get(pk=case.pk).state == CaseState.SUSPENDED


def test_the_applicants_answer_resumes_the_case_through_the_same_transition(department, approver):
    case = _suspended(department, approver, by="correction")
    correction = case.corrections.get()
    services.answer_correction(
        correction_id=correction.pk, actor=case.filing.created_by, window=case.filing.window, answer="已补签"
    )
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW and case.clock.suspended_since is None
    *_, resumed = history_of(case)
    assert (resumed.transition, resumed.actor, resumed.comment) == (
        "resume",
        case.filing.created_by,
        "已补签",
    )


def test_another_approver_may_not_resume_a_procedure_they_do_not_hold(client, department, approver):
    case = _suspended(department, approver, by="procedure")
    other = make_staff(Role.APPROVER, department=department)
    assert "resume" not in _offered(case, other)
    client.force_login(other)
    refused = client.post(reverse("case-resume", args=[case.pk]))
    assert refused.status_code == 409
    assert refused.json()["detail"] == gettext("%(user)s has claimed this case.") % {"user": approver}
