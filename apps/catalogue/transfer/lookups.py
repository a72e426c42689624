"""Every stored object a workbook refers to, fetched up front in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import models

from apps.accounts.models import Department, ServiceCentre
from apps.catalogue.codes import OPEN_STATES, ItemKind, ItemState
from apps.catalogue.models import ApprovalCategory, Bundle, BundleItem, ItemLineage, Material, ServiceItem
from apps.catalogue.selectors import item_with_lists
from apps.catalogue.transfer.tables import BUNDLE_ITEMS, BUNDLES, ITEMS, LIST_SHEETS, MATERIALS, Sheet
from apps.licences.models import LicenceType


class Row(Protocol):
    values: dict[str, object]


@dataclass
class VersionIndex:
    """What matters of a stored item's versions, from one light query."""

    newest_pk: int | None = None
    max_version: int = 0
    published_pk: int | None = None
    published_legal_limit: int | None = None
    open_pk: int | None = None


def item_code(values: dict) -> str:
    """The code an item row is known by: implementation code (derived from the credit code, level and
    basic code when the cell is blank) or basic code."""
    if values.get("kind") == ItemKind.IMPLEMENTATION:
        derived = ""
        if values.get("department") and values.get("level") and values.get("basic_code"):
            derived = f"{values['department']}{values['level']}{values['basic_code']}"
        return str(values.get("implementation_code") or derived)
    return str(values.get("basic_code") or "")


class Lookups:
    """Every stored object the workbook refers to, fetched in a fixed number of queries."""

    def __init__(self, rows: dict[str, list[Row]]):
        def cells(sheet: Sheet, key: str) -> set[str]:
            return {str(r.values[key]) for r in rows.get(sheet.key, []) if r.values.get(key)}

        item_rows = rows.get(ITEMS.key, [])
        self.categories = {c.code: c for c in ApprovalCategory.objects.all()}
        self.departments = {
            d.credit_code: d
            for d in Department.objects.filter(credit_code__in=cells(ITEMS, "department")).select_related(
                "centre"
            )
        }
        licence_codes = cells(MATERIALS, "licence_type") | cells(ITEMS, "result_licence_type")
        self.licence_types = {t.code: t for t in LicenceType.objects.filter(code__in=licence_codes)}
        self.centres = {c.name: c for c in ServiceCentre.objects.filter(name__in=cells(BUNDLES, "centre"))}
        material_codes = cells(MATERIALS, "code") | cells(LIST_SHEETS["materials"], "material_code")
        self.materials = {m.code: m for m in Material.objects.filter(code__in=material_codes)}
        self.material_names = dict(
            Material.objects.filter(name__in=cells(MATERIALS, "name")).values_list("name", "code")
        )
        item_codes = {item_code(r.values) for r in item_rows} - {""}
        codes = item_codes | cells(ITEMS, "base_code") | cells(BUNDLE_ITEMS, "item_code")
        lineages = ItemLineage.objects.filter(code__in=codes).select_related("base", "centre")
        self.lineages = {(lineage.kind, lineage.code): lineage for lineage in lineages}
        self.versions = self._version_index(lineage.pk for lineage in self.lineages.values())
        wanted = [
            self.lineages[key].pk
            for key in {(r.values.get("kind"), item_code(r.values)) for r in item_rows}
            if key in self.lineages
        ]
        self.stored_versions = self._stored_versions(wanted)
        bundles = (
            Bundle.objects.filter(code__in=cells(BUNDLES, "code"))
            .select_related("centre")
            .prefetch_related(
                models.Prefetch(
                    "entries", BundleItem.objects.select_related("lineage").order_by("order", "pk")
                )
            )
        )
        self.bundles = {b.code: b for b in bundles}

    @staticmethod
    def _version_index(lineage_ids: Iterable[int]) -> dict[int, VersionIndex]:
        index: dict[int, VersionIndex] = defaultdict(VersionIndex)
        rows = ServiceItem.objects.filter(lineage_id__in=list(lineage_ids)).values_list(
            "pk", "lineage_id", "version", "state", "legal_limit_days"
        )
        for pk, lineage_id, version, state, legal_limit in rows:
            entry = index[lineage_id]
            if version > entry.max_version:
                entry.max_version, entry.newest_pk = version, pk
            if state == ItemState.PUBLISHED:
                entry.published_pk, entry.published_legal_limit = pk, legal_limit
            elif state in OPEN_STATES:
                entry.open_pk = pk
        return index

    def _stored_versions(self, lineage_ids: list[int]) -> dict[int, ServiceItem]:
        """The versions an import compares with: published, open and newest, with their lists."""
        pks = set()
        for lineage_id in lineage_ids:
            entry = self.versions[lineage_id]
            pks.update(pk for pk in (entry.published_pk, entry.open_pk, entry.newest_pk) if pk)
        return {item.pk: item for item in item_with_lists(ServiceItem.objects.filter(pk__in=pks))}

    def lineage(self, code: str) -> ItemLineage | None:
        """A stored lineage by its code: basic codes (12 characters) and implementation codes (31)
        cannot be mistaken for each other."""
        return self.lineages.get((ItemKind.IMPLEMENTATION, code)) or self.lineages.get((ItemKind.BASE, code))
