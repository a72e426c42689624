"""Bulk import of the catalogue: all or nothing, every problem reported by sheet, row and column."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.audit.models import TransitionLog
from apps.catalogue import services
from apps.catalogue.codes import ItemKind, ItemState, MaterialForm, MaterialType, Necessity
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
from apps.catalogue.services import ItemChildren
from apps.catalogue.transfer.exporter import catalogue_rows, export_catalogue
from apps.catalogue.transfer.importer import ImportFailed, import_catalogue
from apps.catalogue.transfer.readers import read_workbook
from apps.catalogue.transfer.writers import write_workbook
from tests.factories.accounts import DepartmentFactory, ServiceCentreFactory, UserFactory
from tests.factories.catalogue import (
    ApprovalCategoryFactory,
    BundleFactory,
    LicenceTypeFactory,
    MaterialFactory,
    make_item,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_MODELS = (
    Material,
    ItemLineage,
    ServiceItem,
    ItemMaterial,
    FeeItem,
    ProcessStep,
    FaqEntry,
    Bundle,
    BundleItem,
    TransitionLog,
)


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOGUE_MODELS}


def sheet_rows(data: bytes, fmt: str = "xlsx") -> dict[str, list[dict]]:
    """A workbook's data rows as the reader sees them, for comparing two workbooks by meaning."""
    return {name: [row.values for row in sheet.rows] for name, sheet in read_workbook(data, fmt).items()}


def excel_row(index: int) -> int:
    """The Excel row number of the data row at ``index`` (two header rows come first)."""
    return index + 3


def errors_of(failed: pytest.ExceptionInfo) -> set[tuple[str, int, str, str]]:
    return {(e.sheet, e.row, e.column, e.code) for e in failed.value.report.errors}


def refused(rows: dict, fmt: str = "xlsx", **options) -> pytest.ExceptionInfo:
    before = table_counts()
    with pytest.raises(ImportFailed) as failed:
        import_catalogue(write_workbook(rows, fmt), fmt=fmt, **options)
    assert table_counts() == before, "a refused import must write nothing"
    return failed


def row_of(rows: dict, sheet: str, **match) -> tuple[int, dict]:
    for index, row in enumerate(rows[sheet]):
        if all(row[key] == value for key, value in match.items()):
            return index, row
    raise AssertionError(f"no row {match} on {sheet}")


@pytest.fixture
def hall():
    centre = ServiceCentreFactory(name="示范市政务服务中心")
    return SimpleNamespace(
        centre=centre,
        market=DepartmentFactory(centre=centre, name="示范市市场监督管理局"),
        health=DepartmentFactory(centre=centre, name="示范市卫生健康委员会"),
        category=ApprovalCategoryFactory(code="market", name="市场准入"),
        other_category=ApprovalCategoryFactory(code="culture_health", name="文教卫生"),
        licence=LicenceTypeFactory(code="11100000000013338W001", name="食品经营许可证"),
    )


