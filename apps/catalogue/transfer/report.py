"""What an import did, or every reason it was refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    def sheet_label(self) -> str:
        """The sheet as people read it: its label with the key the workbook shows, "材料（materials）"."""
        sheet = SHEETS_BY_KEY.get(self.sheet)
        return f"{sheet.label}（{self.sheet}）" if sheet else self.sheet or _("whole file")

    @property
    def column_label(self) -> str:
        sheet = SHEETS_BY_KEY.get(self.sheet)
        column = sheet.column(self.column) if sheet else None
        return f"{column.label}（{self.column}）" if column else self.column

    def as_dict(self) -> dict:
        """For storing with an import job and for the API; labels in the active language."""
        return {
            "sheet": self.sheet,
            "sheet_label": self.sheet_label,
            "row": self.row,
            "column": self.column,
            "column_label": self.column_label,
            "code": self.code,
            "message": self.message,
        }

    @property
    def where(self) -> str:
        """Sheet, row and column as people read them, labels first: "事项（items） · 第5行 · ..."."""
        parts = [self.sheet_label]
        if self.row:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column_label:
            parts.append(self.column_label)
        return " · ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


# What a planned change does, by ``PlannedChange.action`` (``plan.Action`` values and two of our own).
CHANGE_ACTIONS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("changed"),
    "new_version": gettext_lazy("new version"),
    "overwrite": gettext_lazy("draft overwritten"),
    "publish_open": gettext_lazy("open version published"),
}


@dataclass(frozen=True)
class PlannedChange:
    """One row that creates or changes something: sheet, row, the code and name it concerns."""

    sheet: str
    row: int
    code: str
    name: str
    action: str

    def as_dict(self) -> dict:
        sheet = SHEETS_BY_KEY[self.sheet]
        return {
            "sheet": self.sheet,
            "sheet_label": str(sheet.label),
            "row": self.row,
            "code": self.code,
            "name": self.name,
            "action": self.action,
            "action_label": str(CHANGE_ACTIONS.get(self.action, self.action)),
        }


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
    dry_run: bool = False  # nothing was kept: the counts say what applying the file would do
    changes: list[PlannedChange] = field(default_factory=list)

    def add_error(self, sheet: str, row: int, column: str, code: str, message) -> None:
        self.errors.append(RowError(sheet, row, column, code, str(message)))

    def sorted_errors(self) -> list[RowError]:
        order = {sheet.key: n for n, sheet in enumerate(SHEETS)}
        return sorted(self.errors, key=lambda e: (order.get(e.sheet, -1), e.row, e.column))

    def summary_lines(self) -> list[str]:
        lines = [
            _("%(sheet)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
            % {
                "sheet": SHEETS_BY_KEY[key].label,
                "created": c.created,
                "updated": c.updated,
                "unchanged": c.unchanged,
            }
            for key, c in self.counts.items()
        ]
        lines.append(
            _("%(published)s versions published, %(superseded)s superseded")
            % {"published": self.published, "superseded": self.superseded}
        )
        return lines

    def as_dict(self) -> dict:
        """The counts by sheet (with the sheet's label), the changes and the errors, as JSON."""
        return {
            "dry_run": self.dry_run,
            "counts": [
                {"sheet": key, "sheet_label": str(SHEETS_BY_KEY[key].label), **vars(c)}
                for key, c in self.counts.items()
            ],
            "published": self.published,
            "superseded": self.superseded,
            "changes": [change.as_dict() for change in self.changes],
            "errors": [error.as_dict() for error in self.sorted_errors()],
        }


class ImportFailed(Exception):
    """The workbook was refused; nothing was written. ``report.errors`` lists every problem."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(
            _("The import was refused with %(count)s problem(s); nothing was imported.")
            % {"count": len(report.errors)}
        )
