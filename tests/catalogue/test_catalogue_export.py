"""Bulk export of the catalogue: the workbook's layout, codes in cells, a fixed number of queries."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import load_workbook

from apps.catalogue import services
from apps.catalogue.codes import ItemState
from apps.catalogue.models import ServiceItem
from apps.catalogue.services import element_fields
from apps.catalogue.transfer.exporter import catalogue_rows, export_catalogue
from apps.catalogue.transfer.tables import FILE_FIELDS, ITEMS, SHEETS
from tests.catalogue import test_catalogue_import as import_tests
from tests.factories.accounts import DepartmentFactory
from tests.factories.catalogue import make_item

pytestmark = pytest.mark.django_db

# The import tests' catalogue: a base item, two implementations, a published and a draft bundle.
hall, catalogue, row_of = import_tests.hall, import_tests.catalogue, import_tests.row_of


def test_the_items_sheet_has_a_column_for_every_element_but_files():
    """A new element added to ServiceItem must be added to the workbook too (tables.ITEMS)."""
    assert set(element_fields()) - set(FILE_FIELDS) <= set(ITEMS.keys)
    assert set(FILE_FIELDS) & set(ITEMS.keys) == set()


def test_every_sheet_has_the_key_row_and_the_label_row(catalogue):
    with translation.override("en"):
        workbook = load_workbook(io.BytesIO(export_catalogue()))
        labels = {sheet.key: [str(column.label) for column in sheet.columns] for sheet in SHEETS}

    assert workbook.sheetnames == [sheet.key for sheet in SHEETS]
    for sheet in SHEETS:
        worksheet = workbook[sheet.key]
        assert [cell.value for cell in worksheet[1]] == sheet.keys
        assert [cell.value for cell in worksheet[2]] == labels[sheet.key]
    item_type = workbook["items"].cell(row=2, column=ITEMS.keys.index("item_type") + 1)
    assert "01 Administrative licensing" in item_type.comment.text
    assert workbook["items"].freeze_panes == "A3"
    assert workbook["items"].max_row == 2 + 3


def test_cells_hold_codes_not_labels(catalogue):
    rows = catalogue_rows()

    _index, implementation = row_of(rows, "items", implementation_code=catalogue.implementation.code)
    assert implementation["kind"] == "implementation"
    assert implementation["item_type"] == "01"
    assert implementation["handling_type"] == "2"
    assert implementation["serves"] == "1,2"
    assert implementation["channels"] == "1,2"
    assert implementation["department"] == catalogue.hall.market.credit_code
    assert implementation["approval_category"] == "market"
    assert implementation["result_licence_type"] == "11100000000013338W001"
    assert implementation["base_code"] == catalogue.base.basic_code
    assert implementation["visits_required"] == 1
    assert implementation["is_charged"] is False
    _index, base = row_of(rows, "items", kind="base")
    assert (base["special_procedures"], base["department"], base["base_code"]) == (
        "expert_review,hearing",
        "",
        "",
    )
    assert [r["material_code"] for r in rows["item_materials"] if r["item_code"] == base["basic_code"]] == [
        "M-ID",
        "M-FORM",
        "M-PLAN",
    ]
    _index, requirement = row_of(rows, "item_materials", item_code=base["basic_code"], material_code="M-FORM")
    assert (requirement["necessity"], requirement["form"], requirement["order"]) == ("deferrable", "both", 1)
    assert rows["bundle_items"] == [
        {"bundle_code": "B-DRAFT", "item_code": catalogue.other.code, "order": 0},
        {"bundle_code": "B-FOOD", "item_code": catalogue.implementation.code, "order": 0},
        {"bundle_code": "B-FOOD", "item_code": catalogue.other.code, "order": 1},
    ]
    assert [m["code"] for m in rows["materials"]] == ["M-FORM", "M-ID", "M-PLAN", "M-UNUSED"]
    assert row_of(rows, "materials", code="M-ID")[1]["licence_type"] == "11100000000013338W001"


def test_only_published_versions_and_bundles_that_are_not_retired_are_exported(catalogue):
    draft = services.start_new_version(lineage_id=catalogue.other.lineage_id)
    services.update_draft(item_id=draft.pk, values={"name": "草稿名称"})
    services.retire_bundle(bundle_id=catalogue.draft.pk)

    rows = catalogue_rows()

    assert [r["name"] for r in rows["items"]] == ["食品经营许可", "食品经营许可", "公共场所卫生许可"]
    assert [r["code"] for r in rows["bundles"]] == ["B-FOOD"]


def test_a_queryset_export_holds_those_versions_and_only_the_materials_they_use(catalogue):
    rows = catalogue_rows(ServiceItem.objects.filter(pk=catalogue.other.pk))

    assert [r["implementation_code"] for r in rows["items"]] == [catalogue.other.code]
    assert [m["code"] for m in rows["materials"]] == ["M-FORM", "M-ID"]
    assert {r["item_code"] for r in rows["steps"]} == {catalogue.other.code}


def test_the_csv_export_is_a_zip_of_one_utf8_bom_csv_per_sheet(catalogue):
    archive = zipfile.ZipFile(io.BytesIO(export_catalogue(fmt="csv")))

    assert archive.namelist() == [f"{sheet.key}.csv" for sheet in SHEETS]
    data = archive.read("items.csv")
    assert data.startswith("\ufeff".encode())
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert records[0] == ITEMS.keys
    assert len(records) == 2 + 3
    base = dict(zip(ITEMS.keys, records[2], strict=True))
    assert (base["kind"], base["is_charged"], base["special_procedures"]) == (
        "base",
        "TRUE",
        "expert_review,hearing",
    )


def test_export_queries_do_not_grow_with_the_number_of_items(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        export_catalogue()
    department = DepartmentFactory(centre=catalogue.hall.centre)
    for _n in range(6):
        make_item(department=department)
    assert ServiceItem.objects.filter(state=ItemState.PUBLISHED).count() == 9

    with django_assert_max_num_queries(8):
        data = export_catalogue()

    assert load_workbook(io.BytesIO(data))["items"].max_row == 2 + 9