@pytest.fixture
def catalogue(hall):
    """A base item with an implementation, a second implementation, a published bundle of the two
    implementations, a draft bundle, and a material no item uses."""
    id_card = MaterialFactory(code="M-ID", name="居民身份证", licence_type=hall.licence)
    form = MaterialFactory(code="M-FORM", name="申请书", material_type=MaterialType.FORM)
    plan = MaterialFactory(code="M-PLAN", name="平面图")
    MaterialFactory(code="M-UNUSED", name="未使用材料")

    def children(*materials):
        return ItemChildren(
            materials=[
                {
                    "material": m,
                    "original_count": 1,
                    "copy_count": n,
                    "necessity": Necessity.REQUIRED if n == 0 else Necessity.DEFERRABLE,
                    "form": MaterialForm.BOTH,
                    "acceptance_standard": f"标准{n}",
                    "e_certificate_accepted": n == 0,
                }
                for n, m in enumerate(materials)
            ],
            fees=[{"name": "工本费", "standard": "10元/件", "basis": "发改价格〔2019〕1号"}],
            steps=[{"name": "受理", "description": "窗口受理"}, {"name": "审查"}, {"name": "决定"}],
            faqs=[{"question": "需要本人到场吗？", "answer": "需要。"}],
        )

    base = make_item(
        kind=ItemKind.BASE,
        name="食品经营许可",
        approval_category=hall.category,
        is_charged=True,
        special_procedures=["expert_review", "hearing"],
        children=children(id_card, form, plan),
    )
    implementation = make_item(
        department=hall.market,
        base=base.lineage,
        basic_code=base.basic_code,
        name="食品经营许可",
        approval_category=hall.category,
        result_licence_type=hall.licence,
        children=children(id_card, form),
        location="A区3号窗口",
    )
    other = make_item(
        department=hall.health,
        name="公共场所卫生许可",
        approval_category=hall.other_category,
        legal_limit_days=15,
        promised_limit_days=5,
        children=children(form, id_card),
    )
    bundle = services.save_bundle(
        values={
            "code": "B-FOOD",
            "name": "我要开餐馆",
            "centre": hall.centre,
            "promised_limit_days": 10,
        },
        lineage_ids=[implementation.lineage_id, other.lineage_id],
    )
    bundle = services.publish_bundle(bundle_id=bundle.pk)
    draft = BundleFactory(code="B-DRAFT", name="我要开药店", centre=hall.centre)
    BundleItem.objects.create(bundle=draft, lineage=other.lineage, order=0)
    return SimpleNamespace(
        hall=hall, base=base, implementation=implementation, other=other, bundle=bundle, draft=draft
    )


def wipe_catalogue() -> None:
    BundleItem.objects.all().delete()
    Bundle.objects.all().delete()
    ServiceItem.objects.all().delete()
    ItemLineage.objects.filter(kind=ItemKind.IMPLEMENTATION).delete()
    ItemLineage.objects.all().delete()
    Material.objects.all().delete()


# --- round trip and idempotence ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_import_into_an_empty_catalogue_export_again_gives_the_same_rows(catalogue, fmt):
    first = export_catalogue(fmt=fmt)
    wipe_catalogue()
    assert ServiceItem.objects.count() == 0

    report = import_catalogue(first, fmt=fmt, publish=True)

    assert (report.counts["items"].created, report.counts["items"].updated) == (3, 0)
    assert report.counts["materials"].created == 4
    assert report.counts["item_materials"].created == 7
    assert (report.counts["bundles"].created, report.counts["bundle_items"].created) == (2, 3)
    assert report.published == 3
    assert sheet_rows(export_catalogue(fmt=fmt), fmt) == sheet_rows(first, fmt)
    implementation = ServiceItem.objects.get(implementation_code=catalogue.implementation.implementation_code)
    assert implementation.state == ItemState.PUBLISHED
    assert implementation.lineage.base.code == catalogue.base.basic_code
    assert implementation.lineage.centre == catalogue.hall.centre
    assert implementation.special_procedures == []
    assert ServiceItem.objects.get(basic_code=catalogue.base.basic_code, lineage__kind="base").serves == [
        "1",
        "2",
    ]
    assert list(Bundle.objects.get(code="B-FOOD").entries.values_list("lineage__code", flat=True)) == [
        catalogue.implementation.implementation_code,
        catalogue.other.implementation_code,
    ]


@pytest.mark.parametrize("publish", [True, False])
def test_importing_an_export_again_changes_nothing(catalogue, publish):
    data = export_catalogue()
    before = table_counts()

    report = import_catalogue(data, publish=publish)

    assert table_counts() == before
    counts = report.counts
    assert (counts["items"].created, counts["items"].updated, counts["items"].unchanged) == (0, 0, 3)
    assert (counts["materials"].created, counts["materials"].updated, counts["materials"].unchanged) == (
        0,
        0,
        4,
    )
    assert (counts["bundles"].updated, counts["bundles"].unchanged) == (0, 2)
    assert report.published == 0


