"""The work dashboard (办件统计) of the supervision desk: the work figures of a query
(``apps.supervision.work_figures``, read from the daily roll-ups) as headline figures and tables, with
the hall's waiting and satisfaction figures of the same range and scope beside them.

- waiting (等候): the tickets of the supervised centres taken in the range, summed by the definitions of
  ``apps.visits.figures`` (one aggregate: the dashboard needs the whole, not the hall figures' tables by
  area, window and hour). Tickets belong to a centre, not a department: with one department chosen,
  or for a supervisor of departments only, there are none to show (``None``);
- satisfaction (满意度): every rating in scope over the range (``apps.feedback.figures.overall``, from
  the rating roll-ups), the chosen department's only when one is.

A handful of queries whatever the range, departments, items and windows: the work figures' seven, one
for the tickets, one for the ratings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from apps.accounts.scopes import Scope
from apps.feedback import figures as rating_figures
from apps.supervision.tables import Table
from apps.supervision.work_figures import WorkFigures, WorkQuery, figures_for, tables
from apps.visits.figures import TICKET_SUMS, Times
from apps.visits.models import Ticket


@dataclass(frozen=True)
class Headline:
    """One headline figure: its tile on the page and its row in the export's first sheet."""

    key: str  # the tile's data-testid is headline-<key>
    label: str
    value: int | float | None
    unit: str = ""


@dataclass(frozen=True)
class Dashboard:
    query: WorkQuery
    figures: WorkFigures
    tickets: Times | None  # None: no centre's tickets are in the query (a department chosen, or in scope)
    ratings: rating_figures.Counts
    headlines: list[Headline]
    tables: list[Table]  # the work figures' tables, as drawn (apps.supervision.work_figures.tables)

    @property
    def headline_table(self) -> Table:
        """The headline figures as a table: the first sheet of the whole export."""
        return Table(
            slug="work-headline",
            title=gettext("Headline figures"),
            headings=[gettext("Figure"), gettext("Value of the figure")],
            rows=[
                [headline.label + (f" ({headline.unit})" if headline.unit else ""), headline.value]
                for headline in self.headlines
            ],
        )

    def all_tables(self) -> list[Table]:
        return [self.headline_table, *self.tables]

    def table(self, slug: str) -> Table | None:
        return next((table for table in self.all_tables() if table.slug == slug), None)


def _tickets(scope: Scope, query: WorkQuery) -> Times | None:
    if query.department_id is not None or not scope.centre_ids:
        return None
    values = Ticket.objects.filter(
        centre_id__in=scope.centre_ids, day__range=(query.date_from, query.date_to)
    ).aggregate(**TICKET_SUMS)
    return Times.of(values)


def _ratings(scope: Scope, query: WorkQuery) -> rating_figures.Counts:
    # The department chosen is in scope (the form offers no other): its own rows.
    if query.department_id is not None:
        scope = Scope(frozenset(), frozenset({query.department_id}))
    return rating_figures.overall(scope, query.date_from, query.date_to)


def _number(value):
    """A Decimal figure as a float (the export writes numbers as numbers); None stays None."""
    return None if value is None else float(value) if not isinstance(value, int) else value


def _headlines(figures: WorkFigures, tickets: Times | None, ratings: rating_figures.Counts) -> list[Headline]:
    c = figures.totals
    days = gettext("working days")
    rows = [
        Headline("decided", gettext("Filed items decided"), c.decided),
        Headline("decided-window", gettext("At a window"), c.decided_window),
        Headline("decided-online", gettext("Online"), c.decided_online),
        Headline("decided-assisted", gettext("Assisted filing"), c.decided_assisted),
        Headline("online-share", gettext("Online share"), c.online_share, "%"),
        Headline("first-time-pass-rate", gettext("First-time pass rate"), c.first_time_pass_rate, "%"),
        Headline("cases-decided", gettext("Cases decided"), c.cases_decided),
        Headline("on-time-rate", gettext("On-time rate"), c.on_time_rate, "%"),
        Headline("average-days-used", gettext("Average days used"), c.average_days_used, days),
        Headline("average-days-promised", gettext("Average promised limit"), c.average_days_promised, days),
        Headline("average-days-legal", gettext("Average legal limit"), c.average_days_legal, days),
        Headline(
            "accepted-with-deficiency", gettext("Accepted with a deficiency"), c.accepted_with_deficiency
        ),
        Headline("deficiencies-cleared", gettext("Deficiencies cleared"), c.deficiencies_cleared),
        Headline("deficiencies-lapsed", gettext("Deficiencies lapsed"), c.deficiencies_lapsed),
        Headline(
            "materials-by-certificate",
            gettext("Materials replaced by e-certificates"),
            c.materials_by_certificate,
        ),
        Headline("certificates-issued", gettext("Certificates issued"), c.certificates_issued),
        Headline("documents-posted", gettext("Documents posted"), c.documents_posted),
        Headline("documents-collected", gettext("Documents collected"), c.documents_collected),
    ]
    if tickets is not None:
        minutes = gettext("minutes")
        rows += [
            Headline("tickets-issued", gettext("Queue tickets taken"), tickets.issued),
            Headline("average-wait", gettext("Average wait"), _number(tickets.average_wait), minutes),
            Headline("longest-wait", gettext("Longest wait"), _number(tickets.longest_wait), minutes),
        ]
    rows += [
        Headline("ratings", gettext("Ratings"), ratings.total),
        Headline("satisfaction-rate", gettext("Satisfaction rate"), _number(ratings.satisfaction_rate), "%"),
    ]
    return rows


def dashboard_for(scope: Scope, query: WorkQuery) -> Dashboard:
    """The dashboard of one query within ``scope`` (nine queries, whatever the rows)."""
    figures = figures_for(scope, query)
    tickets = _tickets(scope, query)
    ratings = _ratings(scope, query)
    return Dashboard(
        query=query,
        figures=figures,
        tickets=tickets,
        ratings=ratings,
        headlines=_headlines(figures, tickets, ratings),
        tables=tables(figures),
    )
