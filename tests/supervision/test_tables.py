"""A figure's table as an .xlsx workbook: a sheet per table, read back as it was written."""

import io

from openpyxl import load_workbook

from apps.supervision.tables import Table, workbook


def _read(data: bytes):
    return load_workbook(io.BytesIO(data), read_only=True)


def test_each_table_is_a_sheet_with_its_headings_and_numbers_as_numbers():
    tables = [
        Table(
            "a",
            "按部门",
            ["部门", "办件", "按时办结率 %"],
            [["市场监督管理局", 12, 91.7], ["商务局", None, 50.0]],
        ),
        Table("b", "按窗口", ["窗口", "办件"], [["A01", 3]]),
    ]
    book = _read(workbook(tables))
    assert book.sheetnames == ["按部门", "按窗口"]
    rows = list(book["按部门"].iter_rows(values_only=True))
    assert rows == [("部门", "办件", "按时办结率 %"), ("市场监督管理局", 12, 91.7), ("商务局", None, 50.0)]


def test_a_title_excel_refuses_is_made_acceptable_and_kept_unique():
    # openpyxl refuses : \\ / ? * [ ] in a sheet's title, and titles longer than 31 characters.
    long = "一件事：材料合并前后/对比[全部]?*" + "很长" * 20
    tables = [
        Table("a", "一件事: 材料", ["名称"], [["x"]]),
        Table("b", long, ["名称"], []),
        Table("c", long, ["名称"], []),
    ]
    book = _read(workbook(tables))
    first, second, third = book.sheetnames
    assert first == "一件事： 材料"
    assert not set(":\\/?*[]") & set(second + third)
    assert len(second) <= 31 and len(third) <= 31 and second != third