def test_drafts_imported_twice_stay_one_draft_and_publishing_them_logs_the_transitions(hall):
    rows = _new_item_rows(hall)
    data = write_workbook(rows, "xlsx")

    first = import_catalogue(data, publish=False)
    second = import_catalogue(data, publish=False)

    assert first.counts["items"].created == 1
    assert second.counts["items"].unchanged == 1
    item = ServiceItem.objects.get()
    assert (item.version, item.state) == (1, ItemState.DRAFT)

    actor = UserFactory()
    third = import_catalogue(data, publish=True, actor=actor)

    assert third.counts["items"].updated == 1
    item.refresh_from_db()
    assert (ServiceItem.objects.count(), item.state, item.published_by) == (1, ItemState.PUBLISHED, actor)
    logged = list(
        TransitionLog.objects.filter(object_id=str(item.pk), context__source="catalogue_import").values_list(
            "transition", "actor"
        )
    )
    assert logged == [("submit_for_review", actor.pk), ("publish", actor.pk)]


def _new_item_rows(hall) -> dict:
    """Rows of one new implementation with one material, made by exporting one and removing it."""
    make_item(department=hall.market, approval_category=hall.category)
    rows = catalogue_rows()
    rows["bundles"], rows["bundle_items"] = [], []
    wipe_catalogue()
    return rows


# --- new versions -----------------------------------------------------------------------------------


def test_publish_makes_a_new_version_supersedes_the_old_one_and_logs_it(catalogue):
    rows = catalogue_rows()
    code = catalogue.other.implementation_code
    index, row = row_of(rows, "items", implementation_code=code)
    row["promised_limit_days"] = 3
    actor = UserFactory()

    report = import_catalogue(write_workbook(rows, "xlsx"), publish=True, actor=actor)

    assert (report.counts["items"].updated, report.counts["items"].unchanged) == (1, 2)
    assert (report.published, report.superseded) == (1, 1)
    versions = {v.version: v for v in ServiceItem.objects.filter(lineage=catalogue.other.lineage)}
    assert (versions[1].state, versions[2].state) == (ItemState.SUPERSEDED, ItemState.PUBLISHED)
    assert versions[2].promised_limit_days == 3
    assert versions[2].materials.count() == 2 and versions[2].steps.count() == 3
    assert versions[1].materials.count() == 2, "the old version keeps its lists"
    log = TransitionLog.objects.filter(context__source="catalogue_import").order_by("pk")
    assert [(e.object_id, e.transition, e.from_state, e.to_state) for e in log] == [
        (str(versions[2].pk), "submit_for_review", "draft", "in_review"),
        (str(versions[1].pk), "supersede", "published", "superseded"),
        (str(versions[2].pk), "publish", "in_review", "published"),
    ]
    assert log[1].context["superseded_by"] == 2
    assert all(entry.actor == actor for entry in log)
    # The bundle still offers the item: it names the lineage, whose published version is now v2.
    services.check_bundle(catalogue.bundle, [catalogue.implementation.lineage, catalogue.other.lineage])


def test_without_publish_a_change_becomes_one_draft_which_later_changes_overwrite(catalogue):
    rows = catalogue_rows()
    _index, row = row_of(rows, "items", implementation_code=catalogue.other.implementation_code)
    row["name"] = "公共场所卫生许可（新）"
    import_catalogue(write_workbook(rows, "xlsx"))
    row["conditions"] = "新的受理条件。"
    del rows["steps"][-1]  # the last step row belongs to the last item, "other"

    report = import_catalogue(write_workbook(rows, "xlsx"))

    versions = {v.version: v for v in ServiceItem.objects.filter(lineage=catalogue.other.lineage)}
    assert set(versions) == {1, 2}
    assert (versions[1].state, versions[2].state) == (ItemState.PUBLISHED, ItemState.DRAFT)
    assert (versions[2].name, versions[2].conditions) == ("公共场所卫生许可（新）", "新的受理条件。")
    assert list(versions[2].steps.values_list("name", flat=True)) == ["受理", "审查"]
    assert report.counts["items"].updated == 1
    assert not TransitionLog.objects.filter(context__source="catalogue_import").exists()


def test_a_version_in_review_is_refused_not_overwritten(catalogue):
    draft = services.start_new_version(lineage_id=catalogue.other.lineage_id)
    services.submit_for_review(item_id=draft.pk)
    rows = catalogue_rows()
    index, row = row_of(rows, "items", implementation_code=catalogue.other.implementation_code)
    row["hours"] = "周一至周五"

    failed = refused(rows)

    assert errors_of(failed) == {("items", excel_row(index), "implementation_code", "in_review")}


