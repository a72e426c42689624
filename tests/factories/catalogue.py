import factory

from apps.catalogue.codes import (
    Channel,
    HandlingType,
    ItemKind,
    ItemType,
    MaterialForm,
    MaterialSource,
    MaterialType,
    Necessity,
    ServiceObject,
    Visits,
)
from apps.catalogue.models import (
    ApprovalCategory,
    Bundle,
    FeeItem,
    ItemLineage,
    ItemMaterial,
    Material,
    ProcessStep,
    ServiceItem,
)
from apps.catalogue.naming import pinyin_initials
from apps.catalogue.services import ItemChildren, create_item, publish, submit_for_review
from apps.licences.models import LicenceType
from tests.factories.accounts import DepartmentFactory, ServiceCentreFactory


class LicenceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenceType

    code = factory.Sequence(lambda n: f"11100000000013338W{n:03d}")
    name = factory.Sequence(lambda n: f"测试许可证{n}")


class ApprovalCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"分类{n}")


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    code = factory.Sequence(lambda n: f"M{n:04d}")
    name = factory.Sequence(lambda n: f"材料{n}")
    material_type = MaterialType.CERTIFICATE
    source = MaterialSource.APPLICANT


class ItemLineageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemLineage

    kind = ItemKind.BASE
    code = factory.Sequence(lambda n: f"{n:012d}")


def item_values(n: int, **overrides) -> dict:
    values = {
        "name": f"测试事项{n}",
        "basic_code": f"{n:012d}",
        "item_type": ItemType.LICENSING,
        "level": "3",
        "approval_category": overrides.pop("approval_category", None) or ApprovalCategoryFactory(),
        "legal_basis": "《中华人民共和国行政许可法》第十二条",
        "conditions": "申请人具备相应条件。",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "handling_type": HandlingType.PROMISED,
        "serves": [ServiceObject.PERSON, ServiceObject.ENTERPRISE],
        "channels": [Channel.WINDOW, Channel.ONLINE],
        "visits_required": Visits.ONE,
        "result_name": "测试许可证",
        "consultation_phone": "0591-12345678",
        "supervision_phone": "0591-12345679",
    }
    values.update(overrides)
    return values


_counter = iter(range(100000, 999999))


def default_children(materials=None) -> ItemChildren:
    materials = materials if materials is not None else [MaterialFactory()]
    return ItemChildren(
        materials=[
            {
                "material": m,
                "original_count": 1,
                "copy_count": 1,
                "necessity": Necessity.REQUIRED,
                "form": MaterialForm.PAPER,
            }
            for m in materials
        ],
        steps=[{"name": "受理"}, {"name": "审查"}, {"name": "决定"}],
    )


def make_item(
    *,
    kind=ItemKind.IMPLEMENTATION,
    department=None,
    children=None,
    publish_it=True,
    base=None,
    actor=None,
    **overrides,
) -> ServiceItem:
    """A service item through the real services, published unless ``publish_it=False``."""
    n = next(_counter)
    values = item_values(n, **overrides)
    centre = None
    if kind == ItemKind.IMPLEMENTATION:
        department = department or DepartmentFactory()
        values["department"] = department
        centre = department.centre
    item = create_item(
        kind=kind,
        values=values,
        children=children or default_children(),
        centre=centre,
        base=base,
        actor=actor,
    )
    if publish_it:
        # The hall submits, so that ``actor`` publishes as a second person (four eyes, the rule of
        # ``ServiceItem.publish``); a test about four eyes itself submits with ``publish_it=False``.
        submit_for_review(item_id=item.pk, actor=None)
        item = publish(item_id=item.pk, actor=actor)
    return item


class BundleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bundle

    code = factory.Sequence(lambda n: f"B{n:03d}")
    name = factory.Sequence(lambda n: f"一件事{n}")
    name_initials = factory.LazyAttribute(lambda bundle: pinyin_initials(bundle.name))
    centre = factory.SubFactory(ServiceCentreFactory)
    # No shorter than its items' (``make_item`` promises 10 working days), no longer than their legal 20.
    promised_limit_days = 10


__all__ = [
    "ApprovalCategoryFactory",
    "BundleFactory",
    "FeeItem",
    "ItemLineageFactory",
    "ItemMaterial",
    "LicenceTypeFactory",
    "MaterialFactory",
    "ProcessStep",
    "default_children",
    "item_values",
    "make_item",
]


def requirement(material, necessity=Necessity.REQUIRED, *, originals=1, copies=0, **extra) -> dict:
    """One material requirement of an item, as ``create_item`` takes it."""
    return {
        "material": material,
        "original_count": originals,
        "copy_count": copies,
        "necessity": necessity,
        "form": MaterialForm.PAPER,
        **extra,
    }


def checklist(*requirements) -> ItemChildren:
    """An item's children with these material requirements and one process step."""
    return ItemChildren(materials=list(requirements), steps=[{"name": "受理"}])


def admin_item_form(*, department, name: str = "后台新增事项", category=None) -> dict:
    """What the admin's "add item" page posts for a new implementation in ``department``, with empty
    materials, fees, steps and FAQs."""
    form = {
        "kind": "implementation",
        "name": name,
        "basic_code": "000765432109",
        "item_type": "01",
        "level": "3",
        "department": department.pk,
        "approval_category": (category or ApprovalCategoryFactory()).pk,
        "legal_basis": "依据",
        "conditions": "条件",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "handling_type": "2",
        "serves": ["2"],
        "channels": ["1"],
        "visits_required": 1,
        "result_name": "结果",
        "consultation_phone": "0591-1234567",
        "supervision_phone": "0591-7654321",
        "max_extension_days": 0,
    }
    for prefix in ("materials", "fees", "steps", "faqs"):
        form.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return form
