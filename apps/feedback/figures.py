"""The ratings' figures (好差评统计), read from the daily roll-ups only (``RatingRollup``; see
``apps.feedback.rollups``): never from the ratings, so that a year of a million ratings reads as a few
thousand rows.

- satisfaction rate (满意率) = (非常满意 + 满意 + 基本满意) / ratings counted;
- rectification rate (整改率) = bad ratings rectified / bad ratings;
- on-time rectification rate (按期整改率) = bad ratings rectified on or before the ticket's due date /
  bad ratings.

Ratings set aside by an upheld appeal count nowhere (only as "excluded"). A bad rating rectified and
re-rated better counts at its new level and stays a bad rating rectified. Rates are percentages to one
decimal place, rounded half up; a rate over nothing is ``None`` (shown as a dash).

Who sees what: a centre's supervisors (a membership with no department) the centre's figures; a
department's supervisors their department's share of them (``Scope``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, ServiceCentre, Window
from apps.accounts.scopes import Scope
from apps.catalogue.models import ServiceItem
from apps.feedback.models import Dimension, RatingRollup

# The lowest-rated lists leave out whatever has fewer ratings than this over the range: one 不满意 of
# one rating is not "the lowest-rated window".
MIN_RATINGS = 10
LOWEST = 10
# A day-by-day table over more than this is a wall of rows: choose months.
MAX_DAYS_BY_DAY = 366


class Period:
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    CHOICES = [(DAY, _("Day")), (MONTH, _("Month")), (YEAR, _("Year"))]


COUNT_FIELDS = (
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
    "bad",
    "rectified",
    "rectified_on_time",
)
SUMS = {name: Sum(name) for name in (*COUNT_FIELDS, "excluded")}


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Counts:
    levels: tuple[int, int, int, int, int]  # 非常满意 … 非常不满意
    bad: int
    rectified: int
    rectified_on_time: int
    excluded: int

    @classmethod
    def of(cls, values: dict) -> Counts:
        return cls(
            levels=tuple(values[f"level_{n}"] or 0 for n in range(1, 6)),
            bad=values["bad"] or 0,
            rectified=values["rectified"] or 0,
            rectified_on_time=values["rectified_on_time"] or 0,
            excluded=values["excluded"] or 0,
        )

    @property
    def total(self) -> int:
        return sum(self.levels)

    @property
    def satisfied(self) -> int:
        return sum(self.levels[:3])

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.satisfied, self.total)

    @property
    def rectification_rate(self) -> Decimal | None:
        return percent(self.rectified, self.bad)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.rectified_on_time, self.bad)

    def cells(self) -> list[str]:
        """The page's cells of a row, in the order of its headings (rates as "72.7%", none as "—")."""

        def shown(rate):
            return "—" if rate is None else f"{rate}%"

        return [
            *(str(n) for n in self.levels),
            str(self.total),
            shown(self.satisfaction_rate),
            str(self.bad),
            str(self.rectified),
            shown(self.rectification_rate),
            shown(self.on_time_rate),
            str(self.excluded),
        ]


@dataclass(frozen=True)
class Row:
    """The counts of one key (a centre, department, window, staff member or item) over one period
    (its first day; ``None``: the whole range)."""

    period: dt.date | None
    key: int
    name: str
    counts: Counts


@dataclass(frozen=True)
class Query:
    dimension: str
    period: str
    date_from: dt.date
    date_to: dt.date
    key: int | None = None  # the one key of the dimension whose periods are shown; None: all ratings


class FiguresForm(forms.Form):
    """The figures' filters, for the desk's page and the API alike (a bad value is a 400 naming it)."""

    dimension = forms.ChoiceField(label=_("By"), choices=Dimension.choices, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=Period.CHOICES, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    key = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, data=None, **kwargs):
        # The API's query names (``from``, ``to``) are the page's too.
        if data is not None:
            data = {
                "dimension": data.get("dimension"),
                "period": data.get("period"),
                "date_from": data.get("from") or data.get("date_from"),
                "date_to": data.get("to") or data.get("date_to"),
                "key": data.get("key"),
            }
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        cleaned["dimension"] = cleaned.get("dimension") or Dimension.DEPARTMENT
        cleaned["period"] = cleaned.get("period") or Period.MONTH
        cleaned["date_to"] = cleaned.get("date_to") or today
        cleaned["date_from"] = cleaned.get("date_from") or cleaned["date_to"].replace(month=1, day=1)
        if cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_from", _("The first day is after the last."))
        elif (
            cleaned["period"] == Period.DAY
            and (cleaned["date_to"] - cleaned["date_from"]).days >= MAX_DAYS_BY_DAY
        ):
            self.add_error(
                "period", _("Day by day covers at most a year: choose months, or a shorter range.")
            )
        return cleaned

    @property
    def dimension_label(self) -> str:
        return Dimension(self.cleaned_data["dimension"]).label

    def query(self) -> Query:
        data = self.cleaned_data
        return Query(data["dimension"], data["period"], data["date_from"], data["date_to"], data.get("key"))


def _rollups(scope: Scope, dimension: str, date_from: dt.date, date_to: dt.date):
    return RatingRollup.objects.filter(scope.q(), dimension=dimension, day__range=(date_from, date_to))


PERIOD_START = {
    Period.DAY: lambda: F("day"),
    Period.MONTH: lambda: TruncMonth("day"),
    Period.YEAR: lambda: TruncYear("day"),
}


