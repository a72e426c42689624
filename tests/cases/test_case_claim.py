"""Review actions are the claiming approver's: the graph's permission on them, and nothing beside it.
Another approver of the department is offered none of them (desk and API) and is refused in the
rule's words — a conflict naming who holds the case."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from apps.accounts.roles import Role
from apps.audit.transitions import refusal
from apps.cases.codes import CaseState
from apps.cases.models import Case, Outcome
from apps.cases.review import services
from apps.core.errors import Conflict
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db
APPROVAL = {"holder": "张三", "scope": "预包装食品销售"}


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def approver(department):
    return make_staff(Role.APPROVER, department=department, full_name="李审批")


@pytest.fixture
def other(department):
    return make_staff(Role.APPROVER, department=department, full_name="王审批")


@pytest.fixture
def claimed(department, approver):
    case = make_case(department=department)
    services.claim(case_id=case.pk, actor=approver)
    return Case.objects.get(pk=case.pk)


def held_by(approver) -> str:
    return gettext("%(user)s has claimed this case.") % {"user": approver}


def test_the_claimer_is_offered_the_review_actions_and_no_one_else(claimed, approver, other):
    mine = {t.name for t in claimed.get_available_user_state_transitions(approver)}
    assert {"release", "record_opinion", "request_correction", "approve", "deny"} <= mine
    assert not {t.name for t in claimed.get_available_user_state_transitions(other)}
    for name in mine:  # each refused for the other approver in the same words
        refused = refusal(claimed, name, actor=other)
        assert isinstance(refused, Conflict) and refused.message == held_by(approver), name


def test_the_service_refuses_another_approver_naming_the_claimer(claimed, approver, other):
    with pytest.raises(Conflict) as refused:
        services.decide(case_id=claimed.pk, actor=other, outcome=Outcome.APPROVE, **APPROVAL)
    assert refused.value.message == held_by(approver)
    assert Case.objects.get(pk=claimed.pk).state == CaseState.IN_REVIEW


def test_the_desk_and_the_api_offer_another_approver_nothing_and_say_who_holds_it(
    client, claimed, approver, other
):
    client.force_login(other)
    page = client.get(reverse("desks:backoffice_case", args=[claimed.pk])).content.decode()
    assert 'data-testid="action-approve"' not in page and 'data-testid="action-claim"' not in page
    posted = client.post(reverse("desks:backoffice_act", args=[claimed.pk, "release"]), follow=True)
    assert [str(m) for m in posted.context["messages"]] == [held_by(approver)]

    assert client.get(reverse("case-detail", args=[claimed.pk])).json()["actions"] == []
    refused = client.post(reverse("case-release", args=[claimed.pk]), {}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["detail"] == held_by(approver)
    assert Case.objects.get(pk=claimed.pk).claimed_by == approver


def test_a_wrong_state_is_refused_as_not_possible_now(department, approver):
    case = make_case(department=department)
    with pytest.raises(Conflict) as refused:
        services.release(case_id=case.pk, actor=approver)  # queued: nothing to release
    assert refused.value.message == gettext("Not possible now: it is %(state)s.") % {
        "state": case.get_state_display()
    }
