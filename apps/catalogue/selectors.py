"""Catalogue reads: the public guide, search, checklists, history and the consistency report."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet

from apps.accounts.models import Department, ServiceCentre, StaffMembership
from apps.accounts.roles import Role
from apps.catalogue import comparison
from apps.catalogue.codes import NECESSITY_STRICTNESS, ItemKind, ItemState, MaterialForm
from apps.catalogue.models import Bundle, BundleState, ItemLineage, ItemMaterial, Material, ServiceItem
from apps.catalogue.services import standard_fields

# --- who maintains what: a catalogue admin's role holds at their centre ---------------------------------
#
# A catalogue admin maintains the items whose lineage belongs to a centre where they hold the role (with a
# department on the membership: that department's items only), the bundles of those centres, and the base
# catalogue (基本目录: lineages without a centre), which every catalogue admin may maintain. Published
# versions and bundles stay readable by everyone (the public guide); the material dictionary and the
# approval categories are shared by all centres. Superusers maintain everything.

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class CatalogueRole:
    """Where ``user`` holds the catalogue admin role: whole centres, single departments, or everywhere."""

    centre_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()
    everywhere: bool = False

    @property
    def any(self) -> bool:
        return self.everywhere or bool(self.centre_ids or self.department_ids)

    def covers_centre(self, centre_id: int | None) -> bool:
        """Whole-centre work (bundles, an item without a department): the role at that centre."""
        return self.everywhere or centre_id in self.centre_ids

    def covers_department(self, department_id: int | None, centre_id: int | None) -> bool:
        return self.everywhere or centre_id in self.centre_ids or department_id in self.department_ids

    def covers_item(self, item: ServiceItem) -> bool:
        lineage = item.lineage
        if lineage.centre_id is None:  # the base catalogue
            return self.any
        return self.covers_department(item.department_id, lineage.centre_id)

    def items(self) -> Q:
        """The condition on ``ServiceItem`` rows this role maintains."""
        if self.everywhere:
            return Q(pk__isnull=False)
        if not self.any:
            return NOTHING
        return (
            Q(lineage__centre__isnull=True)
            | Q(lineage__centre_id__in=self.centre_ids)
            | Q(department_id__in=self.department_ids)
        )


def catalogue_role(user) -> CatalogueRole:
    """Where ``user`` is a catalogue admin (one query, once per request: the user object's life; none
    for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return CatalogueRole()
    if user.is_superuser:
        return CatalogueRole(everywhere=True)
    cached = getattr(user, "_catalogue_role", None)
    if cached is None:
        centres, departments = set(), set()
        memberships = StaffMembership.objects.filter(user=user, role=Role.CATALOGUE_ADMIN)
        for centre_id, department_id in memberships.values_list("centre_id", "department_id"):
            (departments if department_id else centres).add(department_id or centre_id)
        cached = user._catalogue_role = CatalogueRole(frozenset(centres), frozenset(departments))
    return cached


def maintained_items(user) -> QuerySet[ServiceItem]:
    """Every version, in any state, of the items ``user`` maintains."""
    return ServiceItem.objects.filter(catalogue_role(user).items())


def items_visible_to(user) -> QuerySet[ServiceItem]:
    """Published versions for everyone; every version of the items the user maintains."""
    return ServiceItem.objects.filter(Q(state=ItemState.PUBLISHED) | catalogue_role(user).items())


def maintained_lineages(user) -> QuerySet[ItemLineage]:
    role = catalogue_role(user)
    if role.everywhere:
        return ItemLineage.objects.all()
    if not role.any:
        return ItemLineage.objects.none()
    return ItemLineage.objects.filter(
        Q(centre__isnull=True)
        | Q(centre_id__in=role.centre_ids)
        | Q(versions__department_id__in=role.department_ids)
    ).distinct()


def lineages_visible_to(user) -> QuerySet[ItemLineage]:
    """Lineages with a published version, and those ``user`` maintains."""
    return ItemLineage.objects.filter(
        Q(versions__state=ItemState.PUBLISHED) | Q(pk__in=maintained_lineages(user).values("pk"))
    ).distinct()


def maintained_bundles(user) -> QuerySet[Bundle]:
    role = catalogue_role(user)
    return Bundle.objects.all() if role.everywhere else Bundle.objects.filter(centre_id__in=role.centre_ids)


def bundles_visible_to(user) -> QuerySet[Bundle]:
    """Published bundles for everyone; every bundle of the centres the user maintains."""
    role = catalogue_role(user)
    if role.everywhere:
        return Bundle.objects.all()
    return Bundle.objects.filter(Q(state=BundleState.PUBLISHED) | Q(centre_id__in=role.centre_ids))


def maintained_departments(user) -> QuerySet[Department]:
    """The departments whose items ``user`` may create or move an item to."""
    role = catalogue_role(user)
    if role.everywhere:
        return Department.objects.all()
    return Department.objects.filter(Q(centre_id__in=role.centre_ids) | Q(pk__in=role.department_ids))


def maintained_centres(user) -> QuerySet[ServiceCentre]:
    """The centres whose bundles ``user`` maintains."""
    role = catalogue_role(user)
    if role.everywhere:
        return ServiceCentre.objects.all()
    return ServiceCentre.objects.filter(pk__in=role.centre_ids)


def maintains(user, obj) -> bool:
    """Whether ``user`` may change ``obj``: an item version, a bundle, or a shared record (a material)."""
    role = catalogue_role(user)
    if isinstance(obj, ServiceItem):
        return role.covers_item(obj)
    if isinstance(obj, Bundle):
        return role.covers_centre(obj.centre_id)
    return role.any


def published_items() -> QuerySet[ServiceItem]:
    """Published versions with what a list row shows, one query (no per-row lookups)."""
    return ServiceItem.objects.filter(state=ItemState.PUBLISHED).select_related(
        "department", "approval_category", "lineage"
    )


# What a list row shows: fetching only these keeps the long texts (legal basis, conditions) out of lists.
LIST_ROW_FIELDS = (
    "name",
    "basic_code",
    "implementation_code",
    "version",
    "state",
    "handling_type",
    "promised_limit_days",
    "legal_limit_days",
    "visits_required",
    "item_type",
    "level",
    "department__name",
    "approval_category__name",
    "approval_category__code",
    "lineage__code",
)


def offered_items() -> QuerySet[ServiceItem]:
    """What halls offer the public: published implementations (base items are the standard they follow).

    An implementation is recognised by its implementation code (base items have none), which spares
    the count and the page a join to the lineages.
    """
    return published_items().exclude(implementation_code="")


def centres_offering() -> QuerySet:
    from apps.accounts.models import ServiceCentre

    return ServiceCentre.objects.filter(
        pk__in=ItemLineage.objects.filter(kind=ItemKind.IMPLEMENTATION).values("centre_id")
    ).order_by("level", "name")


def search_items(
    queryset: QuerySet[ServiceItem],
    *,
    q: str = "",
    category: str = "",
    item_type: str = "",
    level: str = "",
    channel: str = "",
    visits: str = "",
    department: str = "",
    centre: str = "",
) -> QuerySet[ServiceItem]:
    """Search by name, code, department name or pinyin initials; filter by the guide's facets."""
    q = q.strip()
    if q:
        # The departments named like q, read first (a short query on a small table): as a list of ids
        # the condition is an index lookup the planner ORs with the other conditions' indexes, and it
        # knows how many rows it stands for (usually none: the condition then goes away). Written as a
        # subquery it is a filter on every row, and every search and count reads the whole catalogue.
        departments = list(
            Department.objects.filter(_text_condition(q, name="name")).order_by().values_list("pk", flat=True)
        )
        queryset = queryset.filter(
            _text_condition(q, name="name", initials="name_initials")
            | Q(department_id__in=departments)
            | (
                Q(basic_code__startswith=q.upper()) | Q(implementation_code__startswith=q.upper())
                if q.isalnum() and q.isascii()
                else Q(pk__in=[])
            )
        )
    if category:
        queryset = queryset.filter(approval_category__code=category)
    if item_type:
        queryset = queryset.filter(item_type=item_type)
    if level:
        queryset = queryset.filter(level=level)
    if channel:
        queryset = queryset.filter(channels__contains=channel)
    if visits != "":
        queryset = queryset.filter(visits_required__lte=int(visits))
    if department:
        queryset = queryset.filter(department_id=department)
    if centre:
        queryset = queryset.filter(lineage__centre_id=centre)
    # Code order. Without words, or with one too short for a trigram (a two-character word matches much
    # of the catalogue), walking the (state, basic_code) index finds the first page of 10,000 items at
    # once. A longer word, a code or initials match a few rows spread over the whole index: fetched
    # through the search indexes and sorted they cost well under a millisecond, but the planner, which
    # cannot estimate LIKE '%…%' and expects more matches, walks the index through every item anyway.
    # NULLS FIRST (a code is never null) is an order that index cannot give: the matches get sorted.
    code = F("basic_code").asc(nulls_first=True) if len(q) >= 3 else "basic_code"
    return queryset.order_by(code, "pk")


def _text_condition(q: str, *, name: str, initials: str | None = None) -> Q:
    """Contains ``q``, without UPPER() on every row (``icontains`` costs more than the match itself on
    PostgreSQL): Chinese has no case, and Latin text is tried as typed, lower and upper case (names
    hold abbreviations like ICP, not mixed-case words). Latin letters also match as a prefix of the
    pinyin initials."""
    condition = Q()
    for variant in dict.fromkeys((q, q.lower(), q.upper())):
        condition |= Q(**{f"{name}__contains": variant})
    if initials and q.isascii() and q.isalpha():
        condition |= Q(**{f"{initials}__startswith": q.lower()})
    return condition


def item_with_lists(queryset: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
    return queryset.select_related(
        "department", "approval_category", "result_licence_type", "lineage__centre", "lineage__base"
    ).prefetch_related(
        Prefetch("materials", ItemMaterial.objects.select_related("material__licence_type")),
        "fees",
        "steps",
        "faqs",
    )


def items_for_filing(queryset: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
    """What opening a filing reads of its items: whose centre offers them, their state, and their
    material requirements; not the texts, fees, steps and FAQs a guide shows (an item has forty
    columns, and a clerk opens hundreds of filings an hour)."""
    return (
        queryset.select_related("lineage")
        .only("name", "implementation_code", "state", "result_licence_type_id", "lineage__centre_id")
        .prefetch_related(
            Prefetch(
                "materials",
                ItemMaterial.objects.select_related("material").only(
                    "item_id",
                    "material__name",
                    "material__licence_type_id",
                    "original_count",
                    "copy_count",
                    "necessity",
                    "form",
                    "e_certificate_accepted",
                    "acceptance_standard",
                ),
            )
        )
    )


def published_bundles() -> QuerySet[Bundle]:
    return Bundle.objects.filter(state=BundleState.PUBLISHED).select_related("centre")


# --- bundles' merged checklist ---------------------------------------------------------------------


@dataclass
class ChecklistEntry:
    """One material of a bundle's merged checklist, with the strictest requirement of its items."""

    material: Material
    original_count: int
    copy_count: int
    necessity: str
    form: str
    e_certificate_accepted: bool
    acceptance_standards: list[str] = field(default_factory=list)
    items: list[ServiceItem] = field(default_factory=list)
    requirements: list[ItemMaterial] = field(default_factory=list)
    # An item of the same bundle whose result is this material (e.g. the 营业执照 of 企业设立登记):
    # the applicant does not bring it, the bundle produces it first.
    produced_by: ServiceItem | None = None

    @property
    def replaceable_by(self):
        return self.material.licence_type if self.e_certificate_accepted else None

    @property
    def replaceable_by_id(self) -> int | None:
        return self.material.licence_type_id if self.e_certificate_accepted else None

    def get_necessity_display(self) -> str:
        return str(dict(ItemMaterial._meta.get_field("necessity").choices)[self.necessity])

    def get_form_display(self) -> str:
        return str(dict(ItemMaterial._meta.get_field("form").choices)[self.form])


def _stricter_form(a: str, b: str) -> str:
    return a if a == b else MaterialForm.BOTH


def merged_checklist(items: list[ServiceItem]) -> list[ChecklistEntry]:
    """Each material once, however many items ask for it: the most originals and copies any item asks
    for, the strictest necessity (必要 > 容缺后补 > 非必要), paper and electronic if the items differ, an
    e-certificate accepted only if every item accepts it. Order: first appearance. A material that
    another item of the same list produces as its result is marked ``produced_by`` that item.

    ``items`` must have their materials prefetched (``item_with_lists``).
    """
    merged: dict[int, ChecklistEntry] = {}
    for item in items:
        for requirement in item.materials.all():
            entry = merged.get(requirement.material_id)
            if entry is None:
                merged[requirement.material_id] = ChecklistEntry(
                    material=requirement.material,
                    original_count=requirement.original_count,
                    copy_count=requirement.copy_count,
                    necessity=requirement.necessity,
                    form=requirement.form,
                    e_certificate_accepted=requirement.e_certificate_accepted,
                    acceptance_standards=[requirement.acceptance_standard]
                    if requirement.acceptance_standard
                    else [],
                    items=[item],
                    requirements=[requirement],
                )
                continue
            entry.original_count = max(entry.original_count, requirement.original_count)
            entry.copy_count = max(entry.copy_count, requirement.copy_count)
            if NECESSITY_STRICTNESS[requirement.necessity] > NECESSITY_STRICTNESS[entry.necessity]:
                entry.necessity = requirement.necessity
            entry.form = _stricter_form(entry.form, requirement.form)
            entry.e_certificate_accepted = entry.e_certificate_accepted and requirement.e_certificate_accepted
            if (
                requirement.acceptance_standard
                and requirement.acceptance_standard not in entry.acceptance_standards
            ):
                entry.acceptance_standards.append(requirement.acceptance_standard)
            entry.items.append(item)
            entry.requirements.append(requirement)
    producers = {item.result_licence_type_id: item for item in items if item.result_licence_type_id}
    for entry in merged.values():
        producer = producers.get(entry.material.licence_type_id)
        if producer is not None and producer not in entry.items:
            entry.produced_by = producer
    return list(merged.values())


def bundle_items(bundle: Bundle, *, prepare=item_with_lists) -> list[ServiceItem]:
    """The published versions of a bundle's items, in the bundle's order, with their lists (what
    ``prepare`` loads: all of them for a guide, ``items_for_filing`` for a filing)."""
    order = {
        lineage_id: n for n, lineage_id in enumerate(bundle.entries.values_list("lineage_id", flat=True))
    }
    items = list(prepare(ServiceItem.objects.filter(lineage_id__in=order, state=ItemState.PUBLISHED)))
    return sorted(items, key=lambda item: order[item.lineage_id])


# --- history and consistency ------------------------------------------------------------------------------


def version_history(lineage: ItemLineage) -> QuerySet[ServiceItem]:
    return lineage.versions.select_related("created_by", "published_by").order_by("-version")


@dataclass(frozen=True)
class ConsistencyFinding:
    implementation: ServiceItem
    base: ServiceItem
    differences: list[comparison.Difference]


def consistency_report(centre_id: int | None = None, *, user=None) -> list[ConsistencyFinding]:
    """多级十同: published implementations whose standard elements differ from their base item's
    published version, element by element. A fixed number of queries whatever the catalogue's size.
    With ``user``: only the implementations that user maintains (the findings they can act on)."""
    implementations = ServiceItem.objects.filter(
        state=ItemState.PUBLISHED, lineage__kind=ItemKind.IMPLEMENTATION, lineage__base__isnull=False
    )
    if centre_id:
        implementations = implementations.filter(lineage__centre_id=centre_id)
    if user is not None:
        implementations = implementations.filter(catalogue_role(user).items())
    implementations = list(item_with_lists(implementations).order_by("basic_code", "implementation_code"))
    base_ids = {item.lineage.base_id for item in implementations}
    bases = {
        item.lineage_id: item
        for item in item_with_lists(
            ServiceItem.objects.filter(lineage_id__in=base_ids, state=ItemState.PUBLISHED)
        )
    }
    fields = standard_fields()
    findings = []
    for item in implementations:
        base = bases.get(item.lineage.base_id)
        if base is None:
            continue
        differences = comparison.compare(base, item, fields)
        if differences:
            findings.append(ConsistencyFinding(item, base, differences))
    return findings


def search_bundles(queryset: QuerySet[Bundle], *, q: str = "") -> QuerySet[Bundle]:
    q = q.strip()
    if q:
        condition = _text_condition(q, name="name", initials="name_initials")
        if q.isalnum() and q.isascii():
            condition |= Q(code__istartswith=q)
        queryset = queryset.filter(condition)
    return queryset.order_by("code")


def bundles_offering(item: ServiceItem) -> list[Bundle]:
    """Published bundles that include this item (shown on its guide)."""
    return list(published_bundles().filter(entries__lineage_id=item.lineage_id).order_by("code"))


def state_counts(user) -> dict[str, int]:
    """How many versions of the items ``user`` maintains are in each state (one GROUP BY query)."""
    from django.db.models import Count

    rows = maintained_items(user).order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


def awaiting_review(user, limit: int = 20) -> list[ServiceItem]:
    """Versions of the items ``user`` maintains submitted for review, oldest first: the publishing
    queue of the catalogue desk."""
    return list(
        maintained_items(user)
        .filter(state=ItemState.IN_REVIEW)
        .select_related("department", "lineage", "created_by")
        .order_by("created_at")[:limit]
    )