def by_period(scope: Scope, query: Query, names: dict[int, str] | None = None) -> list[Row]:
    """The counts of each key of the query's dimension in each period of its range (one query, and one
    for the names unless given)."""
    grouped = (
        _rollups(scope, query.dimension, query.date_from, query.date_to)
        .annotate(start=PERIOD_START[query.period]())
        .values("start", "key")
        .annotate(**SUMS)
        .order_by("start", "key")
    )
    found = list(grouped)
    if names is None:
        names = names_of(query.dimension, {values["key"] for values in found})
    rows = [
        Row(values["start"], values["key"], names.get(values["key"], ""), Counts.of(values))
        for values in found
    ]
    return sorted(rows, key=lambda row: (row.period, row.name, row.key))


def trend(scope: Scope, query: Query, names: dict[int, str]) -> list[Row]:
    """All ratings in each period of the range, or the query's one key's (one query): a few rows a
    page shows whole, where the cross table of every key by period (``by_period``) goes to the
    download and the API."""
    dimension = Dimension.CENTRE if query.key is None else query.dimension
    rows = _rollups(scope, dimension, query.date_from, query.date_to)
    if query.key is not None:
        rows = rows.filter(key=query.key)
    grouped = (
        rows.annotate(start=PERIOD_START[query.period]()).values("start").annotate(**SUMS).order_by("start")
    )
    name = "" if query.key is None else names.get(query.key, "")
    return [Row(values["start"], query.key or 0, name, Counts.of(values)) for values in grouped]


def totals(scope: Scope, dimension: str, date_from: dt.date, date_to: dt.date) -> list[Row]:
    """The counts of each key of ``dimension`` over the whole range, by name (two queries)."""
    found = list(
        _rollups(scope, dimension, date_from, date_to).values("key").annotate(**SUMS).order_by("key")
    )
    names = names_of(dimension, {values["key"] for values in found})
    rows = [Row(None, values["key"], names.get(values["key"], ""), Counts.of(values)) for values in found]
    return sorted(rows, key=lambda row: (row.name, row.key))


def lowest(
    scope: Scope,
    dimension: str,
    date_from: dt.date,
    date_to: dt.date,
    *,
    min_ratings: int = MIN_RATINGS,
    limit: int = LOWEST,
    range_totals: list[Row] | None = None,
) -> list[Row]:
    """The lowest-rated keys of ``dimension`` (items, windows) over the range: by satisfaction rate,
    then by most bad ratings; only those with at least ``min_ratings`` ratings (two queries, none when
    the range's ``totals`` of that dimension are given)."""
    if range_totals is None:
        range_totals = totals(scope, dimension, date_from, date_to)
    rows = [row for row in range_totals if row.counts.total >= min_ratings]
    rows.sort(key=lambda row: (row.counts.satisfaction_rate, -row.counts.bad, row.name))
    return rows[:limit]


def overall(scope: Scope, date_from: dt.date, date_to: dt.date) -> Counts:
    """Every rating in ``scope`` over the range (one query). Read from the centre's rows: a window's or
    a staff member's rows leave out the ratings of acts without one (an online pre-review)."""
    return Counts.of(_rollups(scope, Dimension.CENTRE, date_from, date_to).aggregate(**SUMS))


def names_of(dimension: str, keys: set[int]) -> dict[int, str]:
    """What each key is called on the page (one query)."""
    if not keys:
        return {}
    if dimension == Dimension.CENTRE:
        return dict(ServiceCentre.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == Dimension.DEPARTMENT:
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == Dimension.WINDOW:
        windows = list(Window.objects.filter(pk__in=keys).values_list("pk", "number", "centre__name"))
        # A window is its number at one centre; the centre's name only tells several centres' apart.
        several = len({centre for _pk, _number, centre in windows}) > 1
        return {pk: f"{centre} {number}" if several else number for pk, number, centre in windows}
    if dimension == Dimension.STAFF:
        users = get_user_model().objects.filter(pk__in=keys).values_list("pk", "full_name", "username")
        return {pk: full_name or username for pk, full_name, username in users}
    return dict(ServiceItem.objects.filter(pk__in=keys).values_list("pk", "name"))


@dataclass(frozen=True)
class Figures:
    """Everything the page, the API and the export show for one query."""

    query: Query
    rows: list[Row]  # each key by period (empty unless asked for: ``cross``)
    trend: list[Row]  # all ratings by period, or the query's key's
    totals: list[Row]  # over the range
    overall: Counts
    lowest_items: list[Row]
    lowest_windows: list[Row]
    min_ratings: int


def figures_for(scope: Scope, query: Query, *, cross: bool = True, min_ratings: int = MIN_RATINGS) -> Figures:
    """The figures of one query within ``scope`` (at most eight queries, whatever the rows); ``cross``:
    with every key by period."""
    span = (query.date_from, query.date_to)
    range_totals = totals(scope, query.dimension, *span)
    names = {row.key: row.name for row in range_totals}

    def lowest_of(dimension):
        given = range_totals if dimension == query.dimension else None
        return lowest(scope, dimension, *span, min_ratings=min_ratings, range_totals=given)

    return Figures(
        query=query,
        rows=by_period(scope, query, names) if cross else [],
        trend=trend(scope, query, names),
        totals=range_totals,
        overall=overall(scope, *span),
        lowest_items=lowest_of(Dimension.ITEM),
        lowest_windows=lowest_of(Dimension.WINDOW),
        min_ratings=min_ratings,
    )
