"""The workbook's layout: its sheets and their columns, in one place that export and import both read.

Every sheet has two header rows: row 1 holds the column keys the importer reads (so a workbook
round-trips whatever the language), row 2 the column labels people read (in the active language,
Chinese by default; in .xlsx the label cells carry a comment listing the allowed codes). Data rows
start at row 3, and errors name rows as Excel shows them.

Cells hold codes, never labels: code-list codes ("01", "required"), basic and implementation codes for
items, credit codes for departments, category codes, certificate type codes and centre names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.catalogue.codes import (
    Channel,
    ExerciseLevel,
    HandlingType,
    ItemKind,
    ItemType,
    MaterialForm,
    MaterialSource,
    MaterialType,
    Necessity,
    ServiceObject,
    SpecialProcedure,
    Visits,
)
from apps.catalogue.models import (
    Bundle,
    BundleState,
    FaqEntry,
    FeeItem,
    ItemMaterial,
    Material,
    ProcessStep,
    ServiceItem,
)

KEY_ROW = 1
LABEL_ROW = 2
FIRST_DATA_ROW = 3


class CellKind(enum.Enum):
    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    CODES = "codes"  # a set of codes of one list, comma-separated in one cell


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: CellKind = CellKind.TEXT
    choices: type[models.Choices] | None = None

    def note(self) -> str:
        """What the cell may hold, for the label cell's comment."""
        if self.choices is not None:
            listed = "\n".join(f"{value} {label}" for value, label in self.choices.choices)
            if self.kind == CellKind.CODES:
                return f"{_('One or more codes, separated by commas:')}\n{listed}"
            return f"{_('One code:')}\n{listed}"
        if self.kind == CellKind.BOOLEAN:
            return str(_("TRUE or FALSE"))
        if self.kind == CellKind.INTEGER:
            return str(_("A whole number"))
        return ""


@dataclass(frozen=True)
class Sheet:
    key: str
    label: str | Promise
    columns: tuple[Column, ...]

    @property
    def keys(self) -> list[str]:
        return [column.key for column in self.columns]

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


def field(model: type[models.Model], name: str, **options) -> Column:
    """A column holding a model field as it is, labelled with the field's own name."""
    model_field = model._meta.get_field(name)
    options.setdefault("label", model_field.verbose_name)
    if "kind" not in options:
        options["kind"] = _cell_kind(model_field)
    return Column(key=name, **options)


def _cell_kind(model_field: models.Field) -> CellKind:
    if isinstance(model_field, models.BooleanField):
        return CellKind.BOOLEAN
    if isinstance(model_field, models.IntegerField):
        return CellKind.INTEGER
    return CellKind.TEXT


ITEM_CODE = Column("item_code", _("item code (basic code of a base item, implementation code otherwise)"))
ORDER = Column("order", _("order"), CellKind.INTEGER)

MATERIALS = Sheet(
    "materials",
    _("materials"),
    (
        field(Material, "code"),
        field(Material, "name"),
        field(Material, "material_type", choices=MaterialType),
        field(Material, "source", choices=MaterialSource),
        field(Material, "issuing_body"),
        field(Material, "description"),
        Column("licence_type", _("replaceable by certificate type (type code)")),
    ),
)

ITEMS = Sheet(
    "items",
    _("items"),
    (
        Column("kind", _("kind"), choices=ItemKind),
        field(ServiceItem, "basic_code"),
        field(ServiceItem, "implementation_code"),
        Column("base_code", _("base item (its basic code; implementations only)")),
        field(ServiceItem, "name"),
        field(ServiceItem, "item_type", choices=ItemType),
        field(ServiceItem, "level", choices=ExerciseLevel),
        Column("department", _("implementing department (credit code)")),
        Column("approval_category", _("approval category (code)")),
        field(ServiceItem, "legal_basis"),
        field(ServiceItem, "conditions"),
        field(ServiceItem, "legal_limit_days"),
        field(ServiceItem, "promised_limit_days"),
        field(ServiceItem, "limit_note"),
        field(ServiceItem, "handling_type", choices=HandlingType),
        field(ServiceItem, "special_procedures", kind=CellKind.CODES, choices=SpecialProcedure),
        field(ServiceItem, "max_extension_days"),
        field(ServiceItem, "requires_second_signoff"),
        field(ServiceItem, "is_charged"),
        field(ServiceItem, "serves", kind=CellKind.CODES, choices=ServiceObject),
        field(ServiceItem, "channels", kind=CellKind.CODES, choices=Channel),
        field(ServiceItem, "visits_required", choices=Visits),
        field(ServiceItem, "online_supported"),
        field(ServiceItem, "appointment_supported"),
        field(ServiceItem, "postal_delivery_supported"),
        field(ServiceItem, "result_name"),
        Column("result_licence_type", _("result certificate type (type code)")),
        field(ServiceItem, "location"),
        field(ServiceItem, "hours"),
        field(ServiceItem, "consultation_phone"),
        field(ServiceItem, "supervision_phone"),
        field(ServiceItem, "change_note"),
    ),
)

ITEM_MATERIALS = Sheet(
    "item_materials",
    _("required materials"),
    (
        ITEM_CODE,
        Column("material_code", _("material (code)")),
        ORDER,
        field(ItemMaterial, "original_count"),
        field(ItemMaterial, "copy_count"),
        field(ItemMaterial, "necessity", choices=Necessity),
        field(ItemMaterial, "form", choices=MaterialForm),
        field(ItemMaterial, "acceptance_standard"),
        field(ItemMaterial, "e_certificate_accepted"),
        field(ItemMaterial, "note"),
    ),
)

FEES = Sheet(
    "fees",
    _("fee items"),
    (ITEM_CODE, ORDER, field(FeeItem, "name"), field(FeeItem, "standard"), field(FeeItem, "basis")),
)

STEPS = Sheet(
    "steps",
    _("process steps"),
    (ITEM_CODE, ORDER, field(ProcessStep, "name"), field(ProcessStep, "description")),
)

FAQS = Sheet(
    "faqs",
    _("FAQ"),
    (ITEM_CODE, ORDER, field(FaqEntry, "question"), field(FaqEntry, "answer")),
)

BUNDLES = Sheet(
    "bundles",
    _("bundles (一件事)"),
    (
        field(Bundle, "code"),
        field(Bundle, "name"),
        Column("centre", _("service centre (name)")),
        field(Bundle, "promised_limit_days"),
        field(Bundle, "description"),
        field(Bundle, "state", choices=BundleState),
    ),
)

BUNDLE_ITEMS = Sheet(
    "bundle_items",
    _("bundle items"),
    (Column("bundle_code", _("bundle (code)")), ITEM_CODE, ORDER),
)

# In the order they are written; the importer reads them in any order.
SHEETS: tuple[Sheet, ...] = (MATERIALS, ITEMS, ITEM_MATERIALS, FEES, STEPS, FAQS, BUNDLES, BUNDLE_ITEMS)
SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}

# The lists of an item, each in its own sheet: list name on ServiceItem → sheet.
LIST_SHEETS = {"materials": ITEM_MATERIALS, "fees": FEES, "steps": STEPS, "faqs": FAQS}

# Element fields that are files: neither exported nor imported (a new version keeps the old files).
FILE_FIELDS = ("result_sample",)
