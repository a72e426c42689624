"""Reading an .xlsx workbook or a .zip of CSV files into sheets of raw rows.

Readers know the file formats only: row 1 gives the column keys, row 2 (labels) is skipped, and each
later non-blank row becomes a ``RawRow`` numbered as Excel shows it. What the keys and values mean is
the importer's business.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from apps.catalogue.transfer.cells import is_blank
from apps.catalogue.transfer.tables import FIRST_DATA_ROW, KEY_ROW

Source = str | Path | bytes | BinaryIO
# Excel on a Chinese system saves "CSV" as GB 18030 (GBK); try it when the file is not UTF-8.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class UnreadableWorkbook(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass
class RawRow:
    number: int
    values: dict[str, object]


@dataclass
class RawSheet:
    name: str
    keys: list[str]
    labels: list[object] = field(default_factory=list)  # row 2, as found
    rows: list[RawRow] = field(default_factory=list)


def read_workbook(source: Source, fmt: str) -> dict[str, RawSheet]:
    if fmt == "xlsx":
        return read_xlsx(source)
    if fmt == "csv":
        return read_csv_zip(source)
    raise UnreadableWorkbook(_("Unknown format %(format)s: use xlsx or csv.") % {"format": fmt})


def _binary(source: Source) -> BinaryIO:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, (str, Path)):
        return io.BytesIO(Path(source).read_bytes())
    return source


def _sheet(name: str, rows) -> RawSheet:
    """Rows are sequences of cell values, the first one the key row."""
    keys: list[str] = []
    sheet = RawSheet(name=name, keys=keys)
    for number, cells in enumerate(rows, start=KEY_ROW):
        if number == KEY_ROW:
            keys.extend(str(cell).strip() if cell is not None else "" for cell in cells)
            while keys and not keys[-1]:
                keys.pop()
            continue
        if number < FIRST_DATA_ROW:
            sheet.labels.extend(cells)
            continue
        if all(is_blank(cell) for cell in cells):
            continue
        sheet.rows.append(RawRow(number, {key: cell for key, cell in zip(keys, cells, strict=False) if key}))
    return sheet


# --- xlsx ---------------------------------------------------------------------------------------------


def read_xlsx(source: Source) -> dict[str, RawSheet]:
    try:
        workbook = load_workbook(_binary(source), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableWorkbook(
            _("The file is not an .xlsx workbook (%(error)s).") % {"error": exc}
        ) from exc
    try:
        sheets = {}
        for worksheet in workbook.worksheets:
            # Tools other than Excel may record a wrong sheet size; read every row there is.
            worksheet.reset_dimensions()
            sheets[worksheet.title] = _sheet(worksheet.title, worksheet.iter_rows(values_only=True))
        return sheets
    finally:
        workbook.close()


# --- csv ----------------------------------------------------------------------------------------------


def read_csv_zip(source: Source) -> dict[str, RawSheet]:
    try:
        archive = zipfile.ZipFile(_binary(source))
    except zipfile.BadZipFile as exc:
        raise UnreadableWorkbook(_("The file is not a .zip of CSV files.")) from exc
    sheets = {}
    with archive:
        for member in archive.namelist():
            path = PurePosixPath(member)
            # Skip folders and what archivers add (__MACOSX/, ._name, .DS_Store).
            if member.endswith("/") or path.name.startswith(".") or "__MACOSX" in path.parts:
                continue
            if path.suffix.lower() != ".csv":
                raise UnreadableWorkbook(
                    _("The .zip holds %(name)s; it may hold only .csv files, one per sheet.")
                    % {"name": member}
                )
            text = _decode(archive.read(member), member)
            sheets[path.stem] = _sheet(path.stem, csv.reader(io.StringIO(text, newline="")))
    return sheets


def _decode(data: bytes, name: str) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableWorkbook(_("%(name)s is neither UTF-8 nor GB 18030 text.") % {"name": name})
