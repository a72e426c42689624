"""The hall's work figures (办件统计), read from the daily roll-ups only (``WorkRollup``, refreshed by
``apps.supervision.rollups``): never from the filings, so that years of millions of cases read as a few
thousand rows, in a handful of queries whatever the range.

The unit is the filed item (办件): a bundle of three items filed once counts three. Derived rates:

- first-time pass rate (一次性通过率) = first decisions accepted (with or without a deficiency) /
  first decisions (window decisions on filings that are not resubmissions);
- on-time rate (按时办结率) = cases decided on or before their due date / cases decided;
- online share (网办率) = decided filed items filed online / all decided filed items;
- average working days used, promised (承诺时限) and legal (法定时限), over the decided cases whose days
  used are known;
- 容缺 cleared rate = deficiencies cleared / (cleared + lapsed).

Rates are percentages to one decimal place, rounded half up; a rate over nothing is ``None``.
Who sees what is a ``Scope``: a centre's supervisors the centre's rows, a department's supervisors their
department's share of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, ServiceCentre, Window
from apps.accounts.scopes import Scope
from apps.catalogue.models import ServiceItem
from apps.supervision.about import about as about_download
from apps.supervision.models import Dimension, WorkRollup
from apps.supervision.models.rollups import COUNTS
from apps.supervision.tables import Table

# A day-by-day series over more than this is a wall of rows: choose months.
MAX_DAYS_BY_DAY = 366
# A range with no period chosen is shown by day up to this many days, by month beyond.
DAYS_SHOWN_BY_DAY = 62
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class Period:
    DAY = "day"
    MONTH = "month"
    CHOICES = [(DAY, _("Day")), (MONTH, _("Month"))]


def percent(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return float((Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def average(total: int, count: int) -> float | None:
    if not count:
        return None
    return float((Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Counts:
    """The roll-up's counted columns summed over some rows (``COUNTS``), with the rates derived."""

    decided_window: int = 0
    decided_online: int = 0
    decided_assisted: int = 0
    accepted: int = 0
    accepted_with_deficiency: int = 0
    returned: int = 0
    refused: int = 0
    withdrawn: int = 0
    first_decisions: int = 0
    first_time_passed: int = 0
    deficiencies_cleared: int = 0
    deficiencies_lapsed: int = 0
    materials_by_certificate: int = 0
    cases_decided: int = 0
    cases_approved: int = 0
    cases_denied: int = 0
    cases_on_time: int = 0
    days_counted: int = 0
    days_used: int = 0
    days_promised: int = 0
    days_legal: int = 0
    suspensions_correction: int = 0
    suspensions_special: int = 0
    extensions: int = 0
    certificates_issued: int = 0
    documents_posted: int = 0
    documents_collected: int = 0

    @classmethod
    def of(cls, values: dict) -> Counts:
        return cls(**{name: values.get(name) or 0 for name in COUNTS})

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{name: getattr(self, name) + getattr(other, name) for name in COUNTS})

    @property
    def decided(self) -> int:
        """Filed items the windows decided (accepted, 容缺, returned or refused), every channel."""
        return self.decided_window + self.decided_online + self.decided_assisted

    @property
    def first_time_pass_rate(self) -> float | None:
        return percent(self.first_time_passed, self.first_decisions)

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.cases_on_time, self.cases_decided)

    @property
    def online_share(self) -> float | None:
        return percent(self.decided_online, self.decided)

    @property
    def average_days_used(self) -> float | None:
        return average(self.days_used, self.days_counted)

    @property
    def average_days_promised(self) -> float | None:
        return average(self.days_promised, self.days_counted)

    @property
    def average_days_legal(self) -> float | None:
        return average(self.days_legal, self.days_counted)

    @property
    def deficiency_cleared_rate(self) -> float | None:
        return percent(self.deficiencies_cleared, self.deficiencies_cleared + self.deficiencies_lapsed)

    def as_dict(self) -> dict:
        """The counts and the derived figures (what the API returns)."""
        return {
            **{name: getattr(self, name) for name in COUNTS},
            "decided": self.decided,
            "first_time_pass_rate": self.first_time_pass_rate,
            "on_time_rate": self.on_time_rate,
            "online_share": self.online_share,
            "average_days_used": self.average_days_used,
            "average_days_promised": self.average_days_promised,
            "average_days_legal": self.average_days_legal,
            "deficiency_cleared_rate": self.deficiency_cleared_rate,
        }


