import pytest
from django.core.exceptions import ValidationError

from apps.catalogue import selectors, services
from apps.catalogue.codes import MaterialForm, Necessity
from apps.catalogue.models import Bundle, BundleState
from apps.catalogue.services import ItemChildren
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.catalogue import BundleFactory, LicenceTypeFactory, MaterialFactory, make_item

pytestmark = pytest.mark.django_db


def requirement(material, originals, copies, necessity, form=MaterialForm.PAPER, e_cert=True):
    return {
        "material": material,
        "original_count": originals,
        "copy_count": copies,
        "necessity": necessity,
        "form": form,
        "e_certificate_accepted": e_cert,
    }


@pytest.fixture
def three_items_sharing_materials():
    centre = ServiceCentreFactory()
    licence = LicenceTypeFactory(name="营业执照")
    id_card, business_licence, lease, health = (
        MaterialFactory(name="居民身份证"),
        MaterialFactory(name="营业执照", licence_type=licence),
        MaterialFactory(name="租赁合同"),
        MaterialFactory(name="健康证明"),
    )
    steps = [{"name": "受理"}]
    items = [
        make_item(
            department=DepartmentFactory(centre=centre),
            legal_limit_days=20,
            children=ItemChildren(
                materials=[
                    requirement(id_card, 1, 1, Necessity.REQUIRED),
                    requirement(business_licence, 0, 1, Necessity.OPTIONAL),
                    requirement(lease, 1, 0, Necessity.DEFERRABLE),
                ],
                steps=steps,
            ),
        ),
        make_item(
            department=DepartmentFactory(centre=centre),
            legal_limit_days=15,
            children=ItemChildren(
                materials=[
                    requirement(business_licence, 1, 2, Necessity.REQUIRED, MaterialForm.ELECTRONIC),
                    requirement(lease, 0, 1, Necessity.REQUIRED),
                ],
                steps=steps,
            ),
        ),
        make_item(
            department=DepartmentFactory(centre=centre),
            legal_limit_days=30,
            children=ItemChildren(
                materials=[
                    requirement(id_card, 0, 2, Necessity.OPTIONAL, e_cert=False),
                    requirement(health, 1, 0, Necessity.DEFERRABLE),
                ],
                steps=steps,
            ),
        ),
    ]
    return centre, items, (id_card, business_licence, lease, health)


def test_the_merged_checklist_asks_for_each_material_once_with_the_strictest_terms(
    three_items_sharing_materials,
):
    centre, items, (id_card, business_licence, lease, health) = three_items_sharing_materials
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    services.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    checklist = selectors.merged_checklist(selectors.bundle_items(bundle))
    by_material = {entry.material: entry for entry in checklist}
    assert [entry.material for entry in checklist] == [id_card, business_licence, lease, health]
    assert (by_material[id_card].original_count, by_material[id_card].copy_count) == (1, 2)
    assert by_material[id_card].necessity == Necessity.REQUIRED
    assert by_material[id_card].e_certificate_accepted is False
    assert by_material[business_licence].necessity == Necessity.REQUIRED
    assert by_material[business_licence].form == MaterialForm.BOTH
    assert by_material[business_licence].replaceable_by.name == "营业执照"
    assert by_material[lease].necessity == Necessity.REQUIRED
    assert by_material[health].necessity == Necessity.DEFERRABLE
    assert len(by_material[business_licence].items) == 2


def test_a_bundle_may_not_promise_more_than_its_longest_legal_limit(three_items_sharing_materials):
    centre, items, _materials = three_items_sharing_materials
    lineage_ids = [i.lineage_id for i in items]
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    services.save_bundle(values={}, lineage_ids=lineage_ids, bundle_id=bundle.pk)
    with pytest.raises(ValidationError) as exc:
        services.save_bundle(values={"promised_limit_days": 31}, lineage_ids=lineage_ids, bundle_id=bundle.pk)
    assert "30" in " ".join(exc.value.message_dict["promised_limit_days"])
    Bundle.objects.filter(pk=bundle.pk).update(promised_limit_days=31)  # a row from before the rule
    with pytest.raises(ValidationError) as exc:
        services.publish_bundle(bundle_id=bundle.pk)
    assert "30" in " ".join(exc.value.message_dict["promised_limit_days"])
    bundle.refresh_from_db()
    assert bundle.state == BundleState.DRAFT
    services.save_bundle(values={"promised_limit_days": 30}, lineage_ids=lineage_ids, bundle_id=bundle.pk)
    assert services.publish_bundle(bundle_id=bundle.pk).state == BundleState.PUBLISHED


def test_a_material_another_item_of_the_bundle_produces_is_marked_as_produced(three_items_sharing_materials):
    centre, items, (_id_card, business_licence, _lease, _health) = three_items_sharing_materials
    registration = make_item(
        department=DepartmentFactory(centre=centre),
        name="企业设立登记",
        result_licence_type=business_licence.licence_type,
    )
    lists = selectors.item_with_lists(
        type(registration).objects.filter(pk__in=[registration.pk] + [i.pk for i in items])
    )
    entries = {e.material: e for e in selectors.merged_checklist(list(lists))}
    assert entries[business_licence].produced_by == registration
    assert all(e.produced_by is None for m, e in entries.items() if m != business_licence)


def test_a_bundle_with_a_retired_item_is_refused(three_items_sharing_materials):
    centre, items, _materials = three_items_sharing_materials
    services.retire(item_id=items[0].pk)
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    services.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    with pytest.raises(ValidationError) as exc:
        services.publish_bundle(bundle_id=bundle.pk)
    assert items[0].lineage.code in " ".join(exc.value.message_dict["items"])


def test_a_bundle_offers_only_items_of_its_own_centre(three_items_sharing_materials):
    _centre, items, _materials = three_items_sharing_materials
    bundle = BundleFactory(centre=ServiceCentreFactory(), promised_limit_days=10)
    services.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    with pytest.raises(ValidationError) as exc:
        services.publish_bundle(bundle_id=bundle.pk)
    assert len(exc.value.message_dict["items"]) == 3


def test_a_bundle_follows_the_newest_published_version_of_its_items(three_items_sharing_materials):
    centre, items, _materials = three_items_sharing_materials
    bundle = BundleFactory(centre=centre, promised_limit_days=10)
    services.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    draft = services.start_new_version(lineage_id=items[1].lineage_id)
    services.update_draft(item_id=draft.pk, values={"name": "新版名称"})
    services.submit_for_review(item_id=draft.pk)
    services.publish(item_id=draft.pk)
    assert [i.name for i in selectors.bundle_items(bundle)][1] == "新版名称"
