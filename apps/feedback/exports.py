"""The ratings' figures as an .xlsx workbook (the supervision desk's download): the same numbers the
page shows, one sheet each — by period, over the range, the lowest-rated items and windows. Rates are
written as numbers (percent, one decimal) so that a spreadsheet can sort and chart them."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from apps.feedback.figures import Figures, Row
from apps.feedback.models import Dimension, Level

HEADING_FONT = Font(bold=True)


def filename(figures: Figures) -> str:
    query = figures.query
    dates = f"{query.date_from:%Y%m%d}-{query.date_to:%Y%m%d}"
    return f"rating-figures-{query.dimension}-{query.period}-{dates}.xlsx"


def _headings(first: list[str]) -> list[str]:
    return [
        *first,
        *(str(label) for label in Level.labels),
        _("Ratings"),
        _("Satisfaction rate (%)"),
        _("Bad ratings"),
        _("Rectified"),
        _("Rectification rate (%)"),
        _("Rectified on time"),
        _("On-time rectification rate (%)"),
        _("Set aside on appeal"),
    ]


def _numbers(row: Row) -> list:
    counts = row.counts
    rate = lambda value: float(value) if value is not None else None  # noqa: E731 - a cell's number
    return [
        *counts.levels,
        counts.total,
        rate(counts.satisfaction_rate),
        counts.bad,
        counts.rectified,
        rate(counts.rectification_rate),
        counts.rectified_on_time,
        rate(counts.on_time_rate),
        counts.excluded,
    ]


def _sheet(workbook, title: str, headings: list[str], lines) -> None:
    sheet = workbook.create_sheet(title[:31])
    cells = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, heading)
        cell.font = HEADING_FONT
        cells.append(cell)
    sheet.append(cells)
    for line in lines:
        sheet.append(line)


def write_figures(figures: Figures) -> bytes:
    """The workbook of ``figures`` (write-only: a year of items by day is tens of thousands of rows)."""
    query = figures.query
    by = str(Dimension(query.dimension).label)
    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        _("By period"),
        _headings([_("Period"), by]),
        ([row.period.isoformat(), row.name, *_numbers(row)] for row in figures.rows),
    )
    _sheet(
        workbook,
        _("Over the range"),
        _headings([by]),
        [
            *([row.name, *_numbers(row)] for row in figures.totals),
            [_("All"), *_numbers(Row(None, 0, "", figures.overall))],
        ],
    )
    _sheet(
        workbook,
        _("Lowest-rated items"),
        _headings([str(Dimension.ITEM.label)]),
        ([row.name, *_numbers(row)] for row in figures.lowest_items),
    )
    _sheet(
        workbook,
        _("Lowest-rated windows"),
        _headings([str(Dimension.WINDOW.label)]),
        ([row.name, *_numbers(row)] for row in figures.lowest_windows),
    )
    _sheet(
        workbook,
        _("About"),
        [_("What"), _("Value")],
        [
            [_("From"), query.date_from.isoformat()],
            [_("To"), query.date_to.isoformat()],
            [_("Satisfaction rate"), _("(very satisfied + satisfied + fairly satisfied) / ratings")],
            [_("Rectification rate"), _("bad ratings rectified / bad ratings")],
            [
                _("On-time rectification rate"),
                _("bad ratings rectified by the ticket's due date / bad ratings"),
            ],
            [
                _("Lowest-rated lists"),
                _("at least %(count)d ratings over the range") % {"count": figures.min_ratings},
            ],
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
