"""A desk runs a posted action named after a transition only if the object's graph offers it to the
user at the time of posting (what the page offered), and sign-off signs off only the decision named:
a decision-maker who posts ``sign_off_denial`` on a proposed approval — a stale page or a hand-made
post — is refused and the case is unchanged, at the desk and through the API."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from apps.accounts.roles import Role
from apps.cases.codes import CaseState
from apps.cases.models import Case, Outcome
from apps.cases.review import services
from apps.core.errors import Conflict
from tests.factories import DepartmentFactory, make_staff
from tests.factories.cases import make_case

pytestmark = pytest.mark.django_db
OTHER_DECISION = "The approver proposed the other decision."


@pytest.fixture
def proposed_approval():
    """An approval proposed by an approver, and a decision-maker of the department to sign it off."""
    department = DepartmentFactory()
    approver = make_staff(Role.APPROVER, department=department)
    signer = make_staff(Role.DECISION_MAKER, department=department)
    case = make_case(department=department, requires_second_signoff=True)
    services.claim(case_id=case.pk, actor=approver)
    services.decide(case_id=case.pk, actor=approver, outcome=Outcome.APPROVE, holder="张三", scope="餐饮服务")
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.AWAITING_DECISION
    return case, signer


def unchanged(case) -> bool:
    now = Case.objects.get(pk=case.pk)
    return (now.state, now.signed_off_by_id, now.decided_at) == (CaseState.AWAITING_DECISION, None, None)


def test_the_desk_refuses_an_action_the_page_did_not_offer(client, proposed_approval):
    case, signer = proposed_approval
    client.force_login(signer)
    page = client.get(reverse("desks:backoffice_case", args=[case.pk])).content.decode()
    assert 'data-testid="action-sign_off_approval"' in page
    assert 'data-testid="action-sign_off_denial"' not in page

    posted = client.post(reverse("desks:backoffice_act", args=[case.pk, "sign_off_denial"]), follow=True)
    assert [str(m) for m in posted.context["messages"]] == [gettext(OTHER_DECISION)]
    assert unchanged(case)

    client.post(reverse("desks:backoffice_act", args=[case.pk, "sign_off_approval"]))
    assert Case.objects.get(pk=case.pk).state == CaseState.APPROVED


def test_a_stale_page_is_told_the_state(client, proposed_approval):
    case, signer = proposed_approval
    services.sign_off(case_id=case.pk, actor=signer)
    client.force_login(signer)
    posted = client.post(reverse("desks:backoffice_act", args=[case.pk, "send_back"]), follow=True)
    assert [str(m) for m in posted.context["messages"]] == [
        gettext("Not possible now: it is %(state)s.")
        % {"state": Case.objects.get(pk=case.pk).get_state_display()}
    ]
    assert Case.objects.get(pk=case.pk).state == CaseState.APPROVED


def test_the_service_signs_off_only_the_decision_named(proposed_approval):
    case, signer = proposed_approval
    with pytest.raises(Conflict) as refused:
        services.sign_off(case_id=case.pk, actor=signer, outcome=Outcome.DENY)
    assert str(refused.value.message) == gettext(OTHER_DECISION)
    assert unchanged(case)


def test_the_api_refuses_signing_off_another_decision_than_proposed(client, proposed_approval):
    case, signer = proposed_approval
    client.force_login(signer)
    url = reverse("case-sign-off", args=[case.pk])
    refused = client.post(url, {"outcome": Outcome.DENY}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == gettext(OTHER_DECISION)
    assert unchanged(case)

    signed = client.post(url, {"outcome": Outcome.APPROVE}, content_type="application/json")
    assert signed.status_code == 200 and signed.json()["state"] == CaseState.APPROVED