def test_a_new_version_keeps_the_files_of_the_version_it_replaces(catalogue):
    item = catalogue.implementation
    ServiceItem.objects.filter(pk=item.pk).update(result_sample="catalogue/results/sample.pdf")
    ItemMaterial.objects.filter(item=item, material__code="M-ID").update(blank_form="catalogue/forms/id.pdf")
    rows = catalogue_rows()
    _index, row = row_of(rows, "items", implementation_code=item.implementation_code)
    row["hours"] = "周一至周六"

    import_catalogue(write_workbook(rows, "xlsx"), publish=True)

    new = ServiceItem.objects.get(lineage=item.lineage, version=2)
    assert new.result_sample.name == "catalogue/results/sample.pdf"
    assert new.materials.get(material__code="M-ID").blank_form.name == "catalogue/forms/id.pdf"
    assert new.materials.get(material__code="M-FORM").blank_form.name == ""


def test_materials_and_bundles_are_updated_by_code(catalogue):
    rows = catalogue_rows()
    _index, material = row_of(rows, "materials", code="M-PLAN")
    material["name"] = "平面布局图"
    _index, bundle = row_of(rows, "bundles", code="B-DRAFT")
    bundle["promised_limit_days"] = 4
    rows["bundle_items"].append(
        {"bundle_code": "B-DRAFT", "item_code": catalogue.implementation.code, "order": 1}
    )

    report = import_catalogue(write_workbook(rows, "xlsx"))

    assert (report.counts["materials"].updated, report.counts["materials"].unchanged) == (1, 3)
    assert (report.counts["bundles"].updated, report.counts["bundles"].unchanged) == (1, 1)
    assert Material.objects.get(code="M-PLAN").name == "平面布局图"
    draft = Bundle.objects.get(code="B-DRAFT")
    assert draft.promised_limit_days == 4
    assert list(draft.entries.values_list("lineage__code", flat=True)) == [
        catalogue.other.code,
        catalogue.implementation.code,
    ]


def test_publishing_a_bundle_by_import_logs_its_transition(catalogue):
    rows = catalogue_rows()
    _index, bundle = row_of(rows, "bundles", code="B-DRAFT")
    bundle["state"] = "published"
    bundle["promised_limit_days"] = 10  # no shorter than its items' (the bundle rules)
    rows["bundle_items"].append(
        {"bundle_code": "B-DRAFT", "item_code": catalogue.implementation.code, "order": 1}
    )

    import_catalogue(write_workbook(rows, "xlsx"))

    draft = Bundle.objects.get(code="B-DRAFT")
    assert draft.state == BundleState.PUBLISHED
    entry = TransitionLog.objects.get(object_id=str(draft.pk), context__source="catalogue_import")
    # Named as the service's transition is: publish.
    assert (entry.transition, entry.from_state, entry.to_state) == ("publish", "draft", "published")


def test_an_import_moves_a_bundle_only_along_its_graph(catalogue):
    """Published goes to retired, never back to a draft: the state cell is refused, nothing written."""
    rows = catalogue_rows()
    index, bundle = row_of(rows, "bundles", code="B-FOOD")
    bundle["state"] = "draft"
    failed = refused(rows)
    assert ("bundles", excel_row(index), "state", "state_change") in errors_of(failed)
    assert Bundle.objects.get(code="B-FOOD").state == BundleState.PUBLISHED

    bundle["state"] = "retired"
    import_catalogue(write_workbook(rows, "xlsx"))
    retired = Bundle.objects.get(code="B-FOOD")
    assert retired.state == BundleState.RETIRED
    entry = TransitionLog.objects.get(object_id=str(retired.pk), context__source="catalogue_import")
    assert (entry.transition, entry.from_state, entry.to_state) == ("retire", "published", "retired")


# --- refusals ---------------------------------------------------------------------------------------


