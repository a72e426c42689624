"""Writing sheets of rows as an .xlsx workbook or as a .zip of CSV files (one per sheet).

Rows are dicts of column key → cell value (see ``cells.to_cell``). Every sheet of ``tables.SHEETS`` is
written, empty ones included, so that an export doubles as a template.

CSV files are UTF-8 with a byte-order mark so that Excel opens them as UTF-8. Excel turns code-like
text such as "01" or "000164213003" into numbers when it opens a CSV; edit in .xlsx, where code
columns are formatted as text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.catalogue.transfer.cells import CellValue
from apps.catalogue.transfer.tables import SHEETS, CellKind, Sheet

Rows = Mapping[str, Iterable[Mapping[str, CellValue]]]

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}
KEY_FONT = Font(color="808080", size=9)
LABEL_FONT = Font(bold=True)
LABEL_FILL = PatternFill("solid", fgColor="DDEBF7")
COMMENT_AUTHOR = "hall"


def write_workbook(rows: Rows, fmt: str) -> bytes:
    if fmt == "xlsx":
        return write_xlsx(rows)
    if fmt == "csv":
        return write_csv_zip(rows)
    raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")


# --- xlsx ---------------------------------------------------------------------------------------------


def write_xlsx(rows: Rows) -> bytes:
    # Write-only mode streams rows: a 2,500-item catalogue has tens of thousands of rows.
    workbook = Workbook(write_only=True)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.key)
        _format_columns(worksheet, sheet)
        worksheet.freeze_panes = "A3"
        worksheet.append([_key_cell(worksheet, key) for key in sheet.keys])
        worksheet.append([_label_cell(worksheet, column) for column in sheet.columns])
        for row in rows.get(sheet.key, ()):
            worksheet.append([_xlsx_value(row.get(key)) for key in sheet.keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _format_columns(worksheet, sheet: Sheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        dimension = worksheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(12, min(40, len(str(column.label)) * 2 + 2))
        if column.kind in (CellKind.TEXT, CellKind.CODES):
            # Text format keeps what people type as typed: "01" stays "01", not the number 1.
            dimension.number_format = "@"


def _key_cell(worksheet, key: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, key)
    cell.font = KEY_FONT
    return cell


def _label_cell(worksheet, column) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, str(column.label))
    cell.font, cell.fill = LABEL_FONT, LABEL_FILL
    note = column.note()
    if note:
        cell.comment = Comment(note, COMMENT_AUTHOR, width=300, height=40 + 15 * note.count("\n"))
    return cell


def _xlsx_value(value: CellValue) -> CellValue:
    # Control characters cannot be stored in an .xlsx cell; they carry no meaning in catalogue text.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


# --- csv ----------------------------------------------------------------------------------------------


def write_csv_zip(rows: Rows) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEETS:
            archive.writestr(
                f"{sheet.key}.csv", _csv_text(sheet, rows.get(sheet.key, ())).encode("utf-8-sig")
            )
    return buffer.getvalue()


def _csv_text(sheet: Sheet, rows: Iterable[Mapping[str, CellValue]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(sheet.keys)
    writer.writerow([str(column.label) for column in sheet.columns])
    for row in rows:
        writer.writerow([_csv_value(row.get(key)) for key in sheet.keys])
    return text.getvalue()


def _csv_value(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)
