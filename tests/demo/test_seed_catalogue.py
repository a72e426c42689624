import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.accounts.models import Department, ServiceCentre
from apps.audit.models import TransitionLog
from apps.catalogue import selectors, services
from apps.catalogue.codes import ItemKind, ItemState, Necessity
from apps.catalogue.models import (
    ApprovalCategory,
    Bundle,
    BundleItem,
    BundleState,
    FaqEntry,
    FeeItem,
    ItemLineage,
    ItemMaterial,
    Material,
    ProcessStep,
    ServiceItem,
)
from apps.licences.models import LicenceType

pytestmark = pytest.mark.django_db

CATALOGUE_MODELS = (
    ApprovalCategory,
    LicenceType,
    Material,
    ItemLineage,
    ServiceItem,
    ItemMaterial,
    FeeItem,
    ProcessStep,
    FaqEntry,
    Bundle,
    BundleItem,
)


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction rolled back at its end; each test runs in a
    savepoint of it (pytest-django's ``db``), so what a test changes is undone after the test."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = _seed()
        yield output
        transaction.set_rollback(True)


def _implementations():
    return selectors.published_items().filter(lineage__kind=ItemKind.IMPLEMENTATION)


def _city():
    return ServiceCentre.objects.get(level="3")


def test_the_catalogue_is_published_across_five_categories_and_the_demo_departments(seeded):
    assert "38 items in 5 categories, 42 implementations" in seeded

    assert ServiceItem.objects.exclude(state=ItemState.PUBLISHED).count() == 0
    assert ServiceItem.objects.filter(lineage__kind=ItemKind.BASE, state=ItemState.PUBLISHED).count() == 38
    implementations = list(_implementations())
    assert len(implementations) == 42
    city = [item for item in implementations if item.lineage.centre == _city()]
    assert Counter(item.approval_category.code for item in city) == {
        "market": 9,
        "investment": 8,
        "social": 7,
        "agriculture": 5,
        "culture_health": 9,
    }
    assert Counter(item.department.name for item in implementations) == {
        "示范市市场监督管理局": 11,
        "示范市住房和城乡建设局": 9,
        "示范市人力资源和社会保障局": 8,
        "示范市卫生健康委员会": 7,
        "示范市东城区市场监督管理局": 4,
        "示范市教育局": 3,
    }
    # Four eyes at the city: the demo catalogue admin submits, the second one publishes.
    assert {item.published_by.username for item in city} == {"reviewer"}
    # Every base item is implemented once at the city, with the city's local elements.
    assert len({item.basic_code for item in city}) == 38
    assert {item.location for item in city} == {"示范市政务服务中心一楼综合受理区（A01–A04 综合窗口）"}
    assert Counter(item.item_type for item in city) == {"01": 30, "07": 2, "20": 3, "10": 2, "05": 1}


def test_every_implementation_code_is_credit_code_level_and_basic_code():
    for item in _implementations().select_related("lineage__base"):
        expected = f"{item.department.credit_code}{item.level}{item.basic_code}"
        assert item.implementation_code == expected
        assert item.lineage.code == expected
        assert item.lineage.base.code == item.basic_code
        assert len(item.basic_code) == 12 and item.basic_code.isdigit()
        assert item.level == item.department.centre.level  # an implementation acts at its centre's level
    county_food = ServiceItem.objects.get(
        name="食品经营许可", department__name="示范市东城区市场监督管理局", state=ItemState.PUBLISHED
    )
    assert county_food.implementation_code == "11350104004001019G4000117010000"


def test_items_have_plausible_elements():
    items = list(selectors.item_with_lists(selectors.published_items()))
    for item in items:
        assert 4 <= len(item.materials.all()) <= 8, item.name
        assert 3 <= len(item.steps.all()) <= 5, item.name
        assert item.promised_limit_days <= item.legal_limit_days, item.name
        if item.is_immediate:
            assert item.promised_limit_days == 0, item.name
        assert item.is_charged == bool(item.fees.all()), item.name
        assert "《" in item.legal_basis and "第" in item.legal_basis, item.name
    by_name = {item.name: item for item in items if item.lineage.kind == ItemKind.BASE}
    food = by_name["食品经营许可"]
    assert food.special_procedures == ["site_survey"]
    assert (food.legal_limit_days, food.promised_limit_days, food.max_extension_days) == (10, 5, 5)
    assert food.result_licence_type.name == "食品经营许可证"
    assert [m.material.name for m in food.materials.all() if m.necessity == Necessity.DEFERRABLE] == [
        "从业人员健康证明"
    ]
    assert by_name["个体工商户设立登记"].handling_type == "1"
    assert [fee.name for fee in by_name["城市道路占用、挖掘审批"].fees.all()] == [
        "城市道路占用费",
        "城市道路挖掘修复费",
    ]
    assert sum(item.is_charged for item in by_name.values()) == 1
    assert FaqEntry.objects.filter(item__lineage__kind=ItemKind.BASE).count() == 6


def test_materials_replaceable_by_certificates_name_their_types():
    replaceable = dict(
        Material.objects.filter(licence_type__isnull=False).values_list("name", "licence_type__name")
    )
    assert replaceable == {
        "居民身份证": "居民身份证",
        "营业执照": "营业执照",
        "经营场所使用证明（产权证明或租赁合同）": "不动产权证书",
        "不动产权证书": "不动产权证书",
        "医师执业证书": "医师执业证书",
        "医疗机构执业许可证": "医疗机构执业许可证",
        "设置医疗机构批准书": "设置医疗机构批准书",
        "建设工程消防验收意见书或备案凭证": "特殊建设工程消防验收意见书",
        "教师资格证书": "教师资格证书",
        "建设工程规划许可证": "建设工程规划许可证",
    }
    # The business licence the registration item issues is the one later items accept instead of paper.
    registration = ServiceItem.objects.get(name="企业设立登记", lineage__kind=ItemKind.BASE)
    assert Material.objects.get(code="business_licence").licence_type == registration.result_licence_type
    assert (
        ItemMaterial.objects.filter(
            item__lineage__kind=ItemKind.BASE, material__code="business_licence"
        ).count()
        == 23
    )
    assert Material.objects.count() == 41
    assert LicenceType.objects.count() == 25


def test_bundles_merge_their_items_materials():
    bundles = {bundle.name: bundle for bundle in selectors.published_bundles()}
    assert set(bundles) == {"我要开饭店", "我要开诊所", "我要办培训机构", "我要开药店"}
    expected_items = {
        "我要开饭店": ["企业设立登记", "食品经营许可", "公共场所卫生许可", "城镇污水排入排水管网许可"],
        "我要开诊所": ["企业设立登记", "医疗机构执业登记", "医师执业注册", "城镇污水排入排水管网许可"],
        "我要办培训机构": ["企业设立登记", "民办学校办学许可（文化教育类培训机构）", "单位参加社会保险登记"],
        "我要开药店": ["企业设立登记", "药品经营许可（零售）", "食品经营许可"],
    }
    sizes = {}
    for name, bundle in bundles.items():
        assert bundle.centre == _city()
        items = selectors.bundle_items(bundle)
        assert [item.name for item in items] == expected_items[name]
        assert all(item.lineage.centre == _city() and item.state == ItemState.PUBLISHED for item in items)
        # The whole filing in the time of its longest item (each case runs on its own item's limit).
        assert bundle.promised_limit_days == max(item.promised_limit_days for item in items)
        assert bundle.promised_limit_days <= max(item.legal_limit_days for item in items)
        checklist = selectors.merged_checklist(items)
        material_ids = [entry.material.pk for entry in checklist]
        assert len(material_ids) == len(set(material_ids))
        listed = sum(len(item.materials.all()) for item in items)
        assert len(checklist) < listed
        sizes[name] = (listed, len(checklist))
    assert {name: bundle.promised_limit_days for name, bundle in bundles.items()} == {
        "我要开饭店": 5,
        "我要开诊所": 20,
        "我要办培训机构": 30,
        "我要开药店": 10,
    }
    assert sizes == {
        "我要开饭店": (26, 14),
        "我要开诊所": (25, 17),
        "我要办培训机构": (18, 12),
        "我要开药店": (20, 11),
    }

    restaurant = {
        e.material.name: e for e in selectors.merged_checklist(selectors.bundle_items(bundles["我要开饭店"]))
    }
    assert len(restaurant["营业执照"].items) == 3
    assert len(restaurant["法定代表人（负责人）身份证明"].items) == 4
    # Deferrable for the food licence, required for the hygiene licence: the bundle asks for it.
    assert restaurant["从业人员健康证明"].necessity == Necessity.REQUIRED
    assert restaurant["卫生检测（评价）报告"].necessity == Necessity.DEFERRABLE
    assert restaurant["营业执照"].replaceable_by.name == "营业执照"


def test_the_consistency_report_shows_only_the_deliberate_county_difference():
    findings = selectors.consistency_report()
    assert len(findings) == 1
    finding = findings[0]
    assert finding.implementation.department.name == "示范市东城区市场监督管理局"
    assert finding.implementation.basic_code == "000117010000"
    assert [d.element for d in finding.differences] == ["legal_basis"]
    assert finding.differences[0].right == "《中华人民共和国食品安全法》第三十五条"
    assert selectors.consistency_report(centre_id=_city().pk) == []
    county = ServiceCentre.objects.get(level="4")
    assert ItemLineage.objects.filter(kind=ItemKind.IMPLEMENTATION, centre=county).count() == 4


def _snapshot():
    counts = {model.__name__: model.objects.count() for model in CATALOGUE_MODELS}
    # The catalogue's history only: each run gives the demo's unpaired evaluation pad a new pairing
    # code, logged on the pad.
    counts["TransitionLog"] = TransitionLog.objects.filter(content_type__app_label="catalogue").count()
    versions = set(ServiceItem.objects.values_list("lineage__kind", "lineage__code", "version", "state"))
    bundles = set(Bundle.objects.values_list("code", "state", "promised_limit_days"))
    return counts, versions, bundles


def test_seed_demo_twice_changes_nothing_and_keeps_admins_edits():
    first = _snapshot()
    assert first[0]["ServiceItem"] == 80 and first[0]["Bundle"] == 4
    output = _seed()
    assert "new this run: 0 items, 0 implementations, 0 bundles" in output
    assert _snapshot() == first

    # A catalogue admin publishes a second version of a city implementation: seeding leaves it alone.
    city_food = ServiceItem.objects.get(
        name="食品经营许可", department__name="示范市市场监督管理局", state=ItemState.PUBLISHED
    )
    draft = services.start_new_version(lineage_id=city_food.lineage_id, change_note="调整咨询电话")
    services.update_draft(item_id=draft.pk, values={"consultation_phone": "0591-87660000"})
    services.submit_for_review(item_id=draft.pk)
    services.publish(item_id=draft.pk)
    edited = _snapshot()
    _seed()
    assert _snapshot() == edited
    assert city_food.lineage.versions.get(state=ItemState.PUBLISHED).version == 2


def test_bundle_is_skipped_when_it_exists_but_reference_rows_are_restored():
    Bundle.objects.filter(code="YJS-KFD").update(state=BundleState.RETIRED)
    Material.objects.filter(code="id_card").update(name="身份证")
    _seed()
    assert Bundle.objects.get(code="YJS-KFD").state == BundleState.RETIRED
    assert Bundle.objects.filter(state=BundleState.PUBLISHED).count() == 3
    assert Material.objects.get(code="id_card").name == "居民身份证"
    assert Department.objects.count() == 6