def test_several_bad_rows_on_several_sheets_are_all_reported_and_nothing_is_written(catalogue):
    rows = catalogue_rows()
    base_index, base = row_of(rows, "items", kind="base")
    base["promised_limit_days"] = 30  # legal limit is 20
    other_index, other = row_of(rows, "items", implementation_code=catalogue.other.code)
    other["approval_category"] = "no_such_category"
    material_index, material = row_of(rows, "materials", code="M-PLAN")
    material["material_type"] = "photo"
    requirement_index = len(rows["item_materials"])
    rows["item_materials"].append({**rows["item_materials"][0], "material_code": "M-NOPE", "order": 9})
    fee_index = 0
    rows["fees"][0]["name"] = ""
    entry_index, entry = row_of(rows, "bundle_items", bundle_code="B-FOOD")
    entry["item_code"] = "000000000000"
    bundle_index, _bundle = row_of(rows, "bundles", code="B-FOOD")

    failed = refused(rows)

    assert errors_of(failed) == {
        ("items", excel_row(base_index), "promised_limit_days", "promised_above_legal"),
        ("items", excel_row(other_index), "approval_category", "unknown_category"),
        ("materials", excel_row(material_index), "material_type", "unknown_code"),
        ("item_materials", excel_row(requirement_index), "material_code", "unknown_material"),
        ("fees", excel_row(fee_index), "name", "blank"),
        ("bundle_items", excel_row(entry_index), "item_code", "unknown_item"),
        ("bundles", excel_row(bundle_index), "", "too_few_items"),
    }
    messages = {e.code: e.message for e in failed.value.report.errors}
    assert "30" in messages["promised_above_legal"] and "20" in messages["promised_above_legal"]
    assert "no_such_category" in messages["unknown_category"]
    assert "photo" in messages["unknown_code"] and "certificate" in messages["unknown_code"]


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("basic_code", "12345", "basic_code_format"),
        ("item_type", "1", "unknown_code"),
        ("serves", "1,9", "unknown_code"),
        ("legal_limit_days", "twenty", "not_integer"),
        ("is_charged", "maybe", "not_boolean"),
        ("consultation_phone", "call us", "invalid"),
    ],
)
def test_an_invalid_code_or_value_is_refused_naming_the_column(catalogue, column, value, code):
    rows = catalogue_rows()
    index, row = row_of(rows, "items", kind="base")
    row[column] = value

    failed = refused(rows)

    assert ("items", excel_row(index), column, code) in errors_of(failed)
    # Only that row of the items sheet is wrong (with another basic code, its lists name no item).
    assert {e.row for e in failed.value.report.errors if e.sheet == "items"} == {excel_row(index)}


def test_an_implementation_code_that_does_not_match_its_department_is_refused(catalogue):
    rows = catalogue_rows()
    index, row = row_of(rows, "items", implementation_code=catalogue.other.code)
    row["implementation_code"] = catalogue.hall.market.credit_code + "3" + row["basic_code"]

    failed = refused(rows, publish=True)

    error = failed.value.report.errors[0]
    assert (error.sheet, error.row, error.column, error.code) == (
        "items",
        excel_row(index),
        "implementation_code",
        "implementation_code_mismatch",
    )
    assert catalogue.other.code in error.message


def test_a_malformed_implementation_code_is_refused(catalogue):
    rows = catalogue_rows()
    index, row = row_of(rows, "items", implementation_code=catalogue.other.code)
    row["implementation_code"] = "ABC"

    failed = refused(rows)

    assert ("items", excel_row(index), "implementation_code", "implementation_code_format") in errors_of(
        failed
    )


def test_a_promised_limit_above_the_legal_one_is_refused(hall):
    rows = _new_item_rows(hall)
    rows["items"][0].update(legal_limit_days=10, promised_limit_days=12)

    failed = refused(rows)

    assert errors_of(failed) == {("items", 3, "promised_limit_days", "promised_above_legal")}


def test_an_unknown_department_is_refused_with_its_credit_code(hall):
    rows = _new_item_rows(hall)
    rows["items"][0]["department"] = "91350100M000100Y43"
    rows["items"][0]["implementation_code"] = ""

    failed = refused(rows)

    assert ("items", 3, "department", "unknown_department") in errors_of(failed)
    assert "91350100M000100Y43" in failed.value.report.errors[0].message


