"""What ``supervision/_figure.html`` needs to draw a Table: its ECharts option, its chart's height, and
its table's body, each cell as the table shows it."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from apps.supervision import charts

register = template.Library()

EMPTY = "—"


@register.filter
def chart_option(table) -> dict:
    return charts.option(table)


@register.filter
def chart_height(table) -> int:
    return charts.height(table)


@register.filter
def figure_cell(cell) -> str:
    # As the .xlsx holds it: the number itself (already rounded by the figure), a dash for nothing.
    if cell is None:
        return EMPTY
    if isinstance(cell, Decimal | float):
        return str(float(cell)) if isinstance(cell, Decimal) else str(cell)
    return str(cell)


def _cell_html(cell) -> str:
    # An int (most cells) needs neither formatting nor escaping: skip both, they are what costs.
    if type(cell) is int:
        return str(cell)
    return conditional_escape(figure_cell(cell))


def _row_html(row) -> str:
    label = row[0]
    testid = getattr(label, "testid", "")
    url = getattr(label, "url", "")
    text = conditional_escape(charts.label(label))
    if url:
        current = ' aria-current="true"' if getattr(label, "current", False) else ""
        text = f'<a href="{conditional_escape(url)}"{current}>{text}</a>'
    cells = "".join([f"<td>{_cell_html(cell)}</td>" for cell in row[1:]])
    opening = f'<tr data-testid="{conditional_escape(testid)}">' if testid else "<tr>"
    return f'{opening}<th scope="row">{text}</th>{cells}</tr>'


@register.simple_tag
def figure_body(table) -> SafeString:
    """A Table's rows as its <tbody> holds them: the label a row header (a tables.Linked a link, its row
    named by its testid), then each value as ``figure_cell`` shows it. One call for the whole body: a
    template filter per cell was two thirds of the dashboard's rendering (benchmarks/bench_supervision.py).
    Every text is escaped here (conditional_escape), as the template would."""
    return mark_safe("".join([_row_html(row) for row in table.rows]))  # noqa: S308 — escaped above
