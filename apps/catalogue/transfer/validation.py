"""Checking every row of a workbook and planning what to write, without writing anything.

Each row is checked by the model's own field validators (``full_clean`` without the uniqueness and
relation checks, which would cost a query per row), by ``apps.catalogue.rules.check_item`` for the
cross-field rules of an item, and here for what only a whole file shows: references to departments,
categories, materials, certificate types, centres, base items and bundles (in the database or in the
same file), duplicates within the file, and the rules a bundle and a published version must satisfy
after the import. Every problem is added to the report; the plan is only used when there are none.

The references are fetched up front (``Lookups``), in a fixed number of queries whatever the size.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from apps.catalogue import rules
from apps.catalogue.codes import ItemKind, ItemState
from apps.catalogue.models import (
    Bundle,
    BundleState,
    ItemLineage,
    Material,
    ServiceItem,
)
from apps.catalogue.naming import pinyin_initials
from apps.catalogue.selectors import CatalogueRole
from apps.catalogue.transfer import exporter
from apps.catalogue.transfer.cells import CellError, from_cell, is_blank
from apps.catalogue.transfer.lookups import Lookups, item_code
from apps.catalogue.transfer.plan import (
    LIST_MODELS,
    Action,
    BundlePlan,
    ChildRow,
    ItemPlan,
    MaterialPlan,
    Plan,
)
from apps.catalogue.transfer.readers import RawSheet
from apps.catalogue.transfer.report import ImportReport
from apps.catalogue.transfer.tables import (
    BUNDLE_ITEMS,
    BUNDLES,
    FILE_FIELDS,
    ITEMS,
    LABEL_ROW,
    LIST_SHEETS,
    MATERIALS,
    SHEETS,
    SHEETS_BY_KEY,
    CellKind,
    Sheet,
)

# Sheets that only make sense with another: an item's lists are replaced by the file's, so leaving a
# list sheet out would silently empty them.
COMPANION_SHEETS = {
    ITEMS.key: [sheet.key for sheet in LIST_SHEETS.values()],
    BUNDLES.key: [BUNDLE_ITEMS.key],
}
# Item columns that are not ServiceItem fields as they stand.
ITEM_REFERENCES = ("department", "approval_category", "result_licence_type")
ITEM_NON_FIELDS = ("kind", "base_code", *ITEM_REFERENCES)
# Never cleaned per row: relations (resolved here from the lookups) and files (not imported).
ITEM_CLEAN_EXCLUDE = [
    "lineage",
    "version",
    "state",
    "created_by",
    "published_by",
    *ITEM_REFERENCES,
    *FILE_FIELDS,
]


@dataclass
class ParsedRow:
    number: int
    values: dict[str, object]
    bad: set[str] = field(default_factory=set)  # columns already reported


@functools.cache
def _allowed(choices: type[models.Choices]) -> tuple:
    # Choices.values builds a new list on every call; this runs for every cell of a code column.
    return tuple(choices.values)


def _labels(column) -> set[str]:
    """A column's label in every language of the portal (a workbook may come from another one)."""
    labels = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.add(str(column.label))
    return labels


# --- the validator --------------------------------------------------------------------------------------


def _signature(item: ServiceItem, code: str, children: dict[str, list]) -> tuple:
    """What an item version would export, change note aside: equal signatures mean nothing to do."""
    row = exporter.item_row(item)
    row.pop("change_note")
    lists = tuple(
        tuple(_normalised(exporter.list_row(sheet, child, code)) for child in children[name])
        for name, sheet in LIST_SHEETS.items()
    )
    return (_normalised(row), lists)


def _normalised(row: dict) -> tuple:
    return tuple(
        (key, value.strip() if isinstance(value, str) else ("" if value is None else value))
        for key, value in row.items()
    )


def _stored_children(item: ServiceItem) -> dict[str, list]:
    return {name: list(getattr(item, name).all()) for name in LIST_MODELS}