def test_a_published_bundle_with_a_retired_item_is_refused_on_that_row(catalogue):
    services.retire_bundle(bundle_id=catalogue.bundle.pk)  # a published bundle's item cannot retire
    services.retire(item_id=catalogue.other.pk)
    rows = catalogue_rows()
    # A new bundle: the retired one is not published again (retired is final in its graph).
    rows["bundles"].append(
        {
            "code": "B-FOOD-2",
            "name": "我要开餐馆",
            "centre": catalogue.hall.centre.name,
            "promised_limit_days": 10,
            "description": "",
            "state": "published",
        }
    )
    rows["bundle_items"] += [
        {"bundle_code": "B-FOOD-2", "item_code": catalogue.implementation.code, "order": 0},
        {"bundle_code": "B-FOOD-2", "item_code": catalogue.other.code, "order": 1},
    ]

    failed = refused(rows, publish=True)

    retired_row = excel_row(len(rows["bundle_items"]) - 1)
    assert errors_of(failed) == {("bundle_items", retired_row, "item_code", "item_not_published")}
    assert catalogue.other.code in failed.value.report.errors[0].message


def test_a_bundle_of_items_the_same_file_publishes_is_accepted(hall):
    rows = _two_new_items_with_a_bundle(hall)

    refused(rows, publish=False)  # drafts cannot be in a published bundle
    report = import_catalogue(write_workbook(rows, "xlsx"), publish=True)

    assert report.counts["bundles"].created == 1
    assert Bundle.objects.get().state == BundleState.PUBLISHED


def _two_new_items_with_a_bundle(hall) -> dict:
    first = make_item(department=hall.market, approval_category=hall.category)
    second = make_item(department=hall.health, approval_category=hall.category)
    rows = catalogue_rows()
    wipe_catalogue()
    rows["bundles"] = [
        {
            "code": "B-NEW",
            "name": "新一件事",
            "centre": hall.centre.name,
            "promised_limit_days": 10,
            "description": "",
            "state": "published",
        }
    ]
    rows["bundle_items"] = [
        {"bundle_code": "B-NEW", "item_code": first.code, "order": 0},
        {"bundle_code": "B-NEW", "item_code": second.code, "order": 1},
    ]
    return rows


def test_duplicate_basic_codes_in_one_file_are_refused(catalogue):
    rows = catalogue_rows()
    _index, base = row_of(rows, "items", kind="base")
    rows["items"].append({**base, "name": "重复的事项"})

    failed = refused(rows)

    assert errors_of(failed) == {("items", excel_row(len(rows["items"]) - 1), "basic_code", "duplicate_code")}
    assert str(excel_row(_index)) in failed.value.report.errors[0].message


def test_list_rows_of_an_item_not_in_the_file_are_refused(catalogue):
    rows = catalogue_rows()
    rows["steps"].append({"item_code": "999999999999", "order": 0, "name": "受理", "description": ""})

    failed = refused(rows)

    assert errors_of(failed) == {("steps", excel_row(len(rows["steps"]) - 1), "item_code", "unknown_item")}


def test_publishing_needs_steps_and_a_charged_item_needs_fees(hall):
    rows = _new_item_rows(hall)
    rows["steps"] = []
    rows["items"][0]["is_charged"] = True

    import_catalogue(write_workbook(rows, "xlsx"))  # drafts may be incomplete
    failed = refused(rows, publish=True)

    assert errors_of(failed) == {("items", 3, "", "no_steps"), ("items", 3, "is_charged", "no_fees")}


def test_header_problems_and_unknown_sheets_are_refused(catalogue):
    data = export_catalogue()
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    workbook["items"]["B1"] = "basiccode"
    workbook.create_sheet("notes")["A1"] = "hello"
    buffer = io.BytesIO()
    workbook.save(buffer)

    failed = refused_bytes(buffer.getvalue())

    assert errors_of(failed) == {
        ("items", 1, "basiccode", "unknown_column"),
        ("items", 1, "basic_code", "missing_column"),
        ("notes", 0, "", "unknown_sheet"),
    }


