import pytest

from apps.catalogue import selectors, services
from apps.catalogue.codes import ItemKind
from tests.factories import DepartmentFactory
from tests.factories.catalogue import MaterialFactory, make_item

pytestmark = pytest.mark.django_db


PHONES = {"consultation_phone": "0591-87000001", "supervision_phone": "12345"}


def implement(base, **local):
    item = services.implement_base_item(
        base=base.lineage, department=DepartmentFactory(), local={**PHONES, **local}
    )
    services.submit_for_review(item_id=item.pk)
    return services.publish(item_id=item.pk)


def test_an_implementation_that_only_sets_local_elements_is_consistent():
    base = make_item(kind=ItemKind.BASE)
    impl = implement(
        base, location="市民中心二楼", hours="工作日 9:00-17:00", consultation_phone="0591-87654321"
    )
    assert impl.level == impl.department.centre.level
    assert selectors.consistency_report() == []


def test_implementing_refuses_to_set_standard_elements():
    base = make_item(kind=ItemKind.BASE)
    with pytest.raises(ValueError, match="legal_basis"):
        services.implement_base_item(
            base=base.lineage, department=DepartmentFactory(), local={**PHONES, "legal_basis": "别的依据"}
        )


def test_a_county_implements_a_city_item_at_its_own_level_without_a_finding():
    from apps.accounts.models import CentreLevel
    from tests.factories import ServiceCentreFactory

    base = make_item(kind=ItemKind.BASE, level="3")
    county = DepartmentFactory(centre=ServiceCentreFactory(level=CentreLevel.COUNTY))
    item = services.implement_base_item(base=base.lineage, department=county, local=PHONES)
    assert item.implementation_code == f"{county.credit_code}4{base.basic_code}"
    services.submit_for_review(item_id=item.pk)
    services.publish(item_id=item.pk)
    assert selectors.consistency_report() == []


def test_differences_in_standard_elements_are_listed_element_by_element():
    base = make_item(kind=ItemKind.BASE)
    impl = implement(base)
    draft = services.start_new_version(lineage_id=impl.lineage_id)
    services.update_draft(
        item_id=draft.pk,
        values={"legal_basis": "地方规定", "promised_limit_days": 5},
    )
    draft.materials.create(
        material=MaterialFactory(name="额外材料"), original_count=1, necessity="required", form="paper"
    )
    services.submit_for_review(item_id=draft.pk)
    services.publish(item_id=draft.pk)
    [finding] = selectors.consistency_report()
    assert finding.implementation.pk == draft.pk
    assert finding.base.pk == base.pk
    elements = {d.element: d for d in finding.differences}
    assert set(elements) == {"legal_basis", "promised_limit_days", "materials"}
    assert elements["promised_limit_days"].left == "10" and elements["promised_limit_days"].right == "5"
    assert "额外材料" in elements["materials"].right


def test_a_new_base_version_makes_old_implementations_show_up_until_they_sync():
    base = make_item(kind=ItemKind.BASE)
    impl = implement(base)
    new_base = services.start_new_version(lineage_id=base.lineage_id)
    services.update_draft(item_id=new_base.pk, values={"conditions": "新的受理条件"})
    services.submit_for_review(item_id=new_base.pk)
    services.publish(item_id=new_base.pk)
    [finding] = selectors.consistency_report()
    assert [d.element for d in finding.differences] == ["conditions"]
    synced = services.start_new_version(lineage_id=impl.lineage_id, sync_from_base=True)
    assert synced.conditions == "新的受理条件"
    assert synced.department_id == impl.department_id
    services.submit_for_review(item_id=synced.pk)
    services.publish(item_id=synced.pk)
    assert selectors.consistency_report() == []


def test_the_report_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    for _ in range(3):
        implement(
            make_item(kind=ItemKind.BASE),
        )
    with django_assert_max_num_queries(12):
        selectors.consistency_report()
    for _ in range(10):
        implement(make_item(kind=ItemKind.BASE))
    with django_assert_max_num_queries(12):
        selectors.consistency_report()