class Validator:
    def __init__(
        self,
        sheets: dict[str, RawSheet],
        *,
        publish: bool,
        report: ImportReport,
        role: CatalogueRole | None = None,
    ):
        self.sheets = sheets
        self.publish = publish
        self.report = report
        self.role = role  # None: the operator's import, unscoped
        self.plan = Plan()
        self.rows: dict[str, list[ParsedRow]] = {}
        self.item_rows: dict[str, int] = {}  # code of every item row, valid or not → its row
        self.items: dict[str, ItemPlan] = {}  # code → plan of the valid item rows
        self.bundle_rows: dict[str, int] = {}
        self.materials: dict[str, Material] = {}
        self.wrong_rows: set[tuple[str, int]] = set()  # (sheet, row) of the rows with an error

    def run(self) -> Plan:
        self._check_sheets()
        for sheet in SHEETS:
            raw = self.sheets.get(sheet.key)
            if raw is not None and self._check_header(sheet, raw):
                self.rows[sheet.key] = [self._parse(sheet, row.number, row.values) for row in raw.rows]
        if any(error.row <= LABEL_ROW for error in self.report.errors):
            # With a sheet or column missing, rows elsewhere would fail for want of it: report the
            # structure alone.
            return self.plan
        self.lookups = Lookups(self.rows)
        self.plan.lineages = {code: lineage for (_kind, code), lineage in self.lookups.lineages.items()}
        self.materials = dict(self.lookups.materials)
        self._materials()
        self._items()
        for name, sheet in LIST_SHEETS.items():
            self._list(name, sheet)
        self._decide_items()
        self._bundles()
        self._bundle_items()
        self._check_bundle_centres()
        self._check_published_bundles()
        return self.plan

    def error(self, sheet: str, row: ParsedRow | int, column: str, code: str, message) -> None:
        number = row.number if isinstance(row, ParsedRow) else row
        self.report.add_error(sheet, number, column, code, message)
        self.wrong_rows.add((sheet, number))
        if isinstance(row, ParsedRow) and column:
            row.bad.add(column)

    # --- structure ----------------------------------------------------------------------------------

    def _check_sheets(self) -> None:
        for name, raw in self.sheets.items():
            if name not in SHEETS_BY_KEY and (raw.keys or raw.rows):
                self.error(
                    name,
                    0,
                    "",
                    "unknown_sheet",
                    _("Unknown sheet %(name)s: the sheets are %(sheets)s.")
                    % {"name": name, "sheets": ", ".join(SHEETS_BY_KEY)},
                )
        for sheet, companions in COMPANION_SHEETS.items():
            if sheet not in self.sheets:
                continue
            for companion in companions:
                if companion not in self.sheets:
                    self.error(
                        companion,
                        0,
                        "",
                        "missing_sheet",
                        _(
                            "The sheet %(name)s is missing: a workbook with %(with)s needs it too "
                            "(it may be empty)."
                        )
                        % {"name": companion, "with": sheet},
                    )

    def _check_header(self, sheet: Sheet, raw: RawSheet) -> bool:
        ok = True
        seen = set()
        for key in raw.keys:
            if key in seen:
                self.error(
                    sheet.key,
                    1,
                    key,
                    "duplicate_column",
                    _("The column %(key)s appears twice.") % {"key": key},
                )
                ok = False
            seen.add(key)
            if sheet.column(key) is None:
                self.error(
                    sheet.key,
                    1,
                    key,
                    "unknown_column",
                    _("Unknown column %(key)s; this sheet's columns are %(keys)s.")
                    % {"key": key or "—", "keys": ", ".join(sheet.keys)},
                )
                ok = False
        for key in sheet.keys:
            if key not in seen:
                self.error(
                    sheet.key,
                    1,
                    key,
                    "missing_column",
                    _("The column %(key)s is missing from row 1 (the column keys).") % {"key": key},
                )
                ok = False
        return ok and self._check_label_row(sheet, raw)

    def _check_label_row(self, sheet: Sheet, raw: RawSheet) -> bool:
        """Row 2 is skipped as the labels; make sure it is not data (a deleted label row would
        silently drop the first data row)."""
        first = raw.keys[0] if raw.keys else ""
        cell = raw.labels[0] if raw.labels else None
        if is_blank(cell) or str(cell).strip() in _labels(sheet.column(first)):
            return True
        self.error(
            sheet.key,
            LABEL_ROW,
            first,
            "label_row",
            _(
                "Row 2 holds the column labels, but here it holds %(value)s: keep the two header rows as "
                "exported (keys, then labels) and put data from row 3 on."
            )
            % {"value": cell},
        )
        return False

    def _parse(self, sheet: Sheet, number: int, raw: dict) -> ParsedRow:
        row = ParsedRow(number, {})
        for column in sheet.columns:
            try:
                value = from_cell(column, raw.get(column.key))
            except CellError as exc:
                self.error(sheet.key, row, column.key, exc.code, exc.message)
                value = None if column.kind in (CellKind.INTEGER, CellKind.BOOLEAN) else ""
            row.values[column.key] = value
            if column.choices is not None and column.key not in row.bad:
                self._check_choice(sheet, row, column, value)
        return row

    def _check_choice(self, sheet: Sheet, row: ParsedRow, column, value) -> None:
        allowed = _allowed(column.choices)
        given = value if column.kind == CellKind.CODES else ([] if value in ("", None) else [value])
        unknown = [str(code) for code in given if code not in allowed]
        if unknown:
            self.error(
                sheet.key,
                row,
                column.key,
                "unknown_code",
                _("Unknown code(s) %(codes)s; allowed: %(allowed)s.")
                % {"codes": ", ".join(unknown), "allowed": ", ".join(str(v) for v in allowed)},
            )

    # --- helpers ---------------------------------------------------------------------------------------

    def _field_values(self, sheet: Sheet, row: ParsedRow, model: type[models.Model], skip) -> dict:
        """The row's values of ``model``'s fields; a blank number or yes/no takes the field's default."""
        values = {}
        for column in sheet.columns:
            if column.key in skip:
                continue
            value = row.values[column.key]
            model_field = model._meta.get_field(column.key)
            if value is None and column.key not in row.bad:
                if model_field.has_default():
                    value = model_field.get_default()
                else:
                    self.error(sheet.key, row, column.key, "blank", model_field.error_messages["blank"])
            values[column.key] = value
        return values

    def _clean(self, sheet: Sheet, row: ParsedRow, instance: models.Model, exclude: list[str]) -> None:
        try:
            instance.full_clean(
                exclude=[*exclude, *row.bad], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                column = "" if name == NON_FIELD_ERRORS or sheet.column(name) is None else name
                for error in errors:
                    self.error(sheet.key, row, column, error.code or "invalid", error.messages[0])

    def _reference(self, sheet: Sheet, row: ParsedRow, key: str, found: dict, code: str, message: str):
        """The stored object a cell names, or None (and an error) when nothing has that code."""
        value = row.values[key]
        if not value or key in row.bad:
            return None
        obj = found.get(value)
        if obj is None:
            self.error(sheet.key, row, key, code, message % {"value": value})
        return obj

    def _duplicate(self, sheet: Sheet, row: ParsedRow, key: str, seen: dict[str, int], what=None) -> bool:
        value = row.values[key] if what is None else what
        if not value:
            return False
        if value in seen:
            self.error(
                sheet.key,
                row,
                key,
                "duplicate_code",
                _("%(value)s is already on row %(row)s of this sheet: each may appear once.")
                % {"value": value, "row": seen[value]},
            )
            return True
        seen[value] = row.number
        return False

    # --- materials ------------------------------------------------------------------------------------

    def _materials(self) -> None:
        rows = self.rows.get(MATERIALS.key, [])
        file_codes = {r.values["code"] for r in rows}
        codes: dict[str, int] = {}
        names: dict[str, int] = {}
        for row in rows:
            duplicate = self._duplicate(MATERIALS, row, "code", codes)
            self._duplicate(MATERIALS, row, "name", names)
            holder = self.lookups.material_names.get(row.values["name"])
            if holder and holder != row.values["code"] and holder not in file_codes:
                self.error(
                    MATERIALS.key,
                    row,
                    "name",
                    "name_taken",
                    _("The material %(code)s already has the name %(name)s: names are unique.")
                    % {"code": holder, "name": row.values["name"]},
                )
            licence_type = self._reference(
                MATERIALS,
                row,
                "licence_type",
                self.lookups.licence_types,
                "unknown_licence_type",
                _("No certificate type has the code %(value)s."),
            )
            values = self._field_values(MATERIALS, row, Material, skip={"licence_type"})
            probe = Material(licence_type=licence_type, **values)
            self._clean(MATERIALS, row, probe, ["licence_type"])
            if not duplicate:
                self._plan_material(row, probe)

    def _plan_material(self, row: ParsedRow, probe: Material) -> None:
        stored = self.lookups.materials.get(probe.code)
        if stored is None:
            self.plan.materials.append(MaterialPlan(row.number, probe, is_new=True, changed=True))
            self.materials[probe.code] = probe
            return
        changed = exporter.material_row(stored) != exporter.material_row(probe)
        if changed:
            for key in MATERIALS.keys:
                setattr(stored, key, getattr(probe, key))
        self.plan.materials.append(MaterialPlan(row.number, stored, is_new=False, changed=changed))

    # --- items ----------------------------------------------------------------------------------------

    def _items(self) -> None:
        rows = self.rows.get(ITEMS.key, [])
        file_bases = {
            r.values["basic_code"]
            for r in rows
            if r.values["kind"] == ItemKind.BASE and r.values["basic_code"]
        }
        for row in rows:
            self._item(row, file_bases)

    def _item(self, row: ParsedRow, file_bases: set[str]) -> None:
        kind = row.values["kind"] if "kind" not in row.bad else ""
        code = item_code(row.values)
        code_column = "implementation_code" if kind == ItemKind.IMPLEMENTATION else "basic_code"
        duplicate = False
        if not kind:
            if "kind" not in row.bad:
                self.error(ITEMS.key, row, "kind", "blank", _("Say base or implementation."))
            # List rows naming this item are still checked, against nothing.
            self.item_rows.setdefault(code, row.number)
        else:
            duplicate = self._duplicate(ITEMS, row, code_column, self.item_rows, what=code)
        department = self._reference(
            ITEMS,
            row,
            "department",
            self.lookups.departments,
            "unknown_department",
            _("No department has the credit code %(value)s."),
        )
        category = self._reference(
            ITEMS,
            row,
            "approval_category",
            self.lookups.categories,
            "unknown_category",
            _("No approval category has the code %(value)s."),
        )
        if not row.values["approval_category"] and "approval_category" not in row.bad:
            self.error(
                ITEMS.key, row, "approval_category", "blank", _("Name the approval category by its code.")
            )
        licence_type = self._reference(
            ITEMS,
            row,
            "result_licence_type",
            self.lookups.licence_types,
            "unknown_licence_type",
            _("No certificate type has the code %(value)s."),
        )
        values = self._field_values(ITEMS, row, ServiceItem, skip=ITEM_NON_FIELDS)
        if kind == ItemKind.IMPLEMENTATION and not values["implementation_code"]:
            values["implementation_code"] = code
        values.update(department=department, approval_category=category, result_licence_type=licence_type)
        values["name_initials"] = pinyin_initials(values["name"] or "")
        lineage = self.lookups.lineages.get((kind, code)) if kind else None
        probe_lineage = self._probe_lineage(row, kind, code, department, lineage, file_bases)
        probe = ServiceItem(lineage=probe_lineage, **values)
        self._clean(ITEMS, row, probe, ITEM_CLEAN_EXCLUDE)
        if kind and code and not duplicate:
            centre_id = lineage.centre_id if lineage else (department.centre_id if department else None)
            self.items[code] = ItemPlan(
                row=row.number,
                kind=kind,
                code=code,
                values=values,
                probe=probe,
                lineage=lineage,
                base_code=row.values["base_code"],
                centre_id=centre_id,
            )

    def _probe_lineage(self, row, kind, code, department, lineage, file_bases) -> ItemLineage | None:
        """The lineage ``check_item`` judges the row against: the stored one, or an unsaved stand-in for
        a new item (never saved; ``check_item`` reads unsaved relations too)."""
        base_code = row.values["base_code"]
        base = None
        if base_code and "base_code" not in row.bad:
            base = self._base_lineage(row, kind, base_code, file_bases)
        if lineage is not None:
            stored_base = lineage.base.code if lineage.base else ""
            if base_code != stored_base:
                self.error(
                    ITEMS.key,
                    row,
                    "base_code",
                    "base_changed",
                    _("The base item of an existing implementation cannot change (it is %(code)s).")
                    % {"code": stored_base or "—"},
                )
            return lineage
        if not kind:
            return None
        centre_id = department.centre_id if department and kind == ItemKind.IMPLEMENTATION else None
        return ItemLineage(kind=kind, code=code, centre_id=centre_id, base=base)

    def _base_lineage(self, row, kind, base_code, file_bases) -> ItemLineage | None:
        if kind == ItemKind.BASE:
            self.error(
                ITEMS.key, row, "base_code", "base_of_base", _("A base catalogue item has no base item.")
            )
            return None
        stored = self.lookups.lineages.get((ItemKind.BASE, base_code))
        if stored is not None:
            return stored
        if base_code in file_bases:
            return ItemLineage(kind=ItemKind.BASE, code=base_code)
        self.error(
            ITEMS.key,
            row,
            "base_code",
            "unknown_base",
            _("No base catalogue item has the basic code %(code)s, here or in the catalogue.")
            % {"code": base_code},
        )
        return None

    # --- an item's lists ------------------------------------------------------------------------------

    def _list(self, name: str, sheet: Sheet) -> None:
        model = LIST_MODELS[name]
        positions: dict[str, int] = defaultdict(int)
        pairs: dict[str, int] = {}
        for row in self.rows.get(sheet.key, []):
            code = row.values["item_code"]
            if code not in self.item_rows:
                self.error(
                    sheet.key,
                    row,
                    "item_code",
                    "unknown_item",
                    _("No item on the items sheet has the code %(code)s.") % {"code": code or "—"},
                )
            related = {}
            if name == "materials":
                related["material"] = self._reference(
                    sheet,
                    row,
                    "material_code",
                    self.materials,
                    "unknown_material",
                    _("No material has the code %(value)s, here or in the dictionary."),
                )
                self._duplicate(
                    sheet, row, "material_code", pairs, what=f"{code} · {row.values['material_code']}"
                )
            values = self._field_values(sheet, row, model, skip={"item_code", "material_code", "order"})
            order = row.values["order"] if row.values["order"] is not None else positions[code]
            positions[code] += 1
            instance = model(order=order, **related, **values)
            self._clean(sheet, row, instance, ["item", "material", "blank_form", "sample"])
            plan = self.items.get(code)
            if plan is not None and (sheet.key, row.number) not in self.wrong_rows:
                plan.children[name].append(ChildRow(row.number, order, instance))

    # --- what to do with each item --------------------------------------------------------------------

    def _decide_items(self) -> None:
        for plan in self.items.values():
            if (ITEMS.key, plan.row) in self.wrong_rows:
                continue  # reported already; nothing will be written
            self._decide(plan)
            if not self._item_is_maintained(plan):
                continue  # reported; another centre's item is not written
            if plan.target is not None:
                plan.previous_files = {
                    m.material.code: (m.blank_form.name, m.sample.name)
                    for m in plan.target.materials.all()
                    if m.blank_form or m.sample
                }
            if self.publish and plan.action != Action.UNCHANGED:
                self._check_publishable(plan)
            self.plan.items.append(plan)

    def _decide(self, plan: ItemPlan) -> None:
        if plan.lineage is None:
            plan.action = Action.CREATE
            return
        index = self.lookups.versions[plan.lineage.pk]
        stored = self.lookups.stored_versions
        published = stored.get(index.published_pk)
        open_version = stored.get(index.open_pk)
        plan.published, plan.next_version = published, index.max_version + 1
        wanted = _signature(
            plan.probe, plan.code, {n: [c.instance for c in plan.sorted_children(n)] for n in LIST_MODELS}
        )

        def same(version: ServiceItem | None) -> bool:
            return version is not None and _signature(version, plan.code, _stored_children(version)) == wanted

        plan.matches_published = same(published)

        if self.publish:
            unchanged = same(published)
        else:
            unchanged = same(published or stored.get(index.newest_pk)) or same(open_version)
        if unchanged:
            plan.action = Action.UNCHANGED
        elif open_version is not None and same(open_version):
            plan.action, plan.target = Action.PUBLISH_OPEN, open_version
        elif open_version is not None and open_version.state == ItemState.IN_REVIEW:
            self.error(
                ITEMS.key,
                plan.row,
                "implementation_code" if plan.kind == ItemKind.IMPLEMENTATION else "basic_code",
                "in_review",
                _(
                    "Version %(version)s of this item is in review: publish it or return it to draft before "
                    "importing changes."
                )
                % {"version": open_version.version},
            )
        elif open_version is not None:
            plan.action, plan.target = Action.OVERWRITE, open_version
        else:
            plan.action, plan.target = Action.NEW_VERSION, published or stored.get(index.newest_pk)

    # --- the importer's role: its centres' items and bundles only ------------------------------------------

    def _not_yours(self, sheet: Sheet, row: int, column: str, centre) -> None:
        self.error(
            sheet.key,
            row,
            column,
            "not_your_centre",
            _(
                "You are not a catalogue admin of %(centre)s: this row would change its catalogue. Leave "
                "it out, or keep it as published."
            )
            % {"centre": centre},
        )

    def _item_is_maintained(self, plan: ItemPlan) -> bool:
        """An implementation of a centre (or department) the importer does not maintain passes only
        unchanged from its published version; otherwise its row is refused."""
        if self.role is None or plan.centre_id is None:
            return True  # the operator's import, or the base catalogue (any catalogue admin)
        departments = {plan.values.get("department")} | {
            version.department for version in (plan.target, plan.published) if version is not None
        }
        if all(self.role.covers_department(getattr(d, "pk", None), plan.centre_id) for d in departments):
            return True
        if plan.action == Action.UNCHANGED and plan.matches_published:
            return True
        centre = plan.lineage.centre if plan.lineage is not None else plan.values["department"].centre
        self._not_yours(ITEMS, plan.row, "department", centre)
        return False

    def _check_bundle_centres(self) -> None:
        """A bundle of a centre the importer does not maintain passes only as it is published."""
        if self.role is None:
            return
        for plan in self.plan.bundles:
            centres = [c for c in (plan.centre, plan.old_centre) if c is not None]
            if all(self.role.covers_centre(c.pk) for c in centres):
                continue
            untouched = not (plan.is_new or plan.changed or plan.entries_changed)
            if untouched and plan.old_state == BundleState.PUBLISHED:
                continue
            outsider = next(c for c in centres if not self.role.covers_centre(c.pk))
            self._not_yours(BUNDLES, plan.row, "centre", outsider)

    def _check_publishable(self, plan: ItemPlan) -> None:
        """``rules.list_problems`` (what publishing needs of the lists) on the file's lists."""
        problems = rules.list_problems(
            is_charged=plan.values["is_charged"],
            step_count=len(plan.children["steps"]),
            fee_count=len(plan.children["fees"]),
        )
        for problem in problems:
            column = problem.field if problem.field in ITEMS.keys else ""
            self.error(ITEMS.key, plan.row, column, problem.rule, problem.message)

    # --- bundles --------------------------------------------------------------------------------------

    def _bundles(self) -> None:
        for row in self.rows.get(BUNDLES.key, []):
            duplicate = self._duplicate(BUNDLES, row, "code", self.bundle_rows)
            centre = self._reference(
                BUNDLES,
                row,
                "centre",
                self.lookups.centres,
                "unknown_centre",
                _("No service centre has the name %(value)s."),
            )
            values = self._field_values(BUNDLES, row, Bundle, skip={"centre"})
            probe = Bundle(centre=centre, name_initials=pinyin_initials(values["name"] or ""), **values)
            # The state's code is checked with the sheet's choices; cleaning would assign it (protected).
            self._clean(BUNDLES, row, probe, ["centre", "state"])
            if not duplicate:
                self._plan_bundle(row, probe)

    def _plan_bundle(self, row: ParsedRow, probe: Bundle) -> None:
        stored = self.lookups.bundles.get(probe.code)
        if stored is None:
            plan = BundlePlan(row.number, probe, is_new=True, old_state=BundleState.DRAFT, changed=True)
        else:
            old_centre = stored.centre
            # Compared as exported; the pinyin initials follow the name.
            fields = ["name", "centre_id", "promised_limit_days", "description", "state"]
            changed = any(getattr(stored, f) != getattr(probe, f) for f in fields)
            plan = BundlePlan(row.number, stored, is_new=False, old_state=stored.state, changed=changed)
            plan.old_centre = old_centre
            for name in [*fields, "name_initials"]:
                if name != "state":  # protected: the writer moves it with an UPDATE
                    setattr(stored, name, getattr(probe, name))
        plan.state = probe.state
        moves = "state" not in row.bad and plan.state != plan.old_state
        if moves and Bundle.transition_between(plan.old_state, plan.state) is None:
            self.error(
                BUNDLES.key,
                row,
                "state",
                "state_change",
                _(
                    "A bundle is published from a draft, and retired from a draft or when published: "
                    "it cannot go from %(old)s to %(new)s."
                )
                % {"old": BundleState(plan.old_state).label, "new": BundleState(plan.state).label},
            )
        plan.centre = probe.centre if probe.centre_id else None
        self.plan.bundles.append(plan)

    def _bundle_items(self) -> None:
        plans = {plan.bundle.code: plan for plan in self.plan.bundles}
        positions: dict[str, int] = defaultdict(int)
        pairs: dict[str, int] = {}
        for row in self.rows.get(BUNDLE_ITEMS.key, []):
            bundle_code, code = row.values["bundle_code"], row.values["item_code"]
            if bundle_code not in self.bundle_rows:
                self.error(
                    BUNDLE_ITEMS.key,
                    row,
                    "bundle_code",
                    "unknown_bundle",
                    _("No bundle on the bundles sheet has the code %(code)s.") % {"code": bundle_code or "—"},
                )
            if code not in self.item_rows and self.lookups.lineage(code) is None:
                self.error(
                    BUNDLE_ITEMS.key,
                    row,
                    "item_code",
                    "unknown_item",
                    _("No item has the code %(code)s, here or in the catalogue.") % {"code": code or "—"},
                )
                continue
            if self._duplicate(BUNDLE_ITEMS, row, "item_code", pairs, what=f"{bundle_code} · {code}"):
                continue
            order = row.values["order"] if row.values["order"] is not None else positions[bundle_code]
            positions[bundle_code] += 1
            if bundle_code in plans:
                plans[bundle_code].entries.append((row.number, order, code))
        for plan in self.plan.bundles:
            plan.entries.sort(key=lambda entry: (entry[1], entry[0]))
            stored = [] if plan.is_new else [(e.order, e.lineage.code) for e in plan.bundle.entries.all()]
            plan.entries_changed = stored != [(order, code) for _row, order, code in plan.entries]

    def _check_published_bundles(self) -> None:
        """``rules.bundle_problems``, judged on the catalogue as it will be after the import."""
        for plan in self.plan.bundles:
            if plan.state != BundleState.PUBLISHED:
                continue
            entries = [(row, code) for row, _order, code in plan.entries if not self._item_row_is_wrong(code)]
            members = [
                rules.BundleMember(code, self._centre_of(code), self._published_limit(code))
                for _row, code in entries
            ]
            problems = rules.bundle_problems(
                centre_id=plan.bundle.centre_id,
                promised_limit_days=plan.bundle.promised_limit_days,
                members=members,
            )
            for problem in problems:
                if problem.rule == "too_few_items" and len(plan.entries) >= 2:
                    continue  # members left out above are wrong on the items sheet, reported there
                if problem.member is None:
                    column = problem.field if problem.field in BUNDLES.keys else ""
                    self.error(BUNDLES.key, plan.row, column, problem.rule, problem.message)
                else:
                    self.error(
                        BUNDLE_ITEMS.key,
                        entries[problem.member][0],
                        "item_code",
                        problem.rule,
                        problem.message,
                    )

    def _item_row_is_wrong(self, code: str) -> bool:
        if code not in self.item_rows:
            return False
        plan = self.items.get(code)
        return plan is None or (ITEMS.key, plan.row) in self.wrong_rows

    def _published_limit(self, code: str) -> int | None:
        """The legal limit of the item's published version after the import; None if it has none."""
        plan = self.items.get(code)
        if plan is not None and self.publish:
            return plan.values["legal_limit_days"]
        lineage = self.lookups.lineage(code)
        if lineage is None:
            return None
        return self.lookups.versions[lineage.pk].published_legal_limit

    def _centre_of(self, code: str) -> int | None:
        plan = self.items.get(code)
        if plan is not None:
            return plan.centre_id
        lineage = self.lookups.lineage(code)
        return lineage.centre_id if lineage else None