def test_error_rows_are_numbered_as_excel_shows_them_blank_rows_included(hall):
    rows = _new_item_rows(hall)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(write_workbook(rows, "xlsx")))
    items = workbook["items"]
    items.insert_rows(3, amount=2)  # two blank rows before the item, which moves to row 5
    items.cell(row=5, column=rows_columns("items").index("promised_limit_days") + 1, value=99)
    buffer = io.BytesIO()
    workbook.save(buffer)

    failed = refused_bytes(buffer.getvalue())

    assert errors_of(failed) == {("items", 5, "promised_limit_days", "promised_above_legal")}


def rows_columns(sheet: str) -> list[str]:
    from apps.catalogue.transfer.tables import SHEETS_BY_KEY

    return SHEETS_BY_KEY[sheet].keys


def refused_bytes(data: bytes, fmt: str = "xlsx") -> pytest.ExceptionInfo:
    before = table_counts()
    with pytest.raises(ImportFailed) as failed:
        import_catalogue(data, fmt=fmt)
    assert table_counts() == before
    return failed


def test_a_file_that_is_not_a_workbook_is_refused():
    failed = refused_bytes(b"not a workbook")

    assert errors_of(failed) == {("", 0, "", "unreadable")}


def test_csv_zip_errors_are_reported_too_and_gbk_csv_is_read(catalogue):
    rows = catalogue_rows()
    index, row = row_of(rows, "items", kind="base")
    row["level"] = "8"
    data = write_workbook(rows, "csv")
    archive = zipfile.ZipFile(io.BytesIO(data))
    rewritten = io.BytesIO()
    with zipfile.ZipFile(rewritten, "w") as target:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8-sig")
            target.writestr(name, text.encode("gb18030"))  # as Excel on a Chinese system saves CSV

    failed = refused_bytes(rewritten.getvalue(), fmt="csv")

    assert errors_of(failed) == {("items", excel_row(index), "level", "unknown_code")}


# --- the sample workbook and the commands ---------------------------------------------------------------


def test_the_sample_workbook_in_docs_imports_into_the_demo_hall():
    centre = ServiceCentreFactory(name="示范市政务服务中心")
    DepartmentFactory(centre=centre, credit_code="11350100003001017A", name="示范市市场监督管理局")
    DepartmentFactory(centre=centre, credit_code="113501000030010255", name="示范市卫生健康委员会")
    for code in ("market", "investment", "social", "agriculture", "culture_health"):
        ApprovalCategory.objects.create(code=code, name=code)

    report = import_catalogue(ROOT / "docs" / "catalogue-sample.xlsx", publish=True)

    assert report.counts["items"].created == 3
    assert report.counts["bundles"].created == 1
    kinds = sorted(ItemLineage.objects.values_list("kind", flat=True))
    assert kinds == ["base", "implementation", "implementation"]
    assert ServiceItem.objects.filter(state=ItemState.PUBLISHED).count() == 3
    implementation = ItemLineage.objects.get(kind="implementation", base__isnull=False)
    assert implementation.code.startswith("11350100003001017A3")


def test_the_sample_workbook_is_what_its_script_makes():
    from docs.make_catalogue_sample import sample_rows

    assert sheet_rows((ROOT / "docs" / "catalogue-sample.xlsx").read_bytes()) == sheet_rows(
        write_workbook(sample_rows(), "xlsx")
    )


def test_the_commands_export_and_import(catalogue, tmp_path, capsys):
    path = tmp_path / "catalogue.zip"
    call_command("export_catalogue", str(path))
    wipe_catalogue()
    user = UserFactory(username="catalogue-admin")

    with translation.override("en"):
        call_command("import_catalogue", str(path), "--publish", "--actor", user.username)

    out = capsys.readouterr().out
    assert "items: 3 created, 0 updated, 0 unchanged" in out
    assert ServiceItem.objects.filter(state=ItemState.PUBLISHED, published_by=user).count() == 3


