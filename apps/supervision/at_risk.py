"""Cases at risk (预警): the open cases with a yellow or red card, or overdue, in a supervisor's scope —
live, not from the roll-ups — counted by department and level, and listed most urgent first.

The level is the case's ``warning`` as the deadline sweep last set it (every HALL_SWEEP_SECONDS, and
at the start of the day), so the list is the queues' own view of a case. Every read is a range of the
partial index ``case_open_warning`` (department, warning, due date; open cases only):

- the counts are one GROUP BY over it (an index-only scan of the at-risk part of the scope);
- a page is read level by level, most urgent first (overdue, red, yellow), each level in due-date
  order: the counts say which levels a page spans, and each of those is one ``ORDER BY due_on, id``
  slice — at most three small queries, never a sort of every case at risk by a computed rank;
- the page's rows are then one query joining only their filings, items, clocks and holders, and one
  for their open escalations.

So a page costs the same number of queries for one case at risk or fifty thousand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.identifiers import mask_identifier, mask_name
from apps.accounts.models import Department
from apps.accounts.scopes import Scope
from apps.audit.export import step_labels
from apps.audit.models import TransitionLog
from apps.cases.codes import ApplicantKind
from apps.cases.models import OPEN_CASE, Case, Escalation, Filing
from apps.supervision.about import about as about_download
from apps.supervision.tables import Table
from apps.worktime import calendar
from apps.worktime.warnings import WarningLevel

# Most urgent first: the order of the list, and of its counts.
LEVELS = (WarningLevel.OVERDUE, WarningLevel.RED, WarningLevel.YELLOW)
PAGE_SIZE = 25
# The chart's colours by column (overdue, red, yellow): dark red, red, amber.
LEVEL_COLOURS = {1: "#7f1d1d", 2: "#dc2626", 3: "#f59e0b"}

ROW_FIELDS = (
    "state",
    "due_on",
    "warning",
    "green_channel",
    "department_id",
    "claimed_by_id",
    "filing__number",
    "filing__applicant_name",
    "filing__applicant_id_number",
    "filing__applicant_kind",
    "item__name",
    "clock__centre_id",
    "claimed_by__username",
    "claimed_by__full_name",
)


def departments_in(scope: Scope) -> list[Department]:
    """The departments a supervisor's scope covers, by name (one query): every department of their
    centres, and the departments they supervise elsewhere."""
    if not scope:
        return []
    return list(
        Department.objects.filter(Q(centre_id__in=scope.centre_ids) | Q(pk__in=scope.department_ids))
        .only("name", "centre_id")
        .order_by("name", "pk")
    )


class AtRiskForm(forms.Form):
    """The list's filters: a department of the scope, a level. A value outside them is an error
    naming the field (a department of another scope is not offered, so it is "not one of the
    choices")."""

    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(label=_("Warning level"), required=False)

    def __init__(self, data=None, *, departments: list[Department], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [
            (d.pk, d.name) for d in departments
        ]
        self.fields["level"].choices = [("", _("All levels"))] + [
            (level.value, level.label) for level in LEVELS
        ]

    def about(self) -> list[tuple[str, object]]:
        """The "About" sheet of a download made with these filters (cases open now: no dates)."""
        level = self.cleaned_data["level"]
        return about_download(
            self.cleaned_data["department"],
            (gettext("Warning level"), WarningLevel(level).label if level else gettext("All levels")),
        )

    def query(self, departments: list[Department]) -> AtRiskQuery:
        chosen = self.cleaned_data["department"]
        return AtRiskQuery(
            department_ids=tuple(d.pk for d in departments if chosen in (None, d.pk)),
            levels=(self.cleaned_data["level"],) if self.cleaned_data["level"] else LEVELS,
        )


@dataclass(frozen=True)
class AtRiskQuery:
    department_ids: tuple[int, ...]
    levels: tuple[str, ...] = LEVELS


@dataclass
class DepartmentCounts:
    department: Department
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[int]:
        return [self.by_level.get(level, 0) for level in LEVELS]

    @property
    def total(self) -> int:
        return sum(self.by_level.values())


@dataclass
class AtRiskRow:
    """A case at risk as the list shows it (no full identity: the applicant's name and number
    masked)."""

    case_id: int
    filing_number: str
    item: str
    department: Department
    level: str
    level_label: str
    state: str
    state_label: str
    due_on: dt.date
    days_left: int  # working days from today to the due date; negative once overdue
    held_by: str  # the claiming approver's name; empty: in the queue
    green_channel: bool
    applicant: str
    applicant_id: str
    escalation: Escalation | None  # its open escalation, if any


def open_at_risk(department_ids, levels=LEVELS) -> QuerySet[Case]:
    """The open cases at these levels in these departments: the ``case_open_warning`` index's
    predicate (the open states) and its leading columns."""
    return Case.objects.filter(state__in=OPEN_CASE, department_id__in=department_ids, warning__in=levels)


def counts(query: AtRiskQuery) -> dict[tuple[int, str], int]:
    """{(department id, level): open cases} for the query (one query)."""
    if not query.department_ids:
        return {}
    rows = (
        open_at_risk(query.department_ids, query.levels)
        .order_by()
        .values_list("department_id", "warning")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan (the id is not in the index)
    )
    return {(department_id, level): n for department_id, level, n in rows}


class _UrgentIds:
    """The ids of the cases at risk, most urgent first, as a sequence a ``Paginator`` slices: its
    length is the counts' sum, and a slice reads only the levels it spans (one query each)."""

    def __init__(self, query: AtRiskQuery, per_level: dict[str, int]):
        self.query = query
        self.per_level = per_level

    def count(self) -> int:
        return sum(self.per_level.values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[int]:
        start, stop = part.start or 0, part.stop if part.stop is not None else self.count()
        ids, offset = [], 0
        for level in LEVELS:
            n = self.per_level.get(level, 0)
            low, high = max(start - offset, 0), min(stop - offset, n)
            if low < high:
                ids += list(
                    open_at_risk(self.query.department_ids, [level])
                    .order_by("due_on", "pk")
                    .values_list("pk", flat=True)[low:high]
                )
            offset += n
        return ids


def _holder(case: Case) -> str:
    return str(case.claimed_by) if case.claimed_by_id else ""


def rows_of(ids: list[int], departments: dict[int, Department], today: dt.date) -> list[AtRiskRow]:
    """The list's rows of these case ids, in the order given (two queries: the cases, their open
    escalations)."""
    cases = {
        case.pk: case
        for case in Case.objects.filter(pk__in=ids)
        .select_related("filing", "item", "clock", "claimed_by")
        .only(*ROW_FIELDS)
    }
    escalations = {e.case_id: e for e in Escalation.objects.filter(case_id__in=ids, resolved_at__isnull=True)}
    rows = []
    for pk in ids:
        case = cases.get(pk)
        if case is None:  # decided between the two reads
            continue
        filing = case.filing
        rows.append(
            AtRiskRow(
                case_id=pk,
                filing_number=filing.number,
                item=case.item.name,
                department=departments[case.department_id],
                level=case.warning,
                level_label=case.get_warning_display(),
                state=case.state,
                state_label=case.get_state_display(),
                due_on=case.due_on,
                days_left=calendar.working_days_between(today, case.due_on, case.clock.centre_id),
                held_by=_holder(case),
                green_channel=case.green_channel,
                applicant=mask_name(filing.applicant_name)
                if filing.applicant_kind == ApplicantKind.PERSON
                else filing.applicant_name,
                applicant_id=mask_identifier(filing.applicant_id_number),
                escalation=escalations.get(pk),
            )
        )
    return rows


@dataclass
class AtRisk:
    """What the list shows: the counts by department and level, the totals by level, one page."""

    query: AtRiskQuery
    by_department: list[DepartmentCounts]
    by_level: dict[str, int]
    page: Page
    rows: list[AtRiskRow]

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    @property
    def level_cells(self) -> list[int]:
        return [self.by_level.get(level, 0) for level in LEVELS]


def counted(query: AtRiskQuery, departments: list[Department]) -> tuple[list[DepartmentCounts], dict]:
    """The counts by department (those with a case at risk, in ``departments``' order) and by level
    (one query)."""
    by_key = counts(query)
    by_department = []
    for department in departments:
        if department.pk in query.department_ids:
            found = {level: n for level in LEVELS if (n := by_key.get((department.pk, level), 0))}
            if found:
                by_department.append(DepartmentCounts(department, found))
    per_level = {level: 0 for level in LEVELS}
    for (_department, level), n in by_key.items():
        per_level[level] += n
    return by_department, per_level


def at_risk(
    query: AtRiskQuery,
    departments: list[Department],
    *,
    page: int | str | None = 1,
    size: int = PAGE_SIZE,
    today: dt.date | None = None,
) -> AtRisk:
    """The counts and one page of the cases at risk for ``query`` (its departments: some of
    ``departments_in(scope)``): three to six queries whatever the numbers."""
    today = today or timezone.localdate()
    by_department, per_level = counted(query, departments)
    listed = Paginator(_UrgentIds(query, per_level), size).get_page(page)
    return AtRisk(
        query=query,
        by_department=by_department,
        by_level=per_level,
        page=listed,
        rows=rows_of(list(listed.object_list), {d.pk: d for d in departments}, today),
    )


def case_in_scope(scope: Scope) -> QuerySet[Case]:
    """The cases a supervisor may open from the list (any state: a case decided since the list was
    drawn still opens): those of the departments in their scope."""
    if not scope:
        return Case.objects.none()
    return Case.objects.filter(
        Q(department__centre_id__in=scope.centre_ids) | Q(department_id__in=scope.department_ids)
    )


def tables(by_department: list[DepartmentCounts]) -> list[Table]:
    """The counts by department and level, as the desk draws them (a bar per level and department)
    and exports them."""
    headings = [str(_("Department")), *(str(WarningLevel(level).label) for level in LEVELS), str(_("Total"))]
    rows = [[c.department.name, *c.cells, c.total] for c in by_department]
    return [
        Table(
            slug="at-risk-by-department",
            title=str(_("Cases at risk by department")),
            headings=headings,
            rows=rows,
            chart="bar",
            series=(1, 2, 3),
            # One bar per department, its levels as parts, each in its card's colour (as the badges).
            extra={"stack": True, "colors": LEVEL_COLOURS},
            note=str(
                _(
                    "Open cases with a yellow or red card, or overdue, as the deadline sweep last set "
                    "them (every few minutes)."
                )
            ),
        )
    ]


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    label: str
    by: str
    comment: str


def case_steps(case: Case) -> list[Step]:
    """What happened to ``case`` from its filing's opening: the filing's steps (opened, accepted …)
    and the case's own, oldest first, each labelled in words (one query). A case accepted today has
    no step of its own yet; its filing's say how it came. The applicant acting online is named as
    the applicant, never by their account (the page masks who they are)."""
    filing = case.filing
    types = ContentType.objects.get_for_models(Filing, Case)
    logs = (
        TransitionLog.objects.filter(
            Q(content_type=types[Filing], object_id=str(filing.pk))
            | Q(content_type=types[Case], object_id=str(case.pk))
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    # Labelled as the audit log labels them, by the kind of the row's subject.
    case_labels, filing_labels = step_labels("cases.case"), step_labels("cases.filing")
    steps = []
    for log in logs:
        labels = case_labels if log.content_type_id == types[Case].pk else filing_labels
        if log.actor_id is not None and log.actor_id == filing.citizen_id:
            by = str(_("Applicant"))
        else:
            by = str(log.actor) if log.actor_id is not None else "—"
        steps.append(Step(log.at, str(labels.get(log.transition, log.transition)), by, log.comment))
    return steps
