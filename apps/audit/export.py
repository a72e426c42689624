"""A search of the logs as an .xlsx workbook (the viewer's and the API's export): the rows the search
matches, newest first, at most ``search.EXPORT_LIMIT`` of them (the sheet's last line says when the
search matched more). Written in openpyxl's write-only mode, read from the database in chunks.

Text is written as text: a comment or a name that begins with "=" is never a formula in the file."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from apps.accounts.identifiers import mask_identifier
from apps.audit.search import EXPORT_LIMIT, Log, LogQuery, matching

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADING_FONT = Font(bold=True)


def filename(query: LogQuery) -> str:
    """``audit-<log>-<first>-<last>.xlsx``; with no first day, ``audit-<log>-to-<last>.xlsx`` (the
    search starts at the oldest row kept: no date to name)."""
    last = f"{query.date_to or timezone.localdate():%Y%m%d}"
    if query.date_from:
        return f"audit-{query.log}-{query.date_from:%Y%m%d}-{last}.xlsx"
    return f"audit-{query.log}-to-{last}.xlsx"


def person(user) -> str:
    if user is None:
        return _("The system")
    return f"{user.full_name} ({user.username})" if user.full_name else user.username


def subject(entry) -> str:
    if entry.content_type_id is None:
        return ""
    model = entry.content_type.model_class()
    name = model._meta.verbose_name if model else entry.content_type.model
    return f"{name} #{entry.object_id}"


def headings(log: str) -> list[str]:
    if log == Log.DISCLOSURES:
        return [
            _("At"),
            _("Viewer"),
            _("What was shown"),
            _("Purpose"),
            _("Object"),
            _("Looked up by"),
            _("Filing number"),
            _("Service centre"),
            _("Client address"),
        ]
    return [
        _("At"),
        _("Acted by"),
        _("Action"),
        _("From state"),
        _("To state"),
        _("Object"),
        _("Filing number"),
        _("Service centre"),
        _("Comment or reason"),
        _("Client address"),
    ]


def values(log: str, entry) -> list:
    at = timezone.localtime(entry.at).replace(tzinfo=None)
    centre = entry.centre.name if entry.centre_id else ""
    if log == Log.DISCLOSURES:
        looked_up = mask_identifier(entry.looked_up) if entry.looked_up else ""
        return [
            at,
            person(entry.viewer),
            entry.what,
            entry.purpose,
            subject(entry),
            looked_up,
            entry.filing_number,
            centre,
            entry.client_ip or "",
        ]
    return [
        at,
        person(entry.actor),
        entry.transition,
        entry.from_state,
        entry.to_state,
        subject(entry),
        entry.filing_number,
        centre,
        entry.comment,
        entry.client_ip or "",
    ]


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text begins with
    if hasattr(value, "hour"):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def workbook(scope, query: LogQuery) -> bytes:
    """The rows ``matching(scope, query)``, at most EXPORT_LIMIT + a line saying when there were more."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(Log(query.log).label)[:31])
    heading = []
    for text in headings(query.log):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = HEADING_FONT
        heading.append(cell)
    sheet.append(heading)
    rows = matching(scope, query)[: EXPORT_LIMIT + 1].iterator(chunk_size=2000)
    for written, entry in enumerate(rows):
        if written == EXPORT_LIMIT:
            more = _("Only the newest %(count)s rows are exported: choose a shorter period.")
            sheet.append([_cell(sheet, more % {"count": EXPORT_LIMIT})])
            break
        sheet.append([_cell(sheet, value) for value in values(query.log, entry)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
