"""The catalogue's figures (事项统计): what the published items promise, per service centre and
department, and what the bundles (一件事) save in materials.

Over the items the centres offer: the published version of each implementation (实施清单; base items
are the standard they follow, not an offer). Per centre and department:

- promised / legal (承诺时限 / 法定时限) = Σ promised limits / Σ legal limits, in working days; the time
  compressed (压缩时限) = 1 − that (the seed halls' "75.75 %" is this one);
- shares of the items: no visit (零跑动: ``visits_required`` 0), at most one visit (最多跑一次: 0 or 1 —
  a no-visit item needs at most one too), filed online, booked by appointment, results posted;
- 即办件: items decided on the spot (handling type 即办; the catalogue's rules give them no promised days).

Per published bundle: the materials its items ask for one by one (before), and its merged checklist
(after: each material once, ``apps.catalogue.selectors.merged_checklist``, the same list the window and
the portal file a bundle with), of which some the bundle itself produces (an item's result that another
item asks for: the applicant does not bring it).

Live reads (the catalogue changes rarely and is thousands of rows, not millions): a constant number of
queries whatever the size — one aggregate of the items grouped by centre and department, and for the
bundles one each for the bundles, their entries, their items' published versions and those versions'
materials (with the material).

Percentages to two decimal places, rounded half up; over nothing, ``None``. Who sees what is a
``Scope``: a centre's supervisors every item of the centre, a department's supervisors their
department's items (and the bundles with one of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.accounts.scopes import Scope
from apps.catalogue import selectors as catalogue
from apps.catalogue.codes import HandlingType, ItemState, Visits
from apps.catalogue.models import Bundle, BundleItem, BundleState, ItemMaterial, ServiceItem
from apps.supervision.about import about as about_download
from apps.supervision.tables import Table, workbook


def percent(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return float((Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def departments_in(scope: Scope):
    """The departments a supervisor may choose: every department of their centres, and their own."""
    return Department.objects.filter(
        Q(centre_id__in=scope.centre_ids) | Q(pk__in=scope.department_ids)
    ).order_by("centre__name", "name")


class CatalogueForm(forms.Form):
    """The figures' filter: one department (in scope) or all."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
        error_messages={"invalid_choice": _("Choose one of the departments you supervise.")},
    )

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].queryset = departments_in(scope).select_related("centre")
        self.fields["department"].label_from_instance = lambda d: f"{d.centre.name} · {d.name}"

    def query(self) -> CatalogueQuery:
        department = self.cleaned_data.get("department")
        return CatalogueQuery(department_id=department.pk if department else None)


@dataclass(frozen=True)
class CatalogueQuery:
    department_id: int | None = None


@dataclass(frozen=True)
class ItemCounts:
    """Items counted together (a department's, a centre's), with their shares derived."""

    items: int = 0
    promised_days: int = 0
    legal_days: int = 0
    no_visit: int = 0
    at_most_one_visit: int = 0
    online: int = 0
    appointment: int = 0
    postal: int = 0
    immediate: int = 0

    def __add__(self, other: ItemCounts) -> ItemCounts:
        return ItemCounts(**{name: getattr(self, name) + getattr(other, name) for name in COUNTED})

    @property
    def promised_to_legal(self) -> float | None:
        return percent(self.promised_days, self.legal_days)

    @property
    def time_compressed(self) -> float | None:
        if not self.legal_days:
            return None
        return percent(self.legal_days - self.promised_days, self.legal_days)

    @property
    def no_visit_share(self) -> float | None:
        return percent(self.no_visit, self.items)

    @property
    def at_most_one_visit_share(self) -> float | None:
        return percent(self.at_most_one_visit, self.items)

    @property
    def online_share(self) -> float | None:
        return percent(self.online, self.items)

    @property
    def appointment_share(self) -> float | None:
        return percent(self.appointment, self.items)

    @property
    def postal_share(self) -> float | None:
        return percent(self.postal, self.items)

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in COUNTED},
            **{name: getattr(self, name) for name in SHARES},
        }


COUNTED = (
    "items",
    "promised_days",
    "legal_days",
    "no_visit",
    "at_most_one_visit",
    "online",
    "appointment",
    "postal",
    "immediate",
)
SHARES = (
    "promised_to_legal",
    "time_compressed",
    "no_visit_share",
    "at_most_one_visit_share",
    "online_share",
    "appointment_share",
    "postal_share",
)
# One aggregate per group: each count is a filtered COUNT (or a SUM of the limits), so the whole
# catalogue in view is read once.
AGGREGATES = {
    "items": Count("pk"),
    "promised_days": Sum("promised_limit_days"),
    "legal_days": Sum("legal_limit_days"),
    "no_visit": Count("pk", filter=Q(visits_required=Visits.NONE)),
    "at_most_one_visit": Count("pk", filter=Q(visits_required__lte=Visits.ONE)),
    "online": Count("pk", filter=Q(online_supported=True)),
    "appointment": Count("pk", filter=Q(appointment_supported=True)),
    "postal": Count("pk", filter=Q(postal_delivery_supported=True)),
    "immediate": Count("pk", filter=Q(handling_type=HandlingType.IMMEDIATE)),
}


