"""A figure's table as an .xlsx workbook: a sheet per table, read back as it was written."""

import datetime as dt
import io

from django.utils import translation
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


def test_a_workbook_says_what_it_holds_on_a_first_sheet():
    tables = [
        Table("a", "By department", ["Department", "Filed"], [["Civil", 12]], note="Filed items."),
        Table("b", "By window", ["Window", "Filed"], [["A01", 3]]),
    ]
    about = [
        ("Department", "市场监督管理局"),
        ("From", dt.date(2026, 3, 1)),
        ("To", None),
        ("Generated at", dt.datetime(2026, 4, 2, 9, 30)),
        ("Rows", 12),
    ]
    with translation.override("en"):
        book = _read(workbook(tables, about=about))
    assert book.sheetnames == ["About", "By department", "By window"]
    # Read-only rows end at their last written cell: pad them to two.
    lines = [(*row, None, None)[:2] for row in book["About"].iter_rows(values_only=True)]
    assert lines == [
        ("Department", "市场监督管理局"),
        ("From", "2026-03-01"),
        ("To", None),
        ("Generated at", "2026-04-02 09:30"),
        ("Rows", 12),
        (None, None),
        ("Sheets", None),
        ("By department", "Filed items."),
        ("By window", None),
    ]
    # Each table's sheet keeps its headings on the first row.
    assert next(book["By department"].iter_rows(values_only=True)) == ("Department", "Filed")


def test_the_about_sheet_is_chinese_in_the_chinese_ui_and_a_table_may_not_take_its_name():
    tables = [Table("a", "说明", ["名称"], [["x"]])]
    with translation.override("zh-hans"):
        book = _read(workbook(tables, about=[("实施主体", "全部")]))
    first, second = book.sheetnames
    assert first != second and second.startswith("说明")
