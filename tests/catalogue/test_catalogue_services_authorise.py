"""The catalogue's services refuse a person who may not change the object, whoever calls them (the API,
the admin, the importer ask first as well): a centre's items and bundles are its catalogue admins', the
base catalogue any catalogue admin's, publishing needs the permission to publish. ``actor=None`` is the
hall itself (the demo seed, the operator's import)."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.roles import Role
from apps.catalogue import services
from apps.catalogue.codes import ItemKind, ItemState
from apps.catalogue.models import Bundle, ServiceItem
from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
from tests.factories.catalogue import BundleFactory, item_values, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    city, county = ServiceCentreFactory(), ServiceCentreFactory()
    department = DepartmentFactory(centre=city)
    return {
        "department": department,
        "county_department": DepartmentFactory(centre=county),
        "city_admin": make_staff(Role.CATALOGUE_ADMIN, centre=city),
        "county_admin": make_staff(Role.CATALOGUE_ADMIN, centre=county),
        "approver": make_staff(Role.APPROVER, department=department),
        "item": make_item(department=department),  # published, by the hall itself
        "draft": make_item(department=department, publish_it=False),
        "bundle": BundleFactory(centre=city),
    }


def refused(call, *outsiders):
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            call(outsider)


def test_another_centres_items_are_not_changed(hall):
    outsiders = (hall["county_admin"], hall["approver"])
    item, draft = hall["item"], hall["draft"]
    refused(lambda a: services.update_draft(item_id=draft.pk, values={"hours": "全天"}, actor=a), *outsiders)
    refused(lambda a: services.submit_for_review(item_id=draft.pk, actor=a), *outsiders)
    refused(lambda a: services.start_new_version(lineage_id=item.lineage_id, actor=a), *outsiders)
    refused(lambda a: services.retire(item_id=item.pk, actor=a), *outsiders)
    assert ServiceItem.objects.get(pk=draft.pk).state == ItemState.DRAFT
    assert ServiceItem.objects.get(pk=item.pk).state == ItemState.PUBLISHED
    assert item.lineage.versions.count() == 1
    city_admin = hall["city_admin"]
    services.submit_for_review(item_id=draft.pk, actor=city_admin)
    # A second catalogue admin of the city publishes (four eyes: not whoever submitted).
    services.publish(item_id=draft.pk, actor=make_staff(Role.CATALOGUE_ADMIN, centre=draft.lineage.centre))
    services.start_new_version(lineage_id=item.lineage_id, actor=city_admin)


def test_an_item_is_created_only_for_a_maintained_department(hall):
    def create(actor, department):
        values = {**item_values(900), "department": department}
        return services.create_item(
            kind=ItemKind.IMPLEMENTATION, values=values, centre=department.centre, actor=actor
        )

    refused(lambda a: create(a, hall["department"]), hall["county_admin"], hall["approver"])
    create(hall["city_admin"], hall["department"])


def test_a_draft_is_not_moved_out_of_what_its_editor_maintains(hall):
    """A catalogue admin of one department edits its items, and cannot hand one to another."""
    department = hall["department"]
    keeper = make_staff(Role.CATALOGUE_ADMIN, centre=department.centre, department=department)
    other = DepartmentFactory(centre=department.centre)
    with pytest.raises(PermissionDenied):
        services.update_draft(item_id=hall["draft"].pk, values={"department": other}, actor=keeper)
    assert ServiceItem.objects.get(pk=hall["draft"].pk).department == department
    services.update_draft(item_id=hall["draft"].pk, values={"hours": "全天"}, actor=keeper)


def test_the_base_catalogue_is_any_catalogue_admins(hall):
    base = make_item(kind=ItemKind.BASE)
    refused(lambda a: services.start_new_version(lineage_id=base.lineage_id, actor=a), hall["approver"])
    services.start_new_version(lineage_id=base.lineage_id, actor=hall["county_admin"])


def test_another_centres_bundles_are_not_changed(hall):
    bundle = hall["bundle"]
    outsiders = (hall["county_admin"], hall["approver"])
    refused(
        lambda a: services.save_bundle(
            values={"name": "改名"}, lineage_ids=[hall["item"].lineage_id], bundle_id=bundle.pk, actor=a
        ),
        *outsiders,
    )
    refused(lambda a: services.publish_bundle(bundle_id=bundle.pk, actor=a), *outsiders)
    refused(lambda a: services.retire_bundle(bundle_id=bundle.pk, actor=a), *outsiders)
    refused(
        lambda a: services.save_bundle(
            values={"code": "B900", "name": "新一件事", "centre": bundle.centre, "promised_limit_days": 5},
            lineage_ids=[hall["item"].lineage_id],
            actor=a,
        ),
        *outsiders,
    )
    assert Bundle.objects.get(pk=bundle.pk).name == bundle.name
    services.save_bundle(
        values={"name": "改名"},
        lineage_ids=[hall["item"].lineage_id],
        bundle_id=bundle.pk,
        actor=hall["city_admin"],
    )