@dataclass(frozen=True)
class Row:
    key: int | None  # a centre's or department's id (None: items with no department)
    name: str
    counts: ItemCounts


@dataclass(frozen=True)
class BundleRow:
    code: str
    name: str
    centre: str
    items: int
    before: int  # Σ over its items of the materials each asks for
    after: int  # its merged checklist: each material once
    produced: int  # of those, produced by an item of the bundle (not brought)

    @property
    def saved(self) -> int:
        return self.before - self.after

    @property
    def brought(self) -> int:
        return self.after - self.produced


@dataclass(frozen=True)
class CatalogueFigures:
    query: CatalogueQuery
    total: ItemCounts
    by_centre: list[Row]
    by_department: list[Row]
    bundles: list[BundleRow] = field(default_factory=list)


def offered_in(scope: Scope, query: CatalogueQuery):
    """The published implementations in view: of the scope's centres or departments, of the chosen
    department if one is."""
    items = ServiceItem.objects.filter(state=ItemState.PUBLISHED).exclude(implementation_code="")
    items = items.filter(
        Q(lineage__centre_id__in=scope.centre_ids) | Q(department_id__in=scope.department_ids)
    )
    if query.department_id is not None:
        items = items.filter(department_id=query.department_id)
    return items


def figures_for(scope: Scope, query: CatalogueQuery) -> CatalogueFigures:
    """The catalogue's figures in ``scope`` (see the module's docstring); a constant number of queries."""
    groups = (
        offered_in(scope, query)
        .order_by()
        .values("lineage__centre_id", "lineage__centre__name", "department_id", "department__name")
        .annotate(**AGGREGATES)
    )
    centres: dict[int, Row] = {}
    departments: list[Row] = []
    for group in groups:
        counts = ItemCounts(**{name: group[name] or 0 for name in COUNTED})
        centre_id = group["lineage__centre_id"]
        known = centres.get(centre_id)
        centres[centre_id] = Row(
            centre_id, group["lineage__centre__name"], counts if known is None else known.counts + counts
        )
        departments.append(
            Row(
                group["department_id"],
                group["department__name"] or gettext("No department"),
                counts,
            )
        )
    by_centre = sorted(centres.values(), key=lambda row: row.name)
    by_department = sorted(departments, key=lambda row: (row.name, row.key or 0))
    total = sum((row.counts for row in by_centre), ItemCounts())
    return CatalogueFigures(query, total, by_centre, by_department, _bundles(scope, query))


def _bundles(scope: Scope, query: CatalogueQuery) -> list[BundleRow]:
    """The published bundles in view (of a centre in scope, or with an item of a department in view),
    each with its materials before and after merging: four queries, however many bundles."""
    with_department_item = Q(
        lineages__versions__state=ItemState.PUBLISHED,
        lineages__versions__department_id__in=(
            [query.department_id] if query.department_id is not None else scope.department_ids
        ),
    )
    in_view = (
        with_department_item
        if query.department_id is not None
        else (Q(centre_id__in=scope.centre_ids) | with_department_item)
    )
    bundles = list(
        Bundle.objects.filter(in_view, state=BundleState.PUBLISHED)
        .distinct()
        .select_related("centre")
        .only("pk", "code", "name", "centre__name")
        .order_by("code")
    )
    if not bundles:
        return []
    entries = list(
        BundleItem.objects.filter(bundle__in=bundles)
        .order_by("bundle_id", "order", "pk")
        .values_list("bundle_id", "lineage_id")
    )
    versions = {
        item.lineage_id: item
        for item in ServiceItem.objects.filter(
            lineage_id__in={lineage_id for _, lineage_id in entries}, state=ItemState.PUBLISHED
        )
        .only("pk", "lineage_id", "result_licence_type_id")
        .prefetch_related(
            Prefetch(
                "materials",
                ItemMaterial.objects.select_related("material").only(
                    "pk",
                    "item_id",
                    "material_id",
                    "original_count",
                    "copy_count",
                    "necessity",
                    "form",
                    "acceptance_standard",
                    "e_certificate_accepted",
                    "material__id",
                    "material__name",
                    "material__licence_type_id",
                ),
            )
        )
    }
    items_of: dict[int, list[ServiceItem]] = {bundle.pk: [] for bundle in bundles}
    for bundle_id, lineage_id in entries:
        if lineage_id in versions:  # an item with no published version is not offered in the bundle
            items_of[bundle_id].append(versions[lineage_id])
    rows = []
    for bundle in bundles:
        items = items_of[bundle.pk]
        merged = catalogue.merged_checklist(items)
        rows.append(
            BundleRow(
                code=bundle.code,
                name=bundle.name,
                centre=bundle.centre.name,
                items=len(items),
                before=sum(len(item.materials.all()) for item in items),
                after=len(merged),
                produced=sum(1 for entry in merged if entry.produced_by is not None),
            )
        )
    return rows


