"""Importing the catalogue from a workbook: all of it or nothing.

The workbook's layout is in ``tables`` (what ``export_catalogue`` writes imports back unchanged).
Every row of every sheet is checked first (``validation``); any problem refuses the whole file with
``ImportFailed``, whose report lists each problem by sheet, row (as Excel numbers it), column and
reason. Otherwise everything is written in one transaction (``writing``):

- materials, by code: new ones created, changed ones updated;
- items, by basic code (base items) or implementation code (implementations): a new item gets
  version 1; an existing one whose published version (or, with none, newest version) already has the
  row's elements and lists is left alone, so importing the same file twice changes nothing; an item
  with an open draft has that draft overwritten (a version in review is refused); otherwise the item
  gets a new version. New versions are drafts, or, with ``publish=True``, published (the version
  published before is superseded, and the transition log records what the services would);
- an item's lists (materials, fees, steps, FAQ) are the file's: rows left out are removed from the
  new version;
- bundles, by code, with their items replaced by the file's; a published bundle is checked as
  ``services.check_bundle`` does, against the catalogue as it will be after the import.

Files (result samples, blank forms, filled-in samples) are not in the workbook; a new version keeps
the files of the version it replaces.

With ``role`` (a catalogue admin importing in the admin), the file may change only what that role
maintains: implementations and bundles of the admin's centres, the base catalogue, and the shared
material dictionary. A row that would create or change another centre's item or bundle is refused
with the others (column department or centre, code ``not_your_centre``); a row of another centre
that equals its published version changes nothing and passes, so that an exported catalogue imports
back. Without ``role`` (the ``import_catalogue`` command, run by the operator) nothing is refused on
that account.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.catalogue import services
from apps.catalogue.models import BundleState
from apps.catalogue.selectors import CatalogueRole
from apps.catalogue.transfer.plan import Action, Plan
from apps.catalogue.transfer.readers import Source, UnreadableWorkbook, read_workbook
from apps.catalogue.transfer.report import (
    ImportFailed,
    ImportReport,
    PlannedChange,
    RowError,
    SheetCounts,
)
from apps.catalogue.transfer.tables import BUNDLES, ITEMS, MATERIALS, SHEETS_BY_KEY
from apps.catalogue.transfer.validation import Validator
from apps.catalogue.transfer.writing import PlanWriter

__all__ = [
    "ImportFailed",
    "ImportReport",
    "PlannedChange",
    "RowError",
    "SheetCounts",
    "Stage",
    "format_for",
    "import_catalogue",
]

EXTENSIONS = {".xlsx": "xlsx", ".zip": "csv", ".csv": "csv"}


def format_for(path: str | Path) -> str | None:
    """The format a file name implies: .xlsx, or .zip (of CSV files); None if neither."""
    return EXTENSIONS.get(Path(path).suffix.lower())


class Stage:
    """How far an import has got, with the share of the work done when it starts (for a progress
    bar: validation and writing are each one pass over every row)."""

    READING = ("reading", 5)
    CHECKING = ("checking", 25)
    WRITING = ("writing", 60)
    DONE = ("done", 100)


Progress = Callable[[str, int], None]


class _DryRunDone(Exception):
    """Leaves the dry run's transaction, rolling back what it wrote."""


def import_catalogue(
    file: Source,
    *,
    fmt: str = "xlsx",
    publish: bool = False,
    actor=None,
    role: CatalogueRole | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a workbook (a path, bytes or a binary file) as ``fmt`` ("xlsx" or "csv", a .zip of CSV
    files). Returns what was created, updated and left unchanged per sheet; raises ``ImportFailed``,
    having written nothing, if any row is wrong.

    With ``dry_run`` everything is checked and written exactly as for real, in a transaction that is
    then rolled back: the report's counts and ``changes`` are what applying the file would do, and
    nothing stays written (no event is sent either: they are sent on commit). ``progress`` is called
    with (stage, percent) as the import moves on, outside the transaction, so that whoever records
    it is seen at once."""
    report = ImportReport(dry_run=dry_run)
    step = progress or (lambda _stage, _percent: None)
    step(*Stage.READING)
    try:
        sheets = read_workbook(file, fmt)
    except UnreadableWorkbook as exc:
        report.add_error("", 0, "", "unreadable", exc.message)
        raise ImportFailed(report) from exc
    if not any(name in SHEETS_BY_KEY for name in sheets):
        report.add_error(
            "",
            0,
            "",
            "no_catalogue_sheets",
            _("The file holds none of the catalogue's sheets (%(sheets)s): start from the template.")
            % {"sheets": ", ".join(SHEETS_BY_KEY)},
        )
        raise ImportFailed(report)
    step(*Stage.CHECKING)
    plan = Validator(sheets, publish=publish, report=report, role=role).run()
    if report.errors:
        raise ImportFailed(report)
    report.changes = planned_changes(plan)
    step(*Stage.WRITING)
    try:
        with transaction.atomic():
            writer = PlanWriter(plan, publish=publish, actor=actor, report=report)
            writer.run()
            _recheck_bundles(plan, writer.lineages, report)
            if report.errors:
                raise ImportFailed(report)  # leaving the atomic block by an exception rolls it all back
            if dry_run:
                raise _DryRunDone
    except _DryRunDone:
        pass
    step(*Stage.DONE)
    return report


def planned_changes(plan: Plan) -> list[PlannedChange]:
    """Every row that creates or changes something, in sheet order (unchanged rows are left out)."""
    changes = [
        PlannedChange(
            MATERIALS.key, m.row, m.material.code, m.material.name, "create" if m.is_new else "update"
        )
        for m in plan.materials
        if m.is_new or m.changed
    ]
    changes += [
        PlannedChange(ITEMS.key, i.row, i.code, i.probe.name, i.action.value)
        for i in sorted(plan.items, key=lambda i: i.row)
        if i.action != Action.UNCHANGED
    ]
    changes += [
        PlannedChange(BUNDLES.key, b.row, b.bundle.code, b.bundle.name, "create" if b.is_new else "update")
        for b in plan.bundles
        if b.is_new or b.changed or b.entries_changed
    ]
    return changes


def _recheck_bundles(plan: Plan, lineages: dict, report: ImportReport) -> None:
    """``services.check_bundle`` on the written catalogue: the validator judged published bundles on
    the catalogue as it would be; this makes sure, with the services' own rule."""
    for bundle_plan in plan.bundles:
        if bundle_plan.state != BundleState.PUBLISHED:
            continue
        entries = [lineages[code] for _row, _order, code in bundle_plan.entries]
        try:
            services.check_bundle(bundle_plan.bundle, entries)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = name if BUNDLES.column(name) and name != NON_FIELD_ERRORS else ""
                for message in messages:
                    report.add_error(BUNDLES.key, bundle_plan.row, column, "bundle_check", message)
