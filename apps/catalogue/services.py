"""Catalogue use cases: creating items, versioning and publishing them, bundles.

Every state change goes through here: the row is locked, the transition checked and applied by
``apps.audit.transitions.apply_transition`` (which logs it), all in one transaction.

Each service that acts for a person (``actor``) refuses one who may not change the object
(``PermissionDenied``): the permission for the change, and the object maintained by them
(``selectors.maintains``: their centres' items and bundles, the base catalogue; superusers all) — the
API, the admin and the importer ask the same before they call. ``actor=None`` is the hall itself
(the demo seed, the operator's import command).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import Perm
from apps.audit.services import record_step
from apps.audit.transitions import apply_transition, check_transition
from apps.catalogue import rules
from apps.catalogue.codes import OPEN_STATES, ItemKind, ItemState
from apps.catalogue.models import (
    Bundle,
    BundleItem,
    BundleState,
    FaqEntry,
    FeeItem,
    ItemLineage,
    ItemMaterial,
    ProcessStep,
    ServiceItem,
)
from apps.catalogue.models.items import four_eyes_applies, submitted_by_id
from apps.catalogue.naming import pinyin_initials
from apps.core.errors import Conflict

# Fields that are bookkeeping of a version, not elements of the item.
VERSION_FIELDS = {
    "id",
    "lineage",
    "version",
    "state",
    "created_at",
    "created_by",
    "published_at",
    "published_by",
    "change_note",
    "name_initials",
}
# Elements an implementation may set for itself; every other element is standard (多级十同).
# The exercise level is the implementing body's (a county implements a city-level base item at level 4),
# which is also why the implementation code carries it.
LOCAL_FIELDS = {
    "department",
    "level",
    "implementation_code",
    "location",
    "hours",
    "consultation_phone",
    "supervision_phone",
}
CHILD_MODELS = {"materials": ItemMaterial, "fees": FeeItem, "steps": ProcessStep, "faqs": FaqEntry}


def element_fields() -> list[str]:
    return [f.name for f in ServiceItem._meta.concrete_fields if f.name not in VERSION_FIELDS]


def standard_fields() -> list[str]:
    return [name for name in element_fields() if name not in LOCAL_FIELDS]


def _elements(item: ServiceItem) -> dict:
    return {
        f.name: getattr(item, f.attname)
        for f in ServiceItem._meta.concrete_fields
        if f.name not in VERSION_FIELDS
    }


def _changed(before: dict, item: ServiceItem) -> list[str]:
    """The elements whose values differ from ``before`` (the audit log's note of what an edit changed)."""
    return sorted(name for name, value in _elements(item).items() if before[name] != value)


@dataclass
class ItemChildren:
    """An item's lists: dicts of field values (``material`` as a Material or its id)."""

    materials: list[dict] = field(default_factory=list)
    fees: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    faqs: list[dict] = field(default_factory=list)


def _write_children(item: ServiceItem, children: ItemChildren) -> None:
    for name, model in CHILD_MODELS.items():
        model.objects.filter(item=item).delete()
        rows = []
        for order, values in enumerate(getattr(children, name)):
            values = {"order": order, **values}
            if name == "materials" and "material" in values and not hasattr(values["material"], "pk"):
                values["material_id"] = values.pop("material")
            rows.append(model(item=item, **values))
        model.objects.bulk_create(rows)


def _copy_children(source: ServiceItem, target: ServiceItem) -> None:
    for name, model in CHILD_MODELS.items():
        rows = []
        for row in getattr(source, name).all():
            row.pk, row.item = None, target
            rows.append(row)
        model.objects.bulk_create(rows)


def _validated(item: ServiceItem) -> ServiceItem:
    item.name_initials = pinyin_initials(item.name)
    item.full_clean(exclude=["lineage", "version", "state"])
    return item


# --- items -------------------------------------------------------------------------------------------


def lineage_for(item: ServiceItem, *, kind: str, centre=None, base: ItemLineage | None = None) -> ItemLineage:
    """An unsaved lineage for a new item's first version; its code is the item's identifying code."""
    kind = ItemKind(kind)
    if kind == ItemKind.IMPLEMENTATION:
        if item.department_id and not item.implementation_code:
            item.implementation_code = f"{item.department.credit_code}{item.level}{item.basic_code}"
        if centre is None and item.department_id:
            centre = item.department.centre
        return ItemLineage(kind=kind, code=item.implementation_code, centre=centre, base=base)
    return ItemLineage(kind=kind, code=item.basic_code)


def check_code_free(lineage: ItemLineage) -> None:
    if ItemLineage.objects.filter(kind=lineage.kind, code=lineage.code).exists():
        code_field = "implementation_code" if lineage.kind == ItemKind.IMPLEMENTATION else "basic_code"
        raise ValidationError(
            {
                code_field: _("Another item already has the code %(code)s: codes are unique.")
                % {"code": lineage.code}
            }
        )


def _require_maintainer(actor, perm: Perm, *objects) -> None:
    """A person holds ``perm`` and maintains each of ``objects`` (an item version or a bundle, as it is
    and as it will be); ``actor=None`` is the hall itself."""
    if actor is None:
        return
    # Read here, not at import: the selectors read this module's field lists.
    from apps.catalogue.selectors import maintains

    allowed = getattr(actor, "is_authenticated", False) and actor.has_perm(perm)
    if not (allowed and all(maintains(actor, obj) for obj in objects)):
        raise PermissionDenied(_("Only a catalogue admin of its service centre may change this."))


@transaction.atomic
def save_new_item(item: ServiceItem, *, actor=None, client_ip=None) -> ServiceItem:
    """Save the first version of a new item together with its lineage (set by ``lineage_for``)."""
    _require_maintainer(actor, Perm.ADD_SERVICEITEM, item)
    lineage = item.lineage
    check_code_free(lineage)
    _validated(item)
    try:
        with transaction.atomic():  # a savepoint: two admins creating the same code at once
            lineage.save()
    except IntegrityError:
        check_code_free(lineage)  # the other one won: say so as for any taken code
        raise
    item.lineage, item.version, item.created_by = lineage, 1, actor
    item.save()
    record_step(item, step="draft_created", actor=actor, client_ip=client_ip, code=lineage.code)
    return item


@transaction.atomic
def save_draft(item: ServiceItem, *, actor=None, client_ip=None) -> ServiceItem:
    """Save edits to a draft version (the admin's change form); other versions are read-only."""
    current = ServiceItem.objects.select_for_update().select_related("lineage").get(pk=item.pk)
    _require_maintainer(actor, Perm.CHANGE_SERVICEITEM, current, item)
    if current.state != ItemState.DRAFT:
        raise Conflict(
            _("Only a draft can be edited; this version is %(state)s.")
            % {"state": current.get_state_display()}
        )
    _validated(item).save()
    record_step(
        item,
        step="draft_edited",
        actor=actor,
        client_ip=client_ip,
        changed=_changed(_elements(current), item),
    )
    return item


def create_item(
    *,
    kind: str,
    values: dict,
    children: ItemChildren | None = None,
    actor=None,
    centre=None,
    base: ItemLineage | None = None,
    client_ip=None,
) -> ServiceItem:
    """A new item: its lineage and a first draft version with its lists."""
    with transaction.atomic():
        item = ServiceItem(**values)
        item.lineage = lineage_for(item, kind=kind, centre=centre, base=base)
        save_new_item(item, actor=actor, client_ip=client_ip)
        _write_children(item, children or ItemChildren())
    return item


@transaction.atomic
def implement_base_item(
    *, base: ItemLineage, department, local: dict | None = None, actor=None
) -> ServiceItem:
    """A centre's implementation of a base item: the base's published standard elements, and local
    ones (``local`` may set only those: location, hours, phones; the level defaults to the centre's)."""
    local = dict(local or {})
    not_local = set(local) - LOCAL_FIELDS
    if not_local:
        raise ValueError(f"implement_base_item sets only local elements, not {sorted(not_local)}")
    source = published_version(base)
    values = {name: getattr(source, name) for name in standard_fields()}
    values.update({"level": department.centre.level, **local, "department": department})
    item = ServiceItem(**values)
    item.lineage = lineage_for(item, kind=ItemKind.IMPLEMENTATION, centre=department.centre, base=base)
    save_new_item(item, actor=actor)
    _copy_children(source, item)
    return item


def published_version(lineage: ItemLineage) -> ServiceItem:
    try:
        return lineage.versions.get(state=ItemState.PUBLISHED)
    except ServiceItem.DoesNotExist:
        raise ValidationError(_("%(code)s has no published version.") % {"code": lineage.code}) from None


@transaction.atomic
def update_draft(
    *, item_id: int, values: dict, children: ItemChildren | None = None, actor=None, client_ip=None
) -> ServiceItem:
    item = ServiceItem.objects.select_for_update().select_related("lineage").get(pk=item_id)
    _require_maintainer(actor, Perm.CHANGE_SERVICEITEM, item)
    if item.state != ItemState.DRAFT:
        raise Conflict(
            _("Only a draft can be edited; this version is %(state)s.") % {"state": item.get_state_display()}
        )
    before = _elements(item)
    for name, value in values.items():
        setattr(item, name, value)
    _require_maintainer(actor, Perm.CHANGE_SERVICEITEM, item)  # not moved to another centre's department
    _validated(item).save()
    if children is not None:
        _write_children(item, children)
    record_step(
        item,
        step="draft_edited",
        actor=actor,
        client_ip=client_ip,
        changed=_changed(before, item),
        lists_replaced=children is not None,
    )
    return item


@transaction.atomic
def start_new_version(
    *, lineage_id: int, actor=None, change_note: str = "", sync_from_base: bool = False, client_ip=None
) -> ServiceItem:
    """Editing a published item: a new draft copying the newest version (and its lists).

    With ``sync_from_base`` an implementation's standard elements and lists are taken from its base
    item's published version instead, keeping the local elements: the remedy for a 多级十同 finding.
    """
    lineage = ItemLineage.objects.select_for_update().get(pk=lineage_id)
    if lineage.versions.filter(state__in=OPEN_STATES).exists():
        raise Conflict(_("This item already has a draft or a version in review."))
    latest = lineage.versions.select_related("lineage").order_by("-version").first()
    _require_maintainer(actor, Perm.CHANGE_SERVICEITEM, latest)
    source = latest
    draft = ServiceItem(
        lineage=lineage,
        version=lineage.versions.aggregate(v=Max("version"))["v"] + 1,
        created_by=actor,
        change_note=change_note,
        **{name: getattr(latest, name) for name in element_fields()},
    )
    if sync_from_base:
        if lineage.base is None:
            raise ValidationError(_("This item has no base item to take its elements from."))
        source = published_version(lineage.base)
        for name in standard_fields():
            setattr(draft, name, getattr(source, name))
    _validated(draft).save()
    _copy_children(source, draft)
    record_step(
        draft,
        step="version_started",
        actor=actor,
        comment=change_note,
        client_ip=client_ip,
        from_version=latest.version,
        sync_from_base=sync_from_base,
    )
    return draft


def _locked_item(item_id: int) -> ServiceItem:
    return ServiceItem.objects.select_for_update().select_related("lineage").get(pk=item_id)


@transaction.atomic
def submit_for_review(*, item_id: int, actor=None, comment: str = "", client_ip=None) -> ServiceItem:
    item = _locked_item(item_id)
    _require_maintainer(actor, Perm.CHANGE_SERVICEITEM, item)
    apply_transition(item, "submit_for_review", actor=actor, comment=comment, client_ip=client_ip)
    _validated(item).save()
    return item


@transaction.atomic
def return_to_draft(*, item_id: int, actor=None, comment: str = "", client_ip=None) -> ServiceItem:
    item = _locked_item(item_id)
    _require_maintainer(actor, Perm.CHANGE_SERVICEITEM, item)
    apply_transition(item, "return_to_draft", actor=actor, comment=comment, client_ip=client_ip)
    item.save()
    return item


def check_publishable(item: ServiceItem) -> None:
    """Rules that concern the whole item with its lists, checked at publishing."""
    _validated(item)
    rules.raise_problems(
        rules.list_problems(
            is_charged=item.is_charged, step_count=item.steps.count(), fee_count=item.fees.count()
        )
    )


@transaction.atomic
def publish(*, item_id: int, actor=None, comment: str = "", client_ip=None) -> ServiceItem:
    """Publish a version in review; the version published before it becomes superseded."""
    item = _locked_item(item_id)
    _require_maintainer(actor, Perm.PUBLISH_SERVICEITEM, item)
    ItemLineage.objects.select_for_update().get(pk=item.lineage_id)
    check_publishable(item)
    current = item.lineage.versions.select_for_update().filter(state=ItemState.PUBLISHED).first()
    if current is not None:
        apply_transition(
            current,
            "supersede",
            actor=actor,
            comment=comment,
            client_ip=client_ip,
            superseded_by=item.version,
        )
        current.save()
    # Which rule let it through is part of the record: four eyes, or a one-person office's waiver.
    rule = "four_eyes" if four_eyes_applies(item) else "one_person_office"
    apply_transition(
        item,
        "publish",
        actor=actor,
        comment=comment,
        client_ip=client_ip,
        publish_rule=rule,
        submitted_by=submitted_by_id(item),
    )
    item.published_at, item.published_by = timezone.now(), actor
    item.save()
    return item


@transaction.atomic
def retire(*, item_id: int, actor=None, comment: str = "", client_ip=None) -> ServiceItem:
    item = _locked_item(item_id)
    _require_maintainer(actor, Perm.PUBLISH_SERVICEITEM, item)
    in_bundles = list(
        Bundle.objects.filter(state=BundleState.PUBLISHED, entries__lineage_id=item.lineage_id).values_list(
            "name", flat=True
        )
    )
    if in_bundles:
        raise ValidationError(
            _("The item is part of the published bundle(s) %(bundles)s: take it out of them first.")
            % {"bundles": "、".join(in_bundles)}
        )
    apply_transition(item, "retire", actor=actor, comment=comment, client_ip=client_ip)
    item.save()
    return item


# --- bundles -------------------------------------------------------------------------------------------


def check_bundle(bundle: Bundle, lineages: list[ItemLineage], *, published: bool | None = None) -> None:
    """The bundle rules (``rules.bundle_problems``) on the catalogue as it is: all of them for a
    published bundle (or one being published: ``published=True``), the limits only for a draft."""
    versions = {
        item.lineage_id: item
        for item in ServiceItem.objects.filter(lineage__in=lineages, state=ItemState.PUBLISHED)
    }
    members = []
    for lineage in lineages:
        item = versions.get(lineage.pk)
        members.append(
            rules.BundleMember(
                lineage.code,
                lineage.centre_id,
                item.legal_limit_days if item else None,
                item.promised_limit_days if item else None,
                item.name if item else "",
            )
        )
    rules.raise_problems(
        rules.bundle_problems(
            centre_id=bundle.centre_id,
            promised_limit_days=bundle.promised_limit_days,
            members=members,
            published=bundle.state == BundleState.PUBLISHED if published is None else published,
        )
    )


@transaction.atomic
def save_bundle(
    *, values: dict, lineage_ids: list[int], bundle_id: int | None = None, actor=None, client_ip=None
) -> Bundle:
    """Create or edit a bundle and its items; a published bundle is re-checked on every edit."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle_id) if bundle_id else Bundle()
    if bundle_id:
        _require_maintainer(actor, Perm.CHANGE_BUNDLE, bundle)
    if "state" in values and values["state"] != bundle.state:
        raise ValidationError({"state": _("A bundle's state changes only by publishing or retiring it.")})
    values = {name: value for name, value in values.items() if name != "state"}  # a protected field
    before = {name: getattr(bundle, name, None) for name in values}
    for name, value in values.items():
        setattr(bundle, name, value)
    _require_maintainer(actor, Perm.CHANGE_BUNDLE if bundle_id else Perm.ADD_BUNDLE, bundle)  # its centre
    bundle.name_initials = pinyin_initials(bundle.name)
    bundle.full_clean(exclude=["state"])  # protected: cleaning would assign it
    lineages = list(ItemLineage.objects.filter(pk__in=lineage_ids))
    lineages.sort(key=lambda lineage: lineage_ids.index(lineage.pk))
    check_bundle(bundle, lineages)  # a draft on its limits, a published bundle on every rule
    bundle.save()
    BundleItem.objects.filter(bundle=bundle).delete()
    BundleItem.objects.bulk_create(
        BundleItem(bundle=bundle, lineage=lineage, order=order) for order, lineage in enumerate(lineages)
    )
    record_step(
        bundle,
        step="bundle_edited" if bundle_id else "bundle_created",
        actor=actor,
        client_ip=client_ip,
        changed=sorted(name for name, value in values.items() if before[name] != value),
        items=[lineage.code for lineage in lineages],
    )
    return bundle


def _bundle_transition(bundle: Bundle, name: str, *, actor, comment: str, client_ip) -> Bundle:
    apply_transition(bundle, name, actor=actor, comment=comment, client_ip=client_ip)
    bundle.save(update_fields=["state", "updated_at"])
    return bundle


@transaction.atomic
def publish_bundle(*, bundle_id: int, actor=None, comment: str = "", client_ip=None) -> Bundle:
    bundle = Bundle.objects.select_for_update().get(pk=bundle_id)
    _require_maintainer(actor, Perm.PUBLISH_SERVICEITEM, bundle)
    check_transition(bundle, "publish")  # a published or retired bundle: refused before the rules
    lineages = [entry.lineage for entry in bundle.entries.select_related("lineage")]
    check_bundle(bundle, lineages, published=True)  # judged as it will be
    return _bundle_transition(bundle, "publish", actor=actor, comment=comment, client_ip=client_ip)


@transaction.atomic
def retire_bundle(*, bundle_id: int, actor=None, comment: str = "", client_ip=None) -> Bundle:
    bundle = Bundle.objects.select_for_update().get(pk=bundle_id)
    _require_maintainer(actor, Perm.PUBLISH_SERVICEITEM, bundle)
    return _bundle_transition(bundle, "retire", actor=actor, comment=comment, client_ip=client_ip)
