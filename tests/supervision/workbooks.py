"""Reading a supervision download back: its first sheet, "About" (说明: the department, the filters and
when it was made), and the tables' sheets after it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import load_workbook


@dataclass
class Download:
    about: list[tuple]  # the About sheet's rows: (label, value) lines, then the sheets listed
    tables: dict[str, list[tuple]]  # sheet title → its rows, headings first

    def about_value(self, label: str):
        return next(row[1] for row in self.about if row and row[0] == label)

    @property
    def first_table(self) -> list[tuple]:
        return next(iter(self.tables.values()))


def read(content: bytes) -> Download:
    book = load_workbook(io.BytesIO(content), read_only=True)
    about, *tables = book.worksheets
    return Download(
        about=[tuple(row) for row in about.iter_rows(values_only=True)],
        tables={sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in tables},
    )
