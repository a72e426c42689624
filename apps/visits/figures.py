"""The hall's figures (大厅运行统计) on the supervision desk: how long people wait and how long they are
served, per service area, window and hour of the day, the tickets of each day, and the appointments'
no-show rate, over a range of days, for the centres the supervisor supervises as a whole.

- waiting time (等候时长) = the ticket's first call − the start of its wait: from taking the number
  until a window first called it. A transfer starts a new wait in the new area and clears the first
  call and the start (``calling.transfer``), so a transferred ticket counts its wait and its handling
  in the area it was transferred to. Only tickets called at least once count.
- handling time (办理时长) = finished − started, of the tickets served to the end (办结).
- by area: the ticket's area at the end; by window: the window that called it last; by hour: the hour
  of the day its number was taken (local time).
- no-show rate (爽约率) = no-shows / the appointments of the range whose slot has ended, cancelled ones
  left out. A booking still ``booked`` after its slot (its no-show not recorded yet) counts in the
  whole, not as a no-show.

Each table is one GROUP BY query (durations summed by the database: an interval on PostgreSQL,
microseconds on SQLite, a ``timedelta`` either way), so the queries do not grow with the tickets.
Averages are the summed durations over the count, in minutes to one decimal (rounded half up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ServiceCentre
from apps.accounts.selectors import supervised_centres
from apps.visits.models import Appointment, AppointmentState, Ticket, TicketState

# A day-by-day table over more than a year is a wall of rows.
MAX_DAYS = 366
# The range shown when none is asked for: the last 30 days, today included.
DEFAULT_DAYS = 30

WAIT = ExpressionWrapper(F("first_called_at") - F("waiting_since"), output_field=DurationField())
HANDLING = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
HANDLED = Q(started_at__isnull=False, finished_at__isnull=False)

TICKET_SUMS = {
    "issued": Count("pk"),
    "done": Count("pk", filter=Q(state=TicketState.DONE)),
    "abandoned": Count("pk", filter=Q(state=TicketState.ABANDONED)),
    "booked": Count("pk", filter=Q(appointment__isnull=False)),
    "waited": Count("pk", filter=Q(first_called_at__isnull=False)),
    "wait_total": Sum(WAIT),
    "wait_max": Max(WAIT),
    "handled": Count("pk", filter=HANDLED),
    "handling_total": Sum(HANDLING, filter=HANDLED),
    "handling_max": Max(HANDLING, filter=HANDLED),
}


def minutes(total: dt.timedelta | None, count: int) -> Decimal | None:
    """The average of ``count`` durations summing to ``total``, in minutes to one decimal."""
    if not count or total is None:
        return None
    microseconds = (total.days * 86_400 + total.seconds) * 1_000_000 + total.microseconds
    return (Decimal(microseconds) / (count * 60_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def max_minutes(longest: dt.timedelta | None) -> Decimal | None:
    return minutes(longest, 1)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Times:
    """The tickets of one group: how many, how they ended, their waits and handlings."""

    issued: int = 0
    done: int = 0
    abandoned: int = 0
    booked: int = 0  # taken with an appointment
    waited: int = 0  # called at least once: the waits measured
    wait_total: dt.timedelta = dt.timedelta(0)
    wait_max: dt.timedelta | None = None
    handled: int = 0  # started and finished: the handlings measured
    handling_total: dt.timedelta = dt.timedelta(0)
    handling_max: dt.timedelta | None = None

    @classmethod
    def of(cls, values: dict) -> Times:
        return cls(**{name: values[name] or cls.__dataclass_fields__[name].default for name in TICKET_SUMS})

    def __add__(self, other: Times) -> Times:
        def longest(a, b):
            return max((x for x in (a, b) if x is not None), default=None)

        return Times(
            issued=self.issued + other.issued,
            done=self.done + other.done,
            abandoned=self.abandoned + other.abandoned,
            booked=self.booked + other.booked,
            waited=self.waited + other.waited,
            wait_total=self.wait_total + other.wait_total,
            wait_max=longest(self.wait_max, other.wait_max),
            handled=self.handled + other.handled,
            handling_total=self.handling_total + other.handling_total,
            handling_max=longest(self.handling_max, other.handling_max),
        )

    @property
    def average_wait(self) -> Decimal | None:
        return minutes(self.wait_total, self.waited)

    @property
    def longest_wait(self) -> Decimal | None:
        return max_minutes(self.wait_max)

    @property
    def average_handling(self) -> Decimal | None:
        return minutes(self.handling_total, self.handled)

    @property
    def longest_handling(self) -> Decimal | None:
        return max_minutes(self.handling_max)


@dataclass(frozen=True)
class NoShows:
    """The appointments of one area whose slot has ended (cancelled ones left out)."""

    due: int = 0
    checked_in: int = 0
    no_shows: int = 0

    def __add__(self, other: NoShows) -> NoShows:
        return NoShows(
            self.due + other.due, self.checked_in + other.checked_in, self.no_shows + other.no_shows
        )

    @property
    def rate(self) -> Decimal | None:
        return percent(self.no_shows, self.due)


@dataclass(frozen=True)
class AreaRow:
    key: int
    name: str  # "A · 市场准入"
    centre: str
    times: Times
    appointments: NoShows


@dataclass(frozen=True)
class WindowRow:
    key: int
    name: str  # the window's number
    centre: str
    times: Times


@dataclass(frozen=True)
class HourRow:
    hour: int  # 0–23, local time
    times: Times


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    times: Times


@dataclass(frozen=True)
class Figures:
    date_from: dt.date
    date_to: dt.date
    areas: list[AreaRow]
    windows: list[WindowRow]
    hours: list[HourRow]
    days: list[DayRow]
    overall: Times
    appointments: NoShows

    @property
    def several_centres(self) -> bool:
        """Whether the rows are of more than one centre (the page then names each row's centre)."""
        return len({row.centre for row in self.areas} | {row.centre for row in self.windows}) > 1

    @property
    def busiest_hour(self) -> int:
        """The most tickets issued in one hour (the scale of the page's bars)."""
        return max((row.times.issued for row in self.hours), default=0)

    @property
    def longest_hour_wait(self) -> Decimal:
        return max((row.times.average_wait or Decimal(0) for row in self.hours), default=Decimal(0))


@dataclass(frozen=True)
class Query:
    date_from: dt.date
    date_to: dt.date
    centre_id: int | None = None  # one of the supervised centres; None: all of them


class HallFiguresForm(forms.Form):
    """The figures' filters, for the desk's page and the API alike (a bad value is a 400 naming it).
    ``centre`` offers only the centres the user supervises."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    centre = forms.ModelChoiceField(
        label=_("Service centre"),
        queryset=ServiceCentre.objects.none(),
        required=False,
        empty_label=_("All my centres"),
    )

    def __init__(self, data=None, *, user, **kwargs):
        # The API's query names (``from``, ``to``) are the page's too.
        if data is not None:
            data = {
                "date_from": data.get("from") or data.get("date_from"),
                "date_to": data.get("to") or data.get("date_to"),
                "centre": data.get("centre"),
            }
        super().__init__(data, **kwargs)
        self.fields["centre"].queryset = ServiceCentre.objects.filter(pk__in=supervised_centres(user))

    def clean(self):
        cleaned = super().clean()
        cleaned["date_to"] = cleaned.get("date_to") or timezone.localdate()
        cleaned["date_from"] = cleaned.get("date_from") or cleaned["date_to"] - dt.timedelta(
            days=DEFAULT_DAYS - 1
        )
        if cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_from", _("The first day is after the last."))
        elif (cleaned["date_to"] - cleaned["date_from"]).days >= MAX_DAYS:
            self.add_error("date_from", _("The figures cover at most a year: choose a shorter range."))
        return cleaned

    def query(self) -> Query:
        data = self.cleaned_data
        centre = data.get("centre")
        return Query(data["date_from"], data["date_to"], centre.pk if centre else None)


def _centres(user, query: Query) -> QuerySet:
    """The ids of the centres to count: the supervised ones, or the one asked for among them."""
    centres = supervised_centres(user)
    return centres.filter(centre_id=query.centre_id) if query.centre_id else centres


def _tickets(centres, query: Query) -> QuerySet[Ticket]:
    return Ticket.objects.filter(centre_id__in=centres, day__range=(query.date_from, query.date_to))


def _grouped(tickets: QuerySet[Ticket], *keys: str, **named) -> list[dict]:
    return list(tickets.annotate(**named).values(*keys).annotate(**TICKET_SUMS).order_by(*keys))


def _appointments(centres, query: Query, now: dt.datetime) -> dict[int, dict]:
    """The appointments of each area whose slot has ended by ``now`` (one query)."""
    local = timezone.localtime(now)
    ended = Q(slot__date__lt=local.date()) | Q(slot__date=local.date(), slot__ends_at__lte=local.time())
    rows = (
        Appointment.objects.filter(
            ended,
            slot__area__centre_id__in=centres,
            slot__date__range=(query.date_from, query.date_to),
        )
        .exclude(state=AppointmentState.CANCELLED)
        .values(
            "slot__area_id", "slot__area__prefix", "slot__area__category__name", "slot__area__centre__name"
        )
        .annotate(
            due=Count("pk"),
            checked_in=Count("pk", filter=Q(state=AppointmentState.CHECKED_IN)),
            no_shows=Count("pk", filter=Q(state=AppointmentState.NO_SHOW)),
        )
        .order_by("slot__area_id")
    )
    return {row["slot__area_id"]: row for row in rows}


def figures_for(user, query: Query, *, now: dt.datetime | None = None) -> Figures:
    """The hall's figures of the centres ``user`` supervises as a whole (five queries; none of another
    centre's tickets, and nothing for a user who supervises no whole centre)."""
    now = now or timezone.now()
    centres = _centres(user, query)
    tickets = _tickets(centres, query)

    by_area = {
        row["area_id"]: row
        for row in _grouped(tickets, "area_id", "area__prefix", "area__category__name", "area__centre__name")
    }
    booked = _appointments(centres, query, now)
    areas = []
    # An area with appointments due but no ticket in the range still has a row (all its people missed).
    for area_id in by_area.keys() | booked.keys():
        ticket_row, booking = by_area.get(area_id), booked.get(area_id)
        names = ticket_row or {name.removeprefix("slot__"): value for name, value in booking.items()}
        areas.append(
            AreaRow(
                key=area_id,
                name=f"{names['area__prefix']} · {names['area__category__name']}",
                centre=names["area__centre__name"],
                times=Times.of(ticket_row) if ticket_row else Times(),
                appointments=NoShows(booking["due"], booking["checked_in"], booking["no_shows"])
                if booking
                else NoShows(),
            )
        )
    areas.sort(key=lambda row: (row.centre, row.name))

    windows = [
        WindowRow(row["window_id"], row["window__number"], row["window__centre__name"], Times.of(row))
        for row in _grouped(
            tickets.filter(window__isnull=False), "window_id", "window__number", "window__centre__name"
        )
    ]
    windows.sort(key=lambda row: (row.centre, row.name))
    # ExtractHour converts to the current time zone (Asia/Shanghai) on both databases.
    hours = [
        HourRow(row["hour"], Times.of(row))
        for row in _grouped(tickets, "hour", hour=ExtractHour("issued_at"))
    ]
    days = [DayRow(row["day"], Times.of(row)) for row in _grouped(tickets, "day")]

    overall = sum((row.times for row in areas), Times())
    appointments = sum((row.appointments for row in areas), NoShows())
    return Figures(query.date_from, query.date_to, areas, windows, hours, days, overall, appointments)
