"""A second sign-off (双人复核) is someone else's: "not the proposer" is part of the sign-off
transitions' permission, so a decision-maker who proposed the decision is neither offered sign-off
(desk and API) nor allowed it, and is told why in the rule's words. Another decision-maker of the
department signs it off."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext

from apps.accounts.roles import Role
from apps.accounts.services import assign_role
from apps.cases.codes import CaseState
from apps.cases.models import Case, Outcome
from apps.cases.review import services
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db
PROPOSER = "You proposed this decision: another decision-maker signs it off."
DECISION_MAKER_ONLY = "Only a decision-maker of the case's department may do this."
SIGN_OFF = 'data-testid="action-sign_off_denial"'


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def both(department):
    """An approver who is a decision-maker of the department as well."""
    user = make_staff(Role.APPROVER, department=department, full_name="周双岗")
    assign_role(user=user, role=Role.DECISION_MAKER, centre=department.centre, department=department)
    return user


@pytest.fixture
def signer(department):
    return make_staff(Role.DECISION_MAKER, department=department, full_name="刘决定")


@pytest.fixture
def proposed(department, both):
    """A denial proposed by ``both``, awaiting a decision-maker's sign-off."""
    case = make_case(department=department, requires_second_signoff=True)
    services.claim(case_id=case.pk, actor=both)
    services.decide(case_id=case.pk, actor=both, outcome=Outcome.DENY, reasons="不符合", legal_basis="某条")
    return Case.objects.get(pk=case.pk)


def _offered(case, user) -> set[str]:
    return {t.name for t in case.get_available_user_state_transitions(user)}


def test_the_graph_offers_sign_off_to_another_decision_maker_not_to_the_proposer(proposed, both, signer):
    assert proposed.state == CaseState.AWAITING_DECISION
    assert "sign_off_denial" in _offered(proposed, signer)
    assert "sign_off_denial" not in _offered(proposed, both)
    assert "send_back" in _offered(proposed, both)  # taking one's own proposal back stays possible
    with pytest.raises(PermissionDenied) as refused:
        services.sign_off(case_id=proposed.pk, actor=both)
    assert str(refused.value) == gettext(PROPOSER)
    assert Case.objects.get(pk=proposed.pk).state == CaseState.AWAITING_DECISION

    services.sign_off(case_id=proposed.pk, actor=signer)
    proposed.refresh_from_db()
    assert (proposed.state, proposed.decided_by, proposed.signed_off_by) == (CaseState.DENIED, both, signer)


def test_an_approver_without_the_role_is_refused_as_not_a_decision_maker(department, proposed):
    approver = make_staff(Role.APPROVER, department=department)
    assert "sign_off_denial" not in _offered(proposed, approver)
    with pytest.raises(PermissionDenied) as refused:
        services.sign_off(case_id=proposed.pk, actor=approver)
    assert str(refused.value) == gettext(DECISION_MAKER_ONLY)


def test_the_desk_shows_the_proposer_no_sign_off_and_refuses_a_posted_one(client, proposed, both, signer):
    client.force_login(signer)
    assert SIGN_OFF in client.get(reverse("desks:backoffice_case", args=[proposed.pk])).content.decode()

    client.force_login(both)
    page = client.get(reverse("desks:backoffice_case", args=[proposed.pk])).content.decode()
    assert SIGN_OFF not in page and 'data-testid="action-send_back"' in page
    posted = client.post(reverse("desks:backoffice_act", args=[proposed.pk, "sign_off_denial"]), follow=True)
    assert posted.status_code == 200
    assert [str(m) for m in posted.context["messages"]] == [gettext(PROPOSER)]
    assert Case.objects.get(pk=proposed.pk).state == CaseState.AWAITING_DECISION


def test_the_api_lists_no_sign_off_for_the_proposer_and_answers_403_in_the_rules_words(
    client, proposed, both, signer
):
    client.force_login(signer)
    assert "sign_off_denial" in client.get(reverse("case-detail", args=[proposed.pk])).json()["actions"]

    client.force_login(both)
    actions = client.get(reverse("case-detail", args=[proposed.pk])).json()["actions"]
    assert "sign_off_denial" not in actions and "send_back" in actions
    refused = client.post(reverse("case-sign-off", args=[proposed.pk]), {}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == gettext(PROPOSER)
    assert Case.objects.get(pk=proposed.pk).state == CaseState.AWAITING_DECISION


def test_a_decision_maker_of_another_department_is_not_offered_sign_off(department, proposed):
    elsewhere = make_staff(Role.DECISION_MAKER, department=DepartmentFactory(centre=department.centre))
    assert not _offered(proposed, elsewhere)
