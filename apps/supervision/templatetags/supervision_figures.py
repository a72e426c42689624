"""What ``supervision/_figure.html`` needs to draw a Table: its ECharts option, its chart's height, and
each cell as the table shows it."""

from __future__ import annotations

from decimal import Decimal

from django import template

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
def figure_label(cell) -> str:
    return charts.label(cell)


@register.filter
def figure_cell(cell) -> str:
    # As the .xlsx holds it: the number itself (already rounded by the figure), a dash for nothing.
    if cell is None:
        return EMPTY
    if isinstance(cell, Decimal | float):
        return str(float(cell)) if isinstance(cell, Decimal) else str(cell)
    return str(cell)


@register.filter
def figure_values(row) -> list:
    """A row's cells after its label."""
    return list(row)[1:]
