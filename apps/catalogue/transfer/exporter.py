"""Exporting the catalogue as a workbook (the layout is in ``tables``).

What is exported: the published versions of all items (or the versions of a given queryset, one per
item), their materials, fees, process steps and FAQ; the material dictionary (all of it for a full
export, the materials the items use otherwise); every bundle that is not retired, with its items —
for a catalogue admin (``role``), the published bundles and their own centres' drafts only.

Files are not exported: an item's result sample and a material requirement's blank form and filled-in
sample stay in the portal (an import keeps the files the item had).

The row functions here are also how the importer compares a workbook row with a stored version, so
that "unchanged" means exactly "would export the same".
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from apps.catalogue.codes import ItemState
from apps.catalogue.models import Bundle, BundleItem, BundleState, Material, ServiceItem
from apps.catalogue.selectors import CatalogueRole, item_with_lists
from apps.catalogue.transfer.cells import CellValue, to_cell
from apps.catalogue.transfer.tables import (
    BUNDLE_ITEMS,
    BUNDLES,
    ITEMS,
    LIST_SHEETS,
    MATERIALS,
    Sheet,
)
from apps.catalogue.transfer.writers import write_workbook

Row = dict[str, CellValue]


def export_catalogue(
    *, fmt: str = "xlsx", queryset: QuerySet[ServiceItem] | None = None, role: CatalogueRole | None = None
) -> bytes:
    """The catalogue as .xlsx (``fmt="xlsx"``) or as a .zip of CSV files (``fmt="csv"``), in a fixed
    number of queries however many items there are."""
    return write_workbook(catalogue_rows(queryset, role=role), fmt)


def catalogue_rows(
    queryset: QuerySet[ServiceItem] | None = None, *, role: CatalogueRole | None = None
) -> dict[str, list[Row]]:
    whole = queryset is None
    if whole:
        queryset = ServiceItem.objects.filter(state=ItemState.PUBLISHED)
    items = list(
        item_with_lists(queryset).order_by("lineage__kind", "basic_code", "implementation_code", "pk")
    )
    rows: dict[str, list[Row]] = {MATERIALS.key: [], ITEMS.key: [], BUNDLES.key: [], BUNDLE_ITEMS.key: []}
    rows.update({sheet.key: [] for sheet in LIST_SHEETS.values()})
    for item in items:
        rows[ITEMS.key].append(item_row(item))
        for name, sheet in LIST_SHEETS.items():
            rows[sheet.key].extend(list_row(sheet, child, item.code) for child in getattr(item, name).all())
    rows[MATERIALS.key] = [material_row(m) for m in _materials(items, whole)]
    for bundle in _bundles(role):
        rows[BUNDLES.key].append(bundle_row(bundle))
        rows[BUNDLE_ITEMS.key].extend(bundle_item_row(bundle, entry) for entry in bundle.entries.all())
    return rows


def _materials(items: list[ServiceItem], whole: bool) -> QuerySet[Material]:
    materials = Material.objects.select_related("licence_type").order_by("code")
    if whole:
        return materials
    used = {requirement.material_id for item in items for requirement in item.materials.all()}
    return materials.filter(pk__in=used)


def _bundles(role: CatalogueRole | None) -> QuerySet[Bundle]:
    entries = BundleItem.objects.select_related("lineage").order_by("order", "pk")
    bundles = Bundle.objects.exclude(state=BundleState.RETIRED)
    if role is not None and not role.everywhere:
        # Another centre's draft bundle is its own business; published ones are public.
        bundles = bundles.filter(Q(state=BundleState.PUBLISHED) | Q(centre_id__in=role.centre_ids))
    return bundles.select_related("centre").prefetch_related(Prefetch("entries", entries)).order_by("code")


# --- one row ------------------------------------------------------------------------------------------


def _cells(sheet: Sheet, values: dict) -> Row:
    return {column.key: to_cell(column, values[column.key]) for column in sheet.columns}


def _code_of(obj, attribute: str = "code") -> str:
    return getattr(obj, attribute) if obj is not None else ""


def material_row(material: Material) -> Row:
    values = {key: getattr(material, key) for key in MATERIALS.keys if key != "licence_type"}
    values["licence_type"] = _code_of(material.licence_type)
    return _cells(MATERIALS, values)


def item_row(item: ServiceItem) -> Row:
    """``item.lineage`` (with its base), department, category and certificate type must be loaded."""
    special = {
        "kind": item.lineage.kind,
        "base_code": _code_of(item.lineage.base),
        "department": _code_of(item.department, "credit_code"),
        "approval_category": _code_of(item.approval_category),
        "result_licence_type": _code_of(item.result_licence_type),
    }
    values = {key: special[key] if key in special else getattr(item, key) for key in ITEMS.keys}
    return _cells(ITEMS, values)


def list_row(sheet: Sheet, child, item_code: str) -> Row:
    """One row of an item's list (a material requirement, fee, step or FAQ entry)."""
    special = {"item_code": item_code}
    if sheet.key == "item_materials":
        special["material_code"] = child.material.code
    values = {key: special[key] if key in special else getattr(child, key) for key in sheet.keys}
    return _cells(sheet, values)


def bundle_row(bundle: Bundle) -> Row:
    values = {key: getattr(bundle, key) for key in BUNDLES.keys if key != "centre"}
    values["centre"] = bundle.centre.name
    return _cells(BUNDLES, values)


def bundle_item_row(bundle: Bundle, entry: BundleItem) -> Row:
    return _cells(
        BUNDLE_ITEMS, {"bundle_code": bundle.code, "item_code": entry.lineage.code, "order": entry.order}
    )