# --- what the desk draws --------------------------------------------------------------------------


def _share_headings() -> list[str]:
    return [
        gettext("Items"),
        gettext("Promised days (Σ)"),
        gettext("Legal days (Σ)"),
        gettext("Promised / legal (%)"),
        gettext("Time compressed (%)"),
        gettext("No visit (%)"),
        gettext("At most one visit (%)"),
        gettext("Online filing (%)"),
        gettext("Appointment (%)"),
        gettext("Postal delivery (%)"),
        gettext("Decided on the spot"),
    ]


def _share_cells(counts: ItemCounts) -> list:
    return [
        counts.items,
        counts.promised_days,
        counts.legal_days,
        counts.promised_to_legal,
        counts.time_compressed,
        counts.no_visit_share,
        counts.at_most_one_visit_share,
        counts.online_share,
        counts.appointment_share,
        counts.postal_share,
        counts.immediate,
    ]


# The columns a share table's bar chart draws: the time compressed and the visit, online, appointment
# and postal shares (the counts and day sums are on another scale: they stay in the table).
DRAWN_SHARES = (5, 6, 7, 8, 9, 10)


def tables(figures: CatalogueFigures) -> list[Table]:
    """The figures as the desk shows and exports them, one Table each."""
    note = gettext(
        "Over the published implementations (实施清单). Promised / legal: the promised time limits' sum "
        "over the legal time limits' sum, in working days; time compressed: 1 − that. At most one visit "
        "includes the items with no visit. Decided on the spot: 即办件."
    )
    total = figures.total
    visits = [
        [gettext("No visit (零跑动)"), total.no_visit],
        [gettext("One visit"), total.at_most_one_visit - total.no_visit],
        [gettext("More than one visit"), total.items - total.at_most_one_visit],
    ]
    return [
        Table(
            slug="catalogue-centres",
            title=gettext("Items by service centre"),
            headings=[gettext("Service centre"), *_share_headings()],
            rows=[[row.name, *_share_cells(row.counts)] for row in figures.by_centre],
            chart="bar",
            series=DRAWN_SHARES,
            note=note,
        ),
        Table(
            slug="catalogue-departments",
            title=gettext("Items by department"),
            headings=[gettext("Department"), *_share_headings()],
            rows=[[row.name, *_share_cells(row.counts)] for row in figures.by_department],
            chart="bar",
            series=DRAWN_SHARES,
            note=note,
        ),
        Table(
            slug="catalogue-visits",
            title=gettext("Visits the items need"),
            headings=[gettext("Visits"), gettext("Items")],
            rows=visits if total.items else [],
            chart="pie",
        ),
        Table(
            slug="catalogue-bundles",
            title=gettext("Bundles, materials before and after merging"),
            headings=[
                gettext("Bundle"),
                gettext("Items"),
                gettext("Materials before merging"),
                gettext("Materials after merging"),
                gettext("Materials saved"),
                gettext("Produced within the bundle"),
            ],
            rows=[
                [row.name, row.items, row.before, row.after, row.saved, row.produced]
                for row in figures.bundles
            ],
            chart="bar",
            series=(2, 3),
            note=gettext(
                "Before: the materials each item asks for, added up. After: the bundle's merged checklist, "
                "each material once; of those, some are produced by an item of the bundle and not brought."
            ),
        ),
    ]


def export(figures: CatalogueFigures, slug: str = "", *, today) -> tuple[str, bytes] | None:
    """The .xlsx of one table (by its slug) or of all of them, and its file name; None for a slug that
    names no table. The name says the day: the catalogue is read live."""
    chosen = [table for table in tables(figures) if not slug or table.slug == slug]
    if not chosen:
        return None
    # Read live: the day is the catalogue's as it stood, and the About sheet says when exactly.
    content = workbook(chosen, about=about_download(figures.query.department_id))
    return f"{slug or 'catalogue-figures'}-{today:%Y-%m-%d}.xlsx", content
