import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.accounts.roles import Role
from apps.audit.models import TransitionLog
from apps.audit.selectors import history_of
from apps.catalogue import services
from apps.catalogue.codes import ItemState
from apps.catalogue.models import ServiceItem
from apps.catalogue.services import ItemChildren
from apps.core.errors import Conflict
from tests.factories import DepartmentFactory, make_staff
from tests.factories.catalogue import BundleFactory, MaterialFactory, default_children, make_item

pytestmark = pytest.mark.django_db


def test_a_draft_goes_through_review_to_published_and_every_step_is_logged():
    department = DepartmentFactory()
    actor = make_staff(Role.CATALOGUE_ADMIN, centre=department.centre)
    reviewer = make_staff(Role.CATALOGUE_ADMIN, centre=department.centre)  # four eyes: a second person
    item = make_item(publish_it=False, actor=actor, department=department)
    services.submit_for_review(item_id=item.pk, actor=actor, client_ip="10.0.0.8")
    published = services.publish(item_id=item.pk, actor=reviewer)
    assert published.state == ItemState.PUBLISHED
    assert published.published_by == reviewer
    log = list(history_of(published).values_list("transition", "from_state", "to_state", "actor_id"))
    assert log == [
        ("draft_created", "draft", "draft", actor.pk),
        ("submit_for_review", "draft", "in_review", actor.pk),
        ("publish", "in_review", "published", reviewer.pk),
    ]
    assert TransitionLog.objects.filter(client_ip="10.0.0.8").count() == 1


def test_a_draft_cannot_be_published_without_review():
    item = make_item(publish_it=False)
    with pytest.raises(Conflict):
        services.publish(item_id=item.pk)
    assert ServiceItem.objects.get(pk=item.pk).state == ItemState.DRAFT


def test_editing_a_published_item_makes_a_new_draft_with_the_same_lists():
    item = make_item(children=default_children([MaterialFactory(), MaterialFactory()]))
    draft = services.start_new_version(lineage_id=item.lineage_id, change_note="调整承诺时限")
    assert (draft.version, draft.state, draft.lineage_id) == (2, ItemState.DRAFT, item.lineage_id)
    assert list(draft.materials.values_list("material_id", flat=True)) == list(
        item.materials.values_list("material_id", flat=True)
    )
    assert draft.steps.count() == item.steps.count() == 3
    services.update_draft(item_id=draft.pk, values={"promised_limit_days": 5})
    item.refresh_from_db()
    assert item.promised_limit_days == 10  # the published version is untouched


def test_publishing_the_new_version_supersedes_the_old_one():
    item = make_item()
    draft = services.start_new_version(lineage_id=item.lineage_id)
    services.submit_for_review(item_id=draft.pk)
    services.publish(item_id=draft.pk)
    item.refresh_from_db()
    assert item.state == ItemState.SUPERSEDED
    assert ServiceItem.objects.filter(lineage=item.lineage, state=ItemState.PUBLISHED).get().version == 2
    assert history_of(item).last().transition == "supersede"


def test_only_drafts_can_be_edited():
    item = make_item()
    with pytest.raises(Conflict):
        services.update_draft(item_id=item.pk, values={"name": "改名"})
    assert ServiceItem.objects.get(pk=item.pk).name != "改名"


def test_an_item_has_at_most_one_open_draft():
    item = make_item()
    services.start_new_version(lineage_id=item.lineage_id)
    with pytest.raises(Conflict):
        services.start_new_version(lineage_id=item.lineage_id)
    assert ServiceItem.objects.filter(lineage=item.lineage).count() == 2


def test_a_charged_item_needs_fee_items_and_every_item_a_process_step():
    item = make_item(publish_it=False, is_charged=True)
    services.submit_for_review(item_id=item.pk)
    with pytest.raises(ValidationError) as exc:
        services.publish(item_id=item.pk)
    assert "is_charged" in exc.value.message_dict
    services.return_to_draft(item_id=item.pk)
    services.update_draft(
        item_id=item.pk,
        values={},
        children=ItemChildren(fees=[{"name": "工本费", "standard": "10元/证", "basis": "某收费文件"}]),
    )
    services.submit_for_review(item_id=item.pk)
    with pytest.raises(ValidationError) as exc:
        services.publish(item_id=item.pk)
    assert "steps" in exc.value.message_dict


def test_retiring_an_item_that_a_published_bundle_offers_is_refused():
    a, b = make_item(), make_item()
    bundle = BundleFactory(centre=a.lineage.centre)
    b.lineage.centre = a.lineage.centre
    b.lineage.save()
    services.save_bundle(values={}, lineage_ids=[a.lineage_id, b.lineage_id], bundle_id=bundle.pk)
    services.publish_bundle(bundle_id=bundle.pk)
    with pytest.raises(ValidationError) as exc:
        services.retire(item_id=a.pk)
    assert bundle.name in " ".join(exc.value.messages)
    services.retire_bundle(bundle_id=bundle.pk)
    assert services.retire(item_id=a.pk).state == ItemState.RETIRED


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_admins_publishing_the_same_version_at_once_get_one_success_and_one_conflict():
    item = make_item(publish_it=False)
    services.submit_for_review(item_id=item.pk)
    barrier = threading.Barrier(2)

    def attempt():
        barrier.wait()
        try:
            return services.publish(item_id=item.pk)
        except Conflict as conflict:
            return conflict
        finally:
            connection.close()

    results = []
    threads = [threading.Thread(target=lambda: results.append(attempt())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "ServiceItem"]
    assert TransitionLog.objects.filter(transition="publish").count() == 1
