"""Another clerk's pre-review (网上预审) is not theirs to act on: the Filing graph's permission says
so, so the desk offers a second clerk of the centre nothing on it — no decision, no hand-back, no
checklist — while the clerk who took it is offered the decisions, and a post by the second clerk
is still refused in the rule's words."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from apps.accounts.roles import Role
from apps.cases import services
from apps.cases.codes import FilingState, MaterialStatus
from apps.cases.models import Filing
from tests.cases.online_hall import submittable
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.cases import comprehensive_window, online_filing
from tests.factories.catalogue import MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db
DECISIONS = ["accept", "accept_with_deficiency", "return_for_completion", "refuse", "withdraw"]


@pytest.fixture
def taken():
    """An online filing that 王小明 has taken for pre-review; 李四 is another clerk of the centre."""
    centre = ServiceCentreFactory()
    material = MaterialFactory(name="身份证")
    item = make_item(department=DepartmentFactory(centre=centre), children=default_children([material]))
    windows = [comprehensive_window(centre), comprehensive_window(centre)]
    holder = make_staff(Role.CLERK, centre=centre, window=windows[0], full_name="王小明")
    other = make_staff(Role.CLERK, centre=centre, window=windows[1], full_name="李四")
    citizen = make_staff(Role.CITIZEN)
    filing = submittable(online_filing(citizen=citizen, centre=centre, items=[item]), citizen)
    services.submit_online(filing_id=filing.pk, actor=citizen)
    services.start_pre_review(filing_id=filing.pk, actor=holder, window=windows[0])
    return Filing.objects.get(pk=filing.pk), material, holder, other


def refusal_words(holder) -> str:
    return gettext("%(clerk)s has this filing in pre-review: only they can act on it.") % {"clerk": holder}


def offered(filing, user) -> set[str]:
    return {t.name for t in filing.get_available_user_state_transitions(user)}


def test_the_graph_offers_the_pre_review_to_its_clerk_alone(taken):
    filing, _material, holder, other = taken
    assert offered(filing, other) == set()
    assert set(DECISIONS) | {"release_pre_review"} <= offered(filing, holder)


def test_a_second_clerk_is_offered_nothing_on_the_page(client, taken):
    filing, material, holder, other = taken
    client.force_login(other)
    page = client.get(reverse("desks:intake_filing", args=[filing.pk])).content.decode()
    for name in DECISIONS:
        assert reverse("desks:intake_decide", args=[filing.pk, name]) not in page
    assert reverse("desks:intake_pre_review", args=[filing.pk, "release_pre_review"]) not in page
    assert reverse("desks:intake_all_received", args=[filing.pk]) not in page
    assert reverse("desks:intake_material", args=[filing.pk, material.pk]) not in page

    client.force_login(holder)
    page = client.get(reverse("desks:intake_filing", args=[filing.pk])).content.decode()
    for name in DECISIONS:
        assert reverse("desks:intake_decide", args=[filing.pk, name]) in page
    assert reverse("desks:intake_all_received", args=[filing.pk]) in page
    assert reverse("desks:intake_material", args=[filing.pk, material.pk]) in page


@pytest.mark.parametrize(
    "url",
    [
        lambda f, m: reverse("desks:intake_decide", args=[f.pk, "refuse"]),
        lambda f, m: reverse("desks:intake_pre_review", args=[f.pk, "release_pre_review"]),
        lambda f, m: reverse("desks:intake_all_received", args=[f.pk]),
    ],
    ids=["decision", "hand-back", "all-received"],
)
def test_a_post_by_the_second_clerk_is_refused_in_the_rules_words(client, taken, url):
    filing, material, holder, other = taken
    client.force_login(other)
    posted = client.post(
        url(filing, material), {"reason": "交班", "reasons": "不符合", "legal_basis": "某条"}, follow=True
    )
    assert [str(m) for m in posted.context["messages"]] == [refusal_words(holder)]
    filing.refresh_from_db()
    assert (filing.state, filing.pre_reviewer) == (FilingState.PRE_REVIEW, holder)
    assert filing.checklist.get().status == MaterialStatus.PENDING
