"""What an import will write, as the validator plans it and the writer carries it out."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.db import models

from apps.catalogue.models import (
    Bundle,
    FaqEntry,
    FeeItem,
    ItemLineage,
    ItemMaterial,
    Material,
    ProcessStep,
    ServiceItem,
)

# An item's lists: name on ServiceItem → model.
LIST_MODELS: dict[str, type[models.Model]] = {
    "materials": ItemMaterial,
    "fees": FeeItem,
    "steps": ProcessStep,
    "faqs": FaqEntry,
}


class Action(enum.Enum):
    CREATE = "create"  # a new item: lineage and version 1
    NEW_VERSION = "new_version"  # a new version of an existing item
    OVERWRITE = "overwrite"  # the item's open draft takes the file's elements and lists
    PUBLISH_OPEN = "publish_open"  # the item's open version equals the file; it is published
    UNCHANGED = "unchanged"


@dataclass
class ChildRow:
    row: int
    order: int
    instance: models.Model  # an unsaved ItemMaterial, FeeItem, ProcessStep or FaqEntry


@dataclass
class ItemPlan:
    row: int
    kind: str
    code: str
    values: dict  # ServiceItem constructor arguments: elements, name_initials, change_note
    probe: ServiceItem  # the checked, unsaved version (its lineage is a stand-in for a new item)
    lineage: ItemLineage | None  # the existing lineage, None for a new item
    base_code: str
    centre_id: int | None
    children: dict[str, list[ChildRow]] = field(default_factory=lambda: {name: [] for name in LIST_MODELS})
    action: Action = Action.CREATE
    target: ServiceItem | None = None  # the stored version compared with, overwritten or published
    published: ServiceItem | None = None  # the stored published version
    next_version: int = 1
    # The file's row equals the stored published version (what another centre's row must do to pass).
    matches_published: bool = False
    # Files of the target's material requirements by material code (blank form, sample): the
    # workbook has no files, so the rewritten requirements keep these.
    previous_files: dict[str, tuple[str, str]] = field(default_factory=dict)

    def sorted_children(self, name: str) -> list[ChildRow]:
        return sorted(self.children[name], key=lambda child: (child.order, child.row))


@dataclass
class MaterialPlan:
    row: int
    material: Material  # the stored one with the file's values applied, or a new one
    is_new: bool
    changed: bool


@dataclass
class BundlePlan:
    row: int
    bundle: Bundle  # the stored one with the file's values applied, or a new one
    is_new: bool
    old_state: str
    changed: bool
    entries: list[tuple[int, int, str]] = field(default_factory=list)  # (row, order, item code)
    entries_changed: bool = False
    centre: object = None  # the file's centre (a ServiceCentre; None if the cell named none known)
    old_centre: object = None  # the stored bundle's centre before the file's values
    # The file's state: written by an UPDATE (the state field is protected), along the graph's edges.
    state: str = ""


@dataclass
class Plan:
    materials: list[MaterialPlan] = field(default_factory=list)
    items: list[ItemPlan] = field(default_factory=list)
    bundles: list[BundlePlan] = field(default_factory=list)
    lineages: dict[str, ItemLineage] = field(default_factory=dict)  # stored lineages by code