RATES = (
    "first_time_pass_rate",
    "on_time_rate",
    "online_share",
    "average_days_used",
    "average_days_promised",
    "average_days_legal",
    "deficiency_cleared_rate",
)
assert {f.name for f in fields(Counts)} == set(COUNTS)  # noqa: S101 - a column added to one only


@dataclass(frozen=True)
class Row:
    """The counts of one key (a department, item lineage or window) over the range, or of everything in
    one period (``key`` None, ``period`` its first day)."""

    key: int | None
    name: str
    counts: Counts
    period: dt.date | None = None


@dataclass(frozen=True)
class WorkQuery:
    date_from: dt.date
    date_to: dt.date
    period: str = Period.DAY
    department_id: int | None = None  # one department only; None: everything in scope


def about(query: WorkQuery) -> list[tuple[str, object]]:
    """The "About" sheet of a download of the figures: the department, the dates and the period."""
    return about_download(
        query.department_id,
        (gettext("From"), query.date_from),
        (gettext("To"), query.date_to),
        (gettext("Period"), dict(Period.CHOICES)[query.period]),
    )


def departments_in(scope: Scope):
    """The departments a supervisor may choose: every one of the centres they supervise, and their own."""
    return Department.objects.filter(Q(centre_id__in=scope.centre_ids) | Q(pk__in=scope.department_ids))


