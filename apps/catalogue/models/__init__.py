from apps.catalogue.codes import ItemKind, ItemState
from apps.catalogue.models.bundles import Bundle, BundleItem, BundleState
from apps.catalogue.models.categories import ApprovalCategory
from apps.catalogue.models.imports import ImportJob
from apps.catalogue.models.items import (
    FaqEntry,
    FeeItem,
    ItemLineage,
    ItemMaterial,
    ProcessStep,
    ServiceItem,
)
from apps.catalogue.models.materials import Material

__all__ = [
    "ApprovalCategory",
    "Bundle",
    "BundleItem",
    "BundleState",
    "FaqEntry",
    "FeeItem",
    "ImportJob",
    "ItemKind",
    "ItemLineage",
    "ItemMaterial",
    "ItemState",
    "Material",
    "ProcessStep",
    "ServiceItem",
]
