"""Which service area serves what: the area of an item or a bundle at a centre, the areas a window
serves. (The hall's set-up pages and their services are added below these.)"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.catalogue.models import Bundle, ServiceItem
from apps.catalogue.selectors import bundle_items
from apps.visits.models import ServiceArea


def active_areas(centre_id: int) -> QuerySet[ServiceArea]:
    return ServiceArea.objects.filter(centre_id=centre_id, is_active=True).select_related("category")


def area_for(
    centre_id: int, *, item: ServiceItem | None = None, bundle: Bundle | None = None
) -> ServiceArea | None:
    """The active area of ``centre_id`` serving ``item``'s approval category, or a bundle's first
    item's (the bundle is handled where its lead item is). None when no area of the centre serves it."""
    if item is None and bundle is not None:
        items = bundle_items(bundle, prepare=lambda queryset: queryset)
        item = items[0] if items else None
    if item is None or item.approval_category_id is None:
        return None
    return active_areas(centre_id).filter(category_id=item.approval_category_id).first()


def areas_of_window(window_id: int) -> QuerySet[ServiceArea]:
    """The active areas a window serves (whose tickets its clerk may call)."""
    return ServiceArea.objects.filter(windows=window_id, is_active=True)
