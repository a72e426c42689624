"""A figure as the supervision desk shows it: a table, drawn as a chart beside it, exported as .xlsx.

Every chart on the desk is drawn from its table (``Table.chart`` says how), so what the chart shows and
what the export holds are the same numbers by construction. The chart's ECharts option is built on the
server (``apps.supervision.charts``) from the table; the page's script only draws it."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

SHEET_TITLE_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")
HEADING_FONT = Font(bold=True)


@dataclass(frozen=True)
class Linked:
    """A row's label that links somewhere on the page (e.g. a rule's name to its findings): the chart
    and the .xlsx read its text (``str``), the figure's table shows it as a link (``current``: the one
    the page shows, aria-current), its row named ``testid`` when given."""

    text: str
    url: str
    current: bool = False
    testid: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Table:
    """``rows`` are lists: the first cell labels the row (a date, a department, an item), the others
    are numbers (int, float rounded for display, or None where there is nothing to divide)."""

    slug: str  # its id on the page, and its sheet's and download's name
    title: str
    headings: list[str]
    rows: list[list]
    chart: str = ""  # "bar", "line", "pie" or "" (a table with no chart)
    series: tuple[int, ...] = ()  # the columns the chart draws (indexes into a row); empty: all but the first
    note: str = ""  # how the figure is counted, shown under the table
    extra: dict = field(default_factory=dict)  # what a page needs beside (links per row …)

    @property
    def drawn_columns(self) -> tuple[int, ...]:
        return self.series or tuple(range(1, len(self.headings)))


def _sheet(workbook, table: Table, used: set[str]) -> None:
    # A sheet's title is at most 31 characters, unique in its workbook, and without the characters
    # Excel reserves (openpyxl refuses them): a colon becomes the full-width one Chinese titles use.
    name = SHEET_TITLE_FORBIDDEN.sub(lambda m: "：" if m.group() == ":" else "-", table.title).strip("'")
    title = name[:31]
    n = 2
    while title in used:
        suffix = f" ({n})"
        title = name[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    sheet = workbook.create_sheet(title)
    cells = []
    for heading in table.headings:
        cell = WriteOnlyCell(sheet, heading)
        cell.font = HEADING_FONT
        cells.append(cell)
    sheet.append(cells)
    for row in table.rows:
        sheet.append(
            [str(cell) if cell is not None and not isinstance(cell, int | float) else cell for cell in row]
        )


def _about(workbook, about: list[tuple[str, object]], tables: list[Table], used: set[str]) -> None:
    # A workbook read weeks later, or forwarded, says what it holds: the filters it was made with and
    # when, then each sheet with how it is counted. A sheet of its own, first, so that every table's
    # sheet keeps its headings on row 1 (what a reader's formulas and scripts expect).
    title = gettext("About")
    used.add(title)
    sheet = workbook.create_sheet(title)
    for label, value in about:
        cell = WriteOnlyCell(sheet, str(label))
        cell.font = HEADING_FONT
        sheet.append([cell, _cell(value)])
    sheet.append([])
    heading = WriteOnlyCell(sheet, gettext("Sheets"))
    heading.font = HEADING_FONT
    sheet.append([heading])
    for table in tables:
        sheet.append([table.title, table.note or None])


def _cell(value):
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def workbook(tables: list[Table], about: list[tuple[str, object]] | None = None) -> bytes:
    """The tables as one .xlsx workbook, a sheet each, numbers written as numbers.

    ``about``: (label, value) lines saying what the workbook holds — the filters it was made with
    (department, date range …) and when it was generated, e.g.
    ``[(gettext("Department"), "市场监督管理局"), (gettext("From"), date), (gettext("Generated at"), now)]``
    (a date reads as 2026-03-02, a datetime as 2026-03-02 09:30: give a local one). When given, a first
    sheet "About" (说明) holds them, then each sheet's title and note."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    if about is not None:
        _about(book, about, tables, used)
    for table in tables:
        _sheet(book, table, used)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