def test_the_import_command_lists_every_problem_and_fails(catalogue, tmp_path, capsys):
    rows = catalogue_rows()
    rows["items"][0]["promised_limit_days"] = 99
    path = tmp_path / "bad.xlsx"
    path.write_bytes(write_workbook(rows, "xlsx"))

    with translation.override("en"), pytest.raises(CommandError, match="1 problem"):
        call_command("import_catalogue", str(path))

    err = capsys.readouterr().err
    assert "items" in err and "row 3" in err and "promised_limit_days" in err


def test_a_deleted_label_row_is_refused_rather_than_losing_the_first_data_row(hall):
    rows = _new_item_rows(hall)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(write_workbook(rows, "xlsx")))
    workbook["items"].delete_rows(2)  # the item's row moves up into the labels' place
    buffer = io.BytesIO()
    workbook.save(buffer)

    failed = refused_bytes(buffer.getvalue())

    assert errors_of(failed) == {("items", 2, "kind", "label_row")}


def test_labels_in_english_are_accepted_too(hall):
    rows = _new_item_rows(hall)
    with translation.override("en"):
        data = write_workbook(rows, "xlsx")

    report = import_catalogue(data)

    assert report.counts["items"].created == 1


def test_a_blank_implementation_code_is_derived_from_credit_code_level_and_basic_code(hall):
    rows = _new_item_rows(hall)
    code = rows["items"][0]["implementation_code"]
    rows["items"][0]["implementation_code"] = ""

    import_catalogue(write_workbook(rows, "xlsx"))

    item = ServiceItem.objects.get()
    assert item.implementation_code == code == hall.market.credit_code + "3" + item.basic_code
    assert item.lineage.code == code


def test_a_material_name_another_material_has_is_refused(catalogue):
    rows = catalogue_rows()
    rows["materials"] = [row for row in rows["materials"] if row["code"] != "M-PLAN"]
    index, material = row_of(rows, "materials", code="M-UNUSED")
    material["name"] = "平面图"  # the name of M-PLAN, which the file leaves as it is

    failed = refused(rows)

    assert errors_of(failed) == {("materials", excel_row(index), "name", "name_taken")}


def test_with_publish_an_open_draft_is_overwritten_and_published(catalogue):
    draft = services.start_new_version(lineage_id=catalogue.other.lineage_id)
    services.update_draft(item_id=draft.pk, values={"hours": "草稿里的时间"})
    rows = catalogue_rows()
    _index, row = row_of(rows, "items", implementation_code=catalogue.other.code)
    row["hours"] = "文件里的时间"

    report = import_catalogue(write_workbook(rows, "xlsx"), publish=True)

    assert (report.counts["items"].updated, report.published, report.superseded) == (1, 1, 1)
    versions = {v.version: v for v in ServiceItem.objects.filter(lineage=catalogue.other.lineage)}
    assert set(versions) == {1, 2}, "the draft is the new version; no third one"
    assert (versions[1].state, versions[2].state) == (ItemState.SUPERSEDED, ItemState.PUBLISHED)
    assert versions[2].hours == "文件里的时间"
    assert versions[2].steps.count() == 3
    log = TransitionLog.objects.filter(context__source="catalogue_import").order_by("pk")
    assert [(e.object_id, e.transition) for e in log] == [
        (str(draft.pk), "submit_for_review"),
        (str(versions[1].pk), "supersede"),
        (str(draft.pk), "publish"),
    ]


def test_with_publish_a_version_in_review_equal_to_the_file_is_published(catalogue):
    draft = services.start_new_version(lineage_id=catalogue.other.lineage_id)
    services.update_draft(item_id=draft.pk, values={"hours": "新的办公时间"})
    services.submit_for_review(item_id=draft.pk)
    rows = catalogue_rows()
    _index, row = row_of(rows, "items", implementation_code=catalogue.other.code)
    row["hours"] = "新的办公时间"

    import_catalogue(write_workbook(rows, "xlsx"), publish=True)

    draft.refresh_from_db()
    assert draft.state == ItemState.PUBLISHED
    log = TransitionLog.objects.filter(context__source="catalogue_import", object_id=str(draft.pk))
    assert list(log.values_list("transition", flat=True)) == ["publish"]
