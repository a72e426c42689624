"""Writing a checked plan, set-based: a fixed number of statements per kind of row, never one per row.

Runs inside the importer's transaction. Versions that become published skip the one-by-one services
(``submit_for_review`` and ``publish`` lock and save one row at a time) but leave the same trace: the
transition log gets the same entries the services would write, the previously published version is
superseded by one UPDATE before any new one is published (one published version per item), and the
state column is only ever set by a constructor for new rows or by a queryset UPDATE, never by
assigning the protected FSM field.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.audit.models import TransitionLog
from apps.catalogue.codes import ItemKind, ItemState
from apps.catalogue.models import Bundle, BundleItem, ItemLineage, Material, ServiceItem
from apps.catalogue.transfer.plan import LIST_MODELS, Action, ItemPlan, Plan
from apps.catalogue.transfer.report import ImportReport
from apps.catalogue.transfer.tables import BUNDLE_ITEMS, BUNDLES, FILE_FIELDS, ITEMS, LIST_SHEETS, MATERIALS

BATCH = 500
LOG_CONTEXT = {"source": "catalogue_import"}  # how the log tells imported transitions apart


def _assign(version: ServiceItem, values: dict) -> set[str]:
    """Set ``values`` on a stored version; the names of the fields whose stored value changes."""
    changed = set()
    for name, value in values.items():
        if name in FILE_FIELDS:
            continue
        field = ServiceItem._meta.get_field(name)
        before = field.get_prep_value(field.value_from_object(version))
        setattr(version, name, value)
        if field.get_prep_value(field.value_from_object(version)) != before:
            changed.add(name)
    return changed


class PlanWriter:
    def __init__(self, plan: Plan, *, publish: bool, actor, report: ImportReport):
        self.plan = plan
        self.publish = publish
        self.user = actor if getattr(actor, "is_authenticated", False) else None
        self.report = report
        self.now = timezone.now()
        self.logs: list[TransitionLog] = []
        self.lineages = dict(plan.lineages)  # code → lineage, the new ones added as they are created
        self.superseding: set[str] = set()  # codes of the items whose published version is superseded

    def run(self) -> None:
        self._materials()
        self._lineages()
        self._supersede()
        self._overwrite_drafts()
        self._publish_open_versions()
        self._new_versions()
        self._children()
        self._count_items()
        self._bundles()
        TransitionLog.objects.bulk_create(self.logs, batch_size=BATCH)

    def _log(self, subject, transition: str, from_state: str, to_state: str, **context) -> None:
        self.logs.append(
            TransitionLog(
                content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
                object_id=str(subject.pk),
                transition=transition,
                from_state=from_state,
                to_state=to_state,
                actor=self.user,
                context={**LOG_CONTEXT, **context},
            )
        )

    # --- materials ------------------------------------------------------------------------------------

    def _materials(self) -> None:
        counts = self.report.counts[MATERIALS.key]
        new = [p.material for p in self.plan.materials if p.is_new]
        changed = [p.material for p in self.plan.materials if not p.is_new and p.changed]
        Material.objects.bulk_create(new, batch_size=BATCH)
        fields = ["name", "material_type", "source", "issuing_body", "description", "licence_type"]
        Material.objects.bulk_update(changed, fields, batch_size=BATCH)
        counts.created, counts.updated = len(new), len(changed)
        counts.unchanged = len(self.plan.materials) - len(new) - len(changed)

    # --- items ----------------------------------------------------------------------------------------

    def _items(self, *actions: Action) -> list[ItemPlan]:
        return [plan for plan in self.plan.items if plan.action in actions]

    def _lineages(self) -> None:
        """New items' lineages; base items first, so that new implementations can point at them."""
        created = self._items(Action.CREATE)
        for kind in (ItemKind.BASE, ItemKind.IMPLEMENTATION):
            lineages = [
                ItemLineage(
                    kind=plan.kind,
                    code=plan.code,
                    centre_id=plan.centre_id if kind == ItemKind.IMPLEMENTATION else None,
                    base=self.lineages.get(plan.base_code) if plan.base_code else None,
                )
                for plan in created
                if plan.kind == kind
            ]
            # bulk_create sets primary keys on PostgreSQL and on SQLite >= 3.35 (RETURNING).
            ItemLineage.objects.bulk_create(lineages, batch_size=BATCH)
            self.lineages.update({lineage.code: lineage for lineage in lineages})
        for plan in created:
            plan.lineage = self.lineages[plan.code]

    def _publishing(self) -> list[ItemPlan]:
        """Items whose file version ends up published by this import."""
        if not self.publish:
            return []
        return self._items(Action.CREATE, Action.NEW_VERSION, Action.OVERWRITE, Action.PUBLISH_OPEN)

    def _supersede(self) -> None:
        plans = [plan for plan in self._publishing() if plan.published is not None]
        ServiceItem.objects.filter(pk__in=[plan.published.pk for plan in plans]).update(
            state=ItemState.SUPERSEDED
        )
        self.report.superseded = len(plans)
        self.superseding = {plan.code for plan in plans}

    def _log_supersede(self, plan: ItemPlan, version: int) -> None:
        if plan.code in self.superseding:
            self._log(
                plan.published, "supersede", ItemState.PUBLISHED, ItemState.SUPERSEDED, superseded_by=version
            )

    def _log_publish(self, plan: ItemPlan, version: ServiceItem, from_state: str) -> None:
        """The entries ``services.submit_for_review`` and ``services.publish`` write."""
        if from_state == ItemState.DRAFT:
            self._log(version, "submit_for_review", ItemState.DRAFT, ItemState.IN_REVIEW)
        self._log_supersede(plan, version.version)
        self._log(version, "publish", ItemState.IN_REVIEW, ItemState.PUBLISHED)

    def _overwrite_drafts(self) -> None:
        plans = self._items(Action.OVERWRITE)
        if not plans:
            return
        changed: set[str] = set()
        for plan in plans:
            changed |= _assign(plan.target, plan.values)
        # Only the columns that differ somewhere: bulk_update builds a CASE per column and row in
        # Python, which for every element of 2,500 drafts takes many seconds.
        if changed:
            fields = sorted(changed)
            ServiceItem.objects.bulk_update([plan.target for plan in plans], fields, batch_size=BATCH)
        pks = [plan.target.pk for plan in plans]
        for model in LIST_MODELS.values():
            model.objects.filter(item_id__in=pks).delete()

    def _publish_open_versions(self) -> None:
        plans = [
            plan for plan in self._publishing() if plan.action in (Action.OVERWRITE, Action.PUBLISH_OPEN)
        ]
        ServiceItem.objects.filter(pk__in=[plan.target.pk for plan in plans]).update(
            state=ItemState.PUBLISHED, published_at=self.now, published_by=self.user
        )
        for plan in plans:
            self._log_publish(plan, plan.target, plan.target.state)

    def _new_versions(self) -> None:
        plans = self._items(Action.CREATE, Action.NEW_VERSION)
        state = ItemState.PUBLISHED if self.publish else ItemState.DRAFT
        versions = [self._new_version(plan, state) for plan in plans]
        ServiceItem.objects.bulk_create(versions, batch_size=BATCH)
        for plan, version in zip(plans, versions, strict=True):
            plan.target = version
            if self.publish:
                self._log_publish(plan, version, ItemState.DRAFT)

    def _new_version(self, plan: ItemPlan, state: str) -> ServiceItem:
        # The state goes to the constructor: the FSM field is protected against assignment.
        version = ServiceItem(
            lineage=plan.lineage,
            version=plan.next_version,
            state=state,
            created_by=self.user,
            published_at=self.now if state == ItemState.PUBLISHED else None,
            published_by=self.user if state == ItemState.PUBLISHED else None,
            **plan.values,
        )
        previous = plan.target
        for name in FILE_FIELDS:  # files are not in the workbook: keep the ones the item had
            setattr(version, name, getattr(previous, name).name if previous else "")
        return version

    def _children(self) -> None:
        counts = {sheet.key: self.report.counts[sheet.key] for sheet in LIST_SHEETS.values()}
        rows: dict[str, list] = {name: [] for name in LIST_MODELS}
        for plan in self.plan.items:
            written = plan.action in (Action.CREATE, Action.NEW_VERSION, Action.OVERWRITE)
            for name, sheet in LIST_SHEETS.items():
                children = plan.sorted_children(name)
                if not written:
                    counts[sheet.key].unchanged += len(children)
                    continue
                counts[sheet.key].created += len(children)
                rows[name].extend(self._child(plan, name, child.instance) for child in children)
        for name, model in LIST_MODELS.items():
            model.objects.bulk_create(rows[name], batch_size=BATCH)

    def _count_items(self) -> None:
        counts = self.report.counts[ITEMS.key]
        for plan in self.plan.items:
            if plan.action == Action.CREATE:
                counts.created += 1
            elif plan.action == Action.UNCHANGED:
                counts.unchanged += 1
            else:
                counts.updated += 1
        self.report.published = len(self._publishing())

    def _child(self, plan: ItemPlan, name: str, instance):
        instance.item = plan.target
        if name == "materials" and plan.previous_files:
            blank_form, sample = plan.previous_files.get(instance.material.code, ("", ""))
            instance.blank_form, instance.sample = blank_form, sample
        return instance

    # --- bundles --------------------------------------------------------------------------------------

    def _bundles(self) -> None:
        counts, entry_counts = self.report.counts[BUNDLES.key], self.report.counts[BUNDLE_ITEMS.key]
        new = [plan.bundle for plan in self.plan.bundles if plan.is_new]
        changed = [plan.bundle for plan in self.plan.bundles if not plan.is_new and plan.changed]
        for bundle in changed:
            bundle.updated_at = self.now  # bulk_update does not apply auto_now
        Bundle.objects.bulk_create(new, batch_size=BATCH)
        fields = [
            "name",
            "name_initials",
            "centre",
            "promised_limit_days",
            "description",
            "updated_at",
        ]
        Bundle.objects.bulk_update(changed, fields, batch_size=BATCH)
        moved = [plan for plan in self.plan.bundles if not plan.is_new and plan.state != plan.old_state]
        for state in {plan.state for plan in moved}:  # one UPDATE per state reached, at most two
            ids = [plan.bundle.pk for plan in moved if plan.state == state]
            Bundle.objects.filter(pk__in=ids).update(state=state)
        counts.created, counts.updated = len(new), len(changed)
        counts.unchanged = len(self.plan.bundles) - len(new) - len(changed)

        rewritten = [plan for plan in self.plan.bundles if plan.entries_changed]
        BundleItem.objects.filter(bundle_id__in=[p.bundle.pk for p in rewritten if not p.is_new]).delete()
        entries = [
            BundleItem(bundle=plan.bundle, lineage=self.lineages[code], order=order)
            for plan in rewritten
            for _row, order, code in plan.entries
        ]
        BundleItem.objects.bulk_create(entries, batch_size=BATCH)
        entry_counts.created = len(entries)
        entry_counts.unchanged = sum(len(p.entries) for p in self.plan.bundles if not p.entries_changed)
        for plan in self.plan.bundles:
            if plan.state != plan.old_state:
                # What the services' transition records (the validator checked the graph has it).
                name = Bundle.transition_between(plan.old_state, plan.state)
                self._log(plan.bundle, name, plan.old_state, plan.state)
