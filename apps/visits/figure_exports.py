"""The hall's figures as an .xlsx workbook (the supervision desk's download): the numbers the page
shows, one sheet per table. Minutes and rates are written as numbers (one decimal) so that a
spreadsheet can sort and chart them."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from apps.visits.figures import Figures, NoShows, Times

HEADING_FONT = Font(bold=True)


def filename(figures: Figures) -> str:
    return f"hall-figures-{figures.date_from:%Y%m%d}-{figures.date_to:%Y%m%d}.xlsx"


def _number(value):
    return float(value) if value is not None else None


def time_headings() -> list[str]:
    return [
        _("Tickets"),
        _("Served"),
        _("Not served"),
        _("With an appointment"),
        _("Called"),
        _("Average wait (minutes)"),
        _("Longest wait (minutes)"),
        _("Handled"),
        _("Average handling (minutes)"),
        _("Longest handling (minutes)"),
    ]


def time_cells(times: Times) -> list:
    return [
        times.issued,
        times.done,
        times.abandoned,
        times.booked,
        times.waited,
        _number(times.average_wait),
        _number(times.longest_wait),
        times.handled,
        _number(times.average_handling),
        _number(times.longest_handling),
    ]


def no_show_headings() -> list[str]:
    return [_("Appointments due"), _("Checked in"), _("No-shows"), _("No-show rate (%)")]


def no_show_cells(appointments: NoShows) -> list:
    return [appointments.due, appointments.checked_in, appointments.no_shows, _number(appointments.rate)]


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
    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        _("By service area"),
        [_("Service centre"), _("Service area"), *time_headings(), *no_show_headings()],
        [
            *(
                [row.centre, row.name, *time_cells(row.times), *no_show_cells(row.appointments)]
                for row in figures.areas
            ),
            ["", _("All"), *time_cells(figures.overall), *no_show_cells(figures.appointments)],
        ],
    )
    _sheet(
        workbook,
        _("By window"),
        [_("Service centre"), _("Window"), *time_headings()],
        ([row.centre, row.name, *time_cells(row.times)] for row in figures.windows),
    )
    _sheet(
        workbook,
        _("By hour"),
        [_("Hour the number was taken"), *time_headings()],
        ([f"{row.hour:02d}:00", *time_cells(row.times)] for row in figures.hours),
    )
    _sheet(
        workbook,
        _("By day"),
        [_("Day"), *time_headings()],
        ([row.day.isoformat(), *time_cells(row.times)] for row in figures.days),
    )
    _sheet(
        workbook,
        _("About"),
        [_("What"), _("Value")],
        [
            [_("From"), figures.date_from.isoformat()],
            [_("To"), figures.date_to.isoformat()],
            [_("Waiting time"), _("from taking the number to the first call")],
            [_("Handling time"), _("from the start of service to its end, of the tickets served")],
            [_("By window"), _("the window that called the ticket last")],
            [_("No-show rate"), _("no-shows / appointments whose slot has ended, cancelled ones left out")],
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
