"""A bundle's (一件事) state graph: a draft is published, a draft or a published bundle is retired, and
retired is final. Each move is a transition with its line in the log; anything else is refused with
a conflict and leaves the bundle and its log as they were."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.accounts.roles import Role
from apps.audit.selectors import history_of
from apps.catalogue import services
from apps.catalogue.models import Bundle, BundleState
from apps.core.errors import Conflict
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.catalogue import BundleFactory, make_item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_language")]


@pytest.fixture
def source_language():
    """Refusals are matched as written in the source (English)."""
    with translation.override("en"):
        yield


@pytest.fixture
def bundle() -> Bundle:
    """A draft of two published implementations of its centre, within their legal limits."""
    centre = ServiceCentreFactory()
    items = [make_item(department=DepartmentFactory(centre=centre), legal_limit_days=20) for _ in range(2)]
    draft = BundleFactory(centre=centre, promised_limit_days=10)
    services.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=draft.pk)
    return Bundle.objects.get(pk=draft.pk)


def moves(bundle) -> list[tuple]:
    return [
        (e.transition, e.from_state, e.to_state) for e in history_of(bundle) if e.from_state != e.to_state
    ]


def test_a_draft_is_published_then_retired_each_move_logged_with_who_and_why(bundle):
    admin = make_staff(Role.CATALOGUE_ADMIN, centre=bundle.centre)
    published = services.publish_bundle(
        bundle_id=bundle.pk, actor=admin, comment="一件事上线", client_ip="192.0.2.7"
    )
    assert published.state == BundleState.PUBLISHED
    services.retire_bundle(bundle_id=bundle.pk, actor=admin, comment="并入新一件事")

    assert Bundle.objects.get(pk=bundle.pk).state == BundleState.RETIRED
    assert moves(bundle) == [("publish", "draft", "published"), ("retire", "published", "retired")]
    publish, retire = [e for e in history_of(bundle) if e.from_state != e.to_state]
    assert (publish.actor, publish.comment, publish.client_ip) == (admin, "一件事上线", "192.0.2.7")
    assert (retire.actor, retire.comment) == (admin, "并入新一件事")


def test_a_draft_is_retired_without_ever_being_published(bundle):
    services.retire_bundle(bundle_id=bundle.pk)
    assert moves(bundle) == [("retire", "draft", "retired")]


def test_a_retired_bundle_is_not_published_again(bundle):
    services.publish_bundle(bundle_id=bundle.pk)
    services.retire_bundle(bundle_id=bundle.pk)
    with pytest.raises(Conflict, match="Retired"):
        services.publish_bundle(bundle_id=bundle.pk)
    assert Bundle.objects.get(pk=bundle.pk).state == BundleState.RETIRED
    assert [m[0] for m in moves(bundle)] == ["publish", "retire"]


def test_a_retired_draft_is_not_published_either(bundle):
    services.retire_bundle(bundle_id=bundle.pk)
    with pytest.raises(Conflict, match="Retired"):
        services.publish_bundle(bundle_id=bundle.pk)
    assert Bundle.objects.get(pk=bundle.pk).state == BundleState.RETIRED


def test_a_published_bundle_is_not_published_twice_nor_a_retired_one_retired_twice(bundle):
    services.publish_bundle(bundle_id=bundle.pk)
    with pytest.raises(Conflict, match="Published"):
        services.publish_bundle(bundle_id=bundle.pk)
    services.retire_bundle(bundle_id=bundle.pk)
    with pytest.raises(Conflict, match="Retired"):
        services.retire_bundle(bundle_id=bundle.pk)
    assert [m[0] for m in moves(bundle)] == ["publish", "retire"]


def test_the_state_is_not_assigned_nor_edited_as_a_value(bundle):
    with pytest.raises(AttributeError):
        bundle.state = BundleState.PUBLISHED
    with pytest.raises(ValidationError, match="only by publishing or retiring"):
        services.save_bundle(
            values={"state": BundleState.PUBLISHED},
            lineage_ids=list(bundle.entries.values_list("lineage_id", flat=True)),
            bundle_id=bundle.pk,
        )
    assert Bundle.objects.get(pk=bundle.pk).state == BundleState.DRAFT and not moves(bundle)


def test_the_graph_names_the_transition_between_two_states():
    assert Bundle.transition_between(BundleState.DRAFT, BundleState.PUBLISHED) == "publish"
    assert Bundle.transition_between(BundleState.DRAFT, BundleState.RETIRED) == "retire"
    assert Bundle.transition_between(BundleState.PUBLISHED, BundleState.RETIRED) == "retire"
    assert Bundle.transition_between(BundleState.RETIRED, BundleState.PUBLISHED) is None
    assert Bundle.transition_between(BundleState.PUBLISHED, BundleState.DRAFT) is None
