"""Bad input to the catalogue: each refused with a message naming the field and the rule."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.catalogue.codes import HandlingType, ItemKind
from apps.catalogue.models import ItemLineage, ServiceItem
from apps.catalogue.services import create_item, update_draft
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.catalogue import default_children, item_values, make_item

pytestmark = pytest.mark.django_db


def refused(field, **kwargs):
    with pytest.raises(ValidationError) as exc:
        create_item(**kwargs)
    assert field in exc.value.message_dict, exc.value.message_dict
    return " ".join(exc.value.message_dict[field])


def test_a_basic_code_must_have_twelve_characters():
    message = refused("basic_code", kind=ItemKind.BASE, values=item_values(1, basic_code="12345"))
    assert "12" in message


def test_a_basic_code_may_end_in_y_for_a_main_item():
    item = create_item(kind=ItemKind.BASE, values=item_values(1, basic_code="00016421300Y"))
    assert item.lineage.code == "00016421300Y"


def test_the_promised_limit_may_not_exceed_the_legal_limit_in_chinese():
    with translation.override("zh-hans"):
        message = refused(
            "promised_limit_days",
            kind=ItemKind.BASE,
            values=item_values(2, legal_limit_days=10, promised_limit_days=15),
        )
    assert "承诺办结时限" in message and "法定办结时限" in message
    assert not ServiceItem.objects.exists()
    assert not ItemLineage.objects.exists()


def test_the_promised_limit_rule_in_english():
    with translation.override("en"):
        message = refused(
            "promised_limit_days",
            kind=ItemKind.BASE,
            values=item_values(2, legal_limit_days=10, promised_limit_days=15),
        )
    assert "may not exceed the legal limit" in message


def test_an_item_decided_on_the_spot_promises_zero_days():
    refused(
        "promised_limit_days",
        kind=ItemKind.BASE,
        values=item_values(3, handling_type=HandlingType.IMMEDIATE, promised_limit_days=2),
    )
    item = create_item(
        kind=ItemKind.BASE, values=item_values(3, handling_type=HandlingType.IMMEDIATE, promised_limit_days=0)
    )
    assert item.is_immediate


def test_the_implementation_code_is_derived_and_checked():
    department = DepartmentFactory()
    item = create_item(kind=ItemKind.IMPLEMENTATION, values=item_values(4, department=department, level="3"))
    assert item.implementation_code == f"{department.credit_code}3{item.basic_code}"
    assert len(item.implementation_code) == 31
    message = refused(
        "implementation_code",
        kind=ItemKind.IMPLEMENTATION,
        values=item_values(
            5, department=department, level="3", implementation_code=f"{department.credit_code}4{5:012d}"
        ),
    )
    assert department.credit_code in message


def test_an_implementation_needs_a_department_of_its_centre():
    refused("department", kind=ItemKind.IMPLEMENTATION, values=item_values(6), centre=ServiceCentreFactory())
    other = DepartmentFactory()
    refused(
        "department",
        kind=ItemKind.IMPLEMENTATION,
        values=item_values(7, department=other),
        centre=ServiceCentreFactory(),
    )


def test_a_base_item_has_no_department():
    refused("department", kind=ItemKind.BASE, values=item_values(8, department=DepartmentFactory()))


def test_two_items_cannot_share_a_basic_code():
    create_item(kind=ItemKind.BASE, values=item_values(9))
    message = refused("basic_code", kind=ItemKind.BASE, values=item_values(9, name="另一个事项"))
    assert f"{9:012d}" in message
    assert ServiceItem.objects.count() == 1


def test_unknown_code_list_values_are_refused():
    message = refused("channels", kind=ItemKind.BASE, values=item_values(10, channels=["1", "9"]))
    assert "9" in message


def test_an_implementation_keeps_its_base_items_basic_code():
    base = make_item(kind=ItemKind.BASE)
    refused(
        "basic_code",
        kind=ItemKind.IMPLEMENTATION,
        values=item_values(11, department=DepartmentFactory()),
        base=base.lineage,
    )


def test_editing_a_draft_runs_the_same_rules():
    item = make_item(publish_it=False, children=default_children())
    with pytest.raises(ValidationError) as exc:
        update_draft(item_id=item.pk, values={"promised_limit_days": 99})
    assert "promised_limit_days" in exc.value.message_dict
    item.refresh_from_db()
    assert item.promised_limit_days == 10