class WorkForm(forms.Form):
    """The work figures' filters, for the desk's page and the API alike: a department (those in scope),
    a month (``YYYY-MM``) or a range (``from``/``to``), and the series' period. A bad value is an error
    naming its field (a 400 on the API)."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    month = forms.CharField(
        label=_("Month"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(label=_("Period"), choices=Period.CHOICES, required=False)

    def __init__(self, data=None, *, scope: Scope, **kwargs):
        # The API's query names (``from``, ``to``) are the page's too.
        if data is not None:
            data = {
                "department": data.get("department"),
                "month": data.get("month"),
                "date_from": data.get("from") or data.get("date_from"),
                "date_to": data.get("to") or data.get("date_to"),
                "period": data.get("period"),
            }
        super().__init__(data, **kwargs)
        self.fields["department"].queryset = departments_in(scope).order_by("name", "pk")

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-03."))
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        month = cleaned.get("month")
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        today = timezone.localdate()
        if month and (date_from or date_to):
            self.add_error("month", _("Choose a month or a range of dates, not both."))
            return cleaned
        if month:
            date_from = month
            date_to = (month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        else:
            date_to = date_to or today
            date_from = date_from or date_to.replace(day=1)
        if date_from > date_to:
            self.add_error("date_from", _("The first day is after the last."))
            return cleaned
        period = cleaned.get("period") or (
            Period.DAY if (date_to - date_from).days < DAYS_SHOWN_BY_DAY else Period.MONTH
        )
        if period == Period.DAY and (date_to - date_from).days >= MAX_DAYS_BY_DAY:
            self.add_error(
                "period", _("Day by day covers at most a year: choose months, or a shorter range.")
            )
            return cleaned
        cleaned.update(date_from=date_from, date_to=date_to, period=period)
        return cleaned

    def query(self) -> WorkQuery:
        data = self.cleaned_data
        department = data.get("department")
        return WorkQuery(
            data["date_from"], data["date_to"], data["period"], department.pk if department else None
        )


@dataclass(frozen=True)
class WorkFigures:
    """Everything the page, the API and the exports show for one query."""

    query: WorkQuery
    totals: Counts
    series: list[Row]  # everything in scope, by day or month
    by_department: list[Row]
    by_item: list[Row]
    by_window: list[Row]


SUMS = {name: Sum(name) for name in COUNTS}


def _rollups(scope: Scope, query: WorkQuery, dimension: str):
    rows = WorkRollup.objects.filter(dimension=dimension, day__range=(query.date_from, query.date_to))
    if query.department_id is None:
        return rows.filter(scope.q())
    # One department: its own rows, if the scope holds it (its centre's, or itself).
    allowed = Q(centre_id__in=scope.centre_ids) | Q(department_id__in=scope.department_ids)
    return rows.filter(allowed, department_id=query.department_id)


def _series(scope: Scope, query: WorkQuery) -> list[Row]:
    # Read from the centre's rows: a window's rows leave out the filings no window took.
    rows = _rollups(scope, query, Dimension.CENTRE)
    if query.period == Period.MONTH:
        grouped = rows.annotate(start=TruncMonth("day")).values("start")
    else:
        grouped = rows.values(start=F("day"))
    found = grouped.annotate(**SUMS).order_by("start")
    return [Row(None, "", Counts.of(values), period=values["start"]) for values in found]


def _periods(query: WorkQuery) -> list[dt.date]:
    """The first day of every period of the range (each day, or each month from the first's)."""
    if query.period == Period.MONTH:
        starts, month = [], query.date_from.replace(day=1)
        while month <= query.date_to:
            starts.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return starts
    days = (query.date_to - query.date_from).days
    return [query.date_from + dt.timedelta(days=n) for n in range(days + 1)]


def _by_key(scope: Scope, query: WorkQuery, dimension: str) -> list[Row]:
    found = list(_rollups(scope, query, dimension).values("key").annotate(**SUMS).order_by("key"))
    names = names_of(dimension, {values["key"] for values in found})
    rows = [Row(values["key"], names.get(values["key"], ""), Counts.of(values)) for values in found]
    return sorted(rows, key=lambda row: (row.name, row.key))


def names_of(dimension: str, keys: set[int]) -> dict[int, str]:
    """What each key is called on the page (one query)."""
    if not keys:
        return {}
    if dimension == Dimension.DEPARTMENT:
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == Dimension.WINDOW:
        windows = list(Window.objects.filter(pk__in=keys).values_list("pk", "number", "centre__name"))
        # A window is its number at one centre; the centre's name only tells several centres' apart.
        several = len({centre for _pk, _number, centre in windows}) > 1
        return {pk: f"{centre} {number}" if several else number for pk, number, centre in windows}
    if dimension == Dimension.ITEM:
        # An item lineage by the name of its latest version.
        names = {}
        versions = ServiceItem.objects.filter(lineage_id__in=keys).order_by("lineage_id", "-version")
        for lineage_id, name in versions.values_list("lineage_id", "name"):
            names.setdefault(lineage_id, name)
        return names
    return dict(ServiceCentre.objects.filter(pk__in=keys).values_list("pk", "name"))


def figures_for(scope: Scope, query: WorkQuery) -> WorkFigures:
    """The work figures of one query within ``scope``: seven queries whatever the range, departments,
    items and windows (the series, and each breakdown with its names)."""
    series = _series(scope, query)
    totals = Counts()
    for row in series:
        totals += row.counts
    return WorkFigures(
        query=query,
        totals=totals,
        series=series,
        by_department=_by_key(scope, query, Dimension.DEPARTMENT),
        by_item=_by_key(scope, query, Dimension.ITEM),
        by_window=_by_key(scope, query, Dimension.WINDOW),
    )


# --- the tables the desk draws and exports ---------------------------------------------------------------


def _period_label(period: str, day: dt.date) -> str:
    return day.strftime("%Y-%m") if period == Period.MONTH else day.isoformat()


def _every_period(figures: WorkFigures) -> list[Row]:
    """The series with every day (or month) of the range, a quiet one with zeros: a time axis that
    skipped the periods with no rows would draw days apart as if they were neighbours."""
    found = {row.period: row for row in figures.series}
    return [found.get(start) or Row(None, "", Counts(), period=start) for start in _periods(figures.query)]


def tables(figures: WorkFigures) -> list[Table]:
    """What the dashboard draws, in order: each a chart beside its table, and a sheet of the export."""
    period = figures.query.period
    series = _every_period(figures)
    totals = figures.totals
    label = {
        Period.DAY: gettext("Day"),
        Period.MONTH: gettext("Month"),
    }[period]
    result = [
        Table(
            slug="work-channels",
            title=gettext("Filed items decided by channel"),
            headings=[label, gettext("At a window"), gettext("Online"), gettext("Assisted filing")],
            rows=[
                [_period_label(period, row.period), c.decided_window, c.decided_online, c.decided_assisted]
                for row in series
                for c in [row.counts]
            ],
            chart="bar",
            note=gettext("Filed items (办件): a bundle of three items filed once counts three."),
            extra={"stack": True, "time": True},  # parts of the whole decided
        ),
        Table(
            slug="work-decisions",
            title=gettext("Decisions and withdrawals"),
            headings=[gettext("Decision"), gettext("Filed items")],
            rows=[
                [gettext("Accepted"), totals.accepted],
                [gettext("Accepted with a deficiency"), totals.accepted_with_deficiency],
                [gettext("Returned for completion"), totals.returned],
                [gettext("Refused"), totals.refused],
                [gettext("Withdrawn"), totals.withdrawn],
            ],
            chart="pie",
        ),
        Table(
            slug="work-rates",
            title=gettext("First-time pass and on-time rates"),
            headings=[
                label,
                gettext("First-time pass rate (%)"),
                gettext("On-time rate (%)"),
                gettext("Online share (%)"),
            ],
            rows=[
                [
                    _period_label(period, row.period),
                    row.counts.first_time_pass_rate,
                    row.counts.on_time_rate,
                    row.counts.online_share,
                ]
                for row in series
            ],
            chart="line",
            extra={"time": True},
            note=gettext(
                "First-time pass rate: first decisions accepted (with or without a deficiency) over "
                "first decisions; a resubmission is not a first decision. On-time rate: cases decided "
                "on or before their due date over cases decided."
            ),
        ),
        _departments_table(figures.by_department),
        _time_table(figures.by_department),
        _suspensions_table(figures.by_department),
        _deficiencies_table(figures.by_department),
        _key_table("work-items", gettext("By item"), gettext("Item"), figures.by_item, chart=""),
        _key_table("work-windows", gettext("By window"), gettext("Window"), figures.by_window, chart="bar"),
    ]
    return result


def _departments_table(rows: list[Row]) -> Table:
    return _key_table("work-departments", gettext("By department"), gettext("Department"), rows, chart="bar")


def _key_table(slug: str, title: str, key_heading: str, rows: list[Row], *, chart: str) -> Table:
    return Table(
        slug=slug,
        title=title,
        headings=[
            key_heading,
            gettext("Decided at the windows"),
            gettext("Accepted"),
            gettext("Accepted with a deficiency"),
            gettext("Returned for completion"),
            gettext("Refused"),
            gettext("First-time pass rate (%)"),
            gettext("Cases decided"),
            gettext("On-time rate (%)"),
        ],
        rows=[
            [
                row.name,
                c.decided,
                c.accepted,
                c.accepted_with_deficiency,
                c.returned,
                c.refused,
                c.first_time_pass_rate,
                c.cases_decided,
                c.on_time_rate,
            ]
            for row in rows
            for c in [row.counts]
        ],
        chart=chart,
        series=(1, 7),
        extra={"keys": [row.key for row in rows]},
    )


def _time_table(rows: list[Row]) -> Table:
    return Table(
        slug="work-time",
        title=gettext("Average working days used, promised and legal"),
        headings=[
            gettext("Department"),
            gettext("Average days used"),
            gettext("Average promised limit"),
            gettext("Average legal limit"),
            gettext("Cases counted"),
        ],
        rows=[
            [
                row.name,
                row.counts.average_days_used,
                row.counts.average_days_promised,
                row.counts.average_days_legal,
                row.counts.days_counted,
            ]
            for row in rows
        ],
        chart="bar",
        series=(1, 2, 3),
        note=gettext("Working days from acceptance to decision, suspensions left out."),
    )


def _suspensions_table(rows: list[Row]) -> Table:
    return Table(
        slug="work-suspensions",
        title=gettext("Suspensions and extensions"),
        headings=[
            gettext("Department"),
            gettext("Corrections requested"),
            gettext("Special procedures"),
            gettext("Extensions"),
        ],
        rows=[
            [
                row.name,
                row.counts.suspensions_correction,
                row.counts.suspensions_special,
                row.counts.extensions,
            ]
            for row in rows
        ],
        chart="bar",
    )


def _deficiencies_table(rows: list[Row]) -> Table:
    return Table(
        slug="work-deficiencies",
        title=gettext("Deficiencies, e-certificates and delivery"),
        headings=[
            gettext("Department"),
            gettext("Accepted with a deficiency"),
            gettext("Deficiencies cleared"),
            gettext("Deficiencies lapsed"),
            gettext("Cleared rate (%)"),
            gettext("Materials replaced by e-certificates"),
            gettext("Certificates issued"),
            gettext("Documents posted"),
            gettext("Documents collected"),
        ],
        rows=[
            [
                row.name,
                c.accepted_with_deficiency,
                c.deficiencies_cleared,
                c.deficiencies_lapsed,
                c.deficiency_cleared_rate,
                c.materials_by_certificate,
                c.certificates_issued,
                c.documents_posted,
                c.documents_collected,
            ]
            for row in rows
            for c in [row.counts]
        ],
        chart="bar",
        series=(2, 3, 6, 7, 8),
    )
