"""What an import did, or every reason it was refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.catalogue.transfer.tables import SHEETS, SHEETS_BY_KEY


@dataclass(frozen=True)
class RowError:
    """One problem: the sheet, the row as Excel numbers it (1 = the key row, 0 = the whole file or
    sheet), the column key ("" = the whole row), a stable code and the message for people."""

    sheet: str
    row: int
    column: str
    code: str
    message: str

    @property
    def where(self) -> str:
        sheet = SHEETS_BY_KEY.get(self.sheet)
        sheet_label = f"{self.sheet}（{sheet.label}）" if sheet else self.sheet
        column = sheet.column(self.column) if sheet else None
        column_label = f"{self.column}（{column.label}）" if column else self.column
        parts = [sheet_label or _("file")]
        if self.row:
            parts.append(_("row %(row)s") % {"row": self.row})
        if column_label:
            parts.append(column_label)
        return " · ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    counts: dict[str, SheetCounts] = field(default_factory=lambda: {s.key: SheetCounts() for s in SHEETS})
    errors: list[RowError] = field(default_factory=list)
    published: int = 0  # versions that became published
    superseded: int = 0  # published versions that newer ones replaced

    def add_error(self, sheet: str, row: int, column: str, code: str, message) -> None:
        self.errors.append(RowError(sheet, row, column, code, str(message)))

    def sorted_errors(self) -> list[RowError]:
        order = {sheet.key: n for n, sheet in enumerate(SHEETS)}
        return sorted(self.errors, key=lambda e: (order.get(e.sheet, -1), e.row, e.column))

    def summary_lines(self) -> list[str]:
        lines = [
            _("%(sheet)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
            % {"sheet": key, "created": c.created, "updated": c.updated, "unchanged": c.unchanged}
            for key, c in self.counts.items()
        ]
        lines.append(
            _("%(published)s versions published, %(superseded)s superseded")
            % {"published": self.published, "superseded": self.superseded}
        )
        return lines


class ImportFailed(Exception):
    """The workbook was refused; nothing was written. ``report.errors`` lists every problem."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(
            _("The import was refused with %(count)s problem(s); nothing was imported.")
            % {"count": len(report.errors)}
        )
