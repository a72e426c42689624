"""Which service area serves what: the area of an item or a bundle at a centre, the areas a window
serves. (The hall's set-up pages and their services are added below these.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import ServiceCentre, Window, WindowKind
from apps.accounts.selectors import supervised_centres
from apps.audit.services import record_step
from apps.catalogue.models import ApprovalCategory, Bundle, ServiceItem
from apps.catalogue.selectors import bundle_items
from apps.visits.models import OpeningPeriod, ServiceArea


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


# --- the hall's set-up (大厅设置): a supervisor of the whole centre changes it --------------------------
#
# Areas, their windows and the opening hours are the centre's, as its windows are: a supervisor of the
# centre (a supervision post naming no department) sets them up; another centre's are refused
# (PermissionDenied). Each change is logged, and the booking horizon's slots follow it at once
# (``slots.generate_ahead``), so that the booking pages never offer hours the hall no longer keeps.


def manages_hall(user) -> bool:
    """Whether ``user`` sets up the hall of some centre (the set-up page's forms)."""
    return supervised_centres(user).exists()


def centres_for_supervisor(user) -> QuerySet[ServiceCentre]:
    return ServiceCentre.objects.filter(pk__in=supervised_centres(user)).order_by("name")


def areas_for_supervisor(user) -> QuerySet[ServiceArea]:
    """The areas, active or not, of the centres ``user`` supervises, with their windows."""
    return (
        ServiceArea.objects.filter(centre_id__in=supervised_centres(user))
        .select_related("centre", "category")
        .prefetch_related(Prefetch("windows", queryset=Window.objects.order_by("number")))
        .order_by("centre__name", "order", "prefix")
    )


def periods_for_supervisor(user) -> QuerySet[OpeningPeriod]:
    return (
        OpeningPeriod.objects.filter(centre_id__in=supervised_centres(user))
        .select_related("centre")
        .order_by("centre__name", "starts_at")
    )


def windows_for_areas(centre_ids) -> QuerySet[Window]:
    """The windows an area may be given: the centres' active comprehensive windows (综合窗口)."""
    return (
        Window.objects.filter(centre_id__in=centre_ids, kind=WindowKind.COMPREHENSIVE, is_active=True)
        .select_related("centre")
        .order_by("centre__name", "number")
    )


def _require_hall_keeper(actor, centre_id: int) -> None:
    if not supervised_centres(actor).filter(centre_id=centre_id).exists():
        raise PermissionDenied(_("Only a supervisor of the service centre may set up its hall."))


def _checked_windows(centre_id: int, window_ids) -> list[Window]:
    ids = set(window_ids or ())
    windows = list(windows_for_areas([centre_id]).filter(pk__in=ids))
    if len(windows) != len(ids):
        raise ValidationError(
            {"windows": _("An area is served by active comprehensive windows of its own centre only.")}
        )
    return windows


def _check_area(area: ServiceArea) -> None:
    """The area's own rules, in words for people (the constraints say the same to the database)."""
    area.prefix = (area.prefix or "").strip().upper()
    try:
        area.full_clean(exclude=["centre", "category", "windows"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    others = ServiceArea.objects.filter(centre_id=area.centre_id).exclude(pk=area.pk)
    if others.filter(category_id=area.category_id).exists():
        raise ValidationError({"category": _("The centre already has an area for this approval category.")})
    if others.filter(prefix=area.prefix).exists():
        raise ValidationError({"prefix": _("Another area of the centre has this ticket prefix.")})
    if area.slot_capacity < 1:
        raise ValidationError({"slot_capacity": _("A slot takes at least one appointment.")})


def _save_area(area: ServiceArea) -> None:
    _check_area(area)
    try:
        with transaction.atomic():
            area.save()
    except IntegrityError:  # the same category or prefix given at once by two supervisors
        raise ValidationError(
            {"prefix": _("Another area of the centre has this approval category or ticket prefix.")}
        ) from None


def _refresh_slots(centre_id: int) -> None:
    from apps.visits.slots import generate_ahead

    generate_ahead(centre_id)


AREA_FIELDS = ("category", "prefix", "slot_capacity", "order", "is_active")


@transaction.atomic
def create_area(
    *,
    centre_id: int,
    category_id: int,
    prefix: str,
    slot_capacity: int,
    order: int = 0,
    window_ids=(),
    actor,
    client_ip=None,
) -> ServiceArea:
    """A new service area of the centre, for one approval category, served at ``window_ids``."""
    _require_hall_keeper(actor, centre_id)
    if not ApprovalCategory.objects.filter(pk=category_id).exists():
        raise ValidationError({"category": _("Choose an approval category.")})
    area = ServiceArea(
        centre_id=centre_id, category_id=category_id, prefix=prefix, slot_capacity=slot_capacity, order=order
    )
    _save_area(area)
    windows = _checked_windows(centre_id, window_ids)
    area.windows.set(windows)
    record_step(
        area,
        step="service_area_created",
        actor=actor,
        client_ip=client_ip,
        prefix=area.prefix,
        category=area.category_id,
        slot_capacity=area.slot_capacity,
        windows=sorted(w.number for w in windows),
    )
    _refresh_slots(centre_id)
    return area


@transaction.atomic
def update_area(*, area_id: int, actor, client_ip=None, window_ids=None, **changes) -> ServiceArea:
    """Change an area's category, prefix, capacity per slot, order or whether it is in use
    (``AREA_FIELDS``), and, when ``window_ids`` is given, the windows serving it. A closed area takes
    no new bookings or tickets; the slots booked already stay."""
    unknown = set(changes) - set(AREA_FIELDS)
    if unknown:
        raise TypeError(f"update_area: unknown fields {sorted(unknown)}")
    area = ServiceArea.objects.select_for_update().filter(pk=area_id).first()
    if area is None:
        raise PermissionDenied(_("Only a supervisor of the service centre may set up its hall."))
    _require_hall_keeper(actor, area.centre_id)
    before = {field: getattr(area, f"{field}_id" if field == "category" else field) for field in AREA_FIELDS}
    for field, value in changes.items():
        setattr(area, f"{field}_id" if field == "category" else field, getattr(value, "pk", value))
    if "category" in changes and not ApprovalCategory.objects.filter(pk=area.category_id).exists():
        raise ValidationError({"category": _("Choose an approval category.")})
    _save_area(area)
    changed = {
        field: getattr(area, f"{field}_id" if field == "category" else field)
        for field in AREA_FIELDS
        if getattr(area, f"{field}_id" if field == "category" else field) != before[field]
    }
    if window_ids is not None:
        windows = _checked_windows(area.centre_id, window_ids)
        old = sorted(area.windows.values_list("number", flat=True))
        area.windows.set(windows)
        if sorted(w.number for w in windows) != old:
            changed["windows"] = sorted(w.number for w in windows)
    if changed:
        record_step(area, step="service_area_changed", actor=actor, client_ip=client_ip, **changed)
        _refresh_slots(area.centre_id)
    return area


def _check_period(period: OpeningPeriod) -> None:
    if period.starts_at is None or period.ends_at is None or period.ends_at <= period.starts_at:
        raise ValidationError({"ends_at": _("The hall closes after it opens.")})
    overlapping = (
        OpeningPeriod.objects.filter(
            centre_id=period.centre_id, starts_at__lt=period.ends_at, ends_at__gt=period.starts_at
        )
        .exclude(pk=period.pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {"starts_at": _("These hours overlap the opening period %(period)s.") % {"period": overlapping}}
        )


def _locked_centre(centre_id: int) -> None:
    """Serialise changes of one centre's opening hours (two overlapping periods added at once)."""
    ServiceCentre.objects.select_for_update().filter(pk=centre_id).first()


@transaction.atomic
def add_opening_period(*, centre_id: int, starts_at, ends_at, actor, client_ip=None) -> OpeningPeriod:
    """The hall also open from ``starts_at`` to ``ends_at`` on each working day (not overlapping the
    other periods)."""
    _require_hall_keeper(actor, centre_id)
    _locked_centre(centre_id)
    period = OpeningPeriod(centre_id=centre_id, starts_at=starts_at, ends_at=ends_at)
    _check_period(period)
    period.save()
    record_step(period, step="opening_period_added", actor=actor, client_ip=client_ip, period=str(period))
    _refresh_slots(centre_id)
    return period


@transaction.atomic
def change_opening_period(*, period_id: int, starts_at, ends_at, actor, client_ip=None) -> OpeningPeriod:
    period = OpeningPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise PermissionDenied(_("Only a supervisor of the service centre may set up its hall."))
    _require_hall_keeper(actor, period.centre_id)
    _locked_centre(period.centre_id)
    before = str(period)
    period.starts_at, period.ends_at = starts_at, ends_at
    _check_period(period)
    period.save()
    record_step(
        period,
        step="opening_period_changed",
        actor=actor,
        client_ip=client_ip,
        before=before,
        period=str(period),
    )
    _refresh_slots(period.centre_id)
    return period


@transaction.atomic
def remove_opening_period(*, period_id: int, actor, client_ip=None) -> None:
    """The hall no longer open in that period: its slots nobody booked go; booked ones are kept (the
    booking holds, and its citizen comes)."""
    period = OpeningPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise PermissionDenied(_("Only a supervisor of the service centre may set up its hall."))
    _require_hall_keeper(actor, period.centre_id)
    _locked_centre(period.centre_id)
    record_step(period, step="opening_period_removed", actor=actor, client_ip=client_ip, period=str(period))
    period.delete()
    _refresh_slots(period.centre_id)
