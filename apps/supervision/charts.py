"""A Table drawn as an Apache ECharts chart: the chart's option is built here, on the server, from the
table's own rows, so the chart, the table beside it and the .xlsx export hold the same numbers.

The option is plain JSON (no functions: it travels in a ``json_script`` and the page's CSP forbids eval);
``static/js/charts.js`` only draws it, adding what JSON cannot say (the tooltip's unit, no animation
when the user asks for reduced motion). How a table is drawn:

- the categories are the first column (a day, a month, a department, an item, a window);
- a "bar" or "line" chart draws one series per drawn column (``Table.drawn_columns``); a bar chart with
  many or long category labels lies on its side (labels read left to right, first row on top);
- a "pie" draws the first drawn column, one slice per row;
- a column is a percentage when its heading ends with "%" (e.g. "On-time rate (%)", "按时办结率（%）");
  its cells hold percentage points (75.75, not 0.7575). Percentages share an axis labelled with "%";
  drawn beside counts they get an axis of their own on the right;
- an empty cell (None) is a gap ("-" to ECharts), not a zero;
- ``Table.extra["stack"]`` (true) stacks a bar chart's series into one bar per row (parts of a whole,
  e.g. filed items by channel);
- a time series stays upright (days or months along the bottom) however many rows it has: a table
  says so with ``extra["time"]`` (true), and a first column of dates, or of ISO days or months
  ("2026-03-02", "2026-03"), is taken as one;
- ``extra["colors"]`` fixes a series' colour where it means something (overdue dark red, a red card
  red, a yellow card amber): a dict keyed by the column's index or its heading (for a pie: by the
  row's label) to a CSS colour; the others keep the palette's;
- a chart with nothing to draw (every drawn value 0 or empty) is not drawn: ``option`` is {} and the
  figure shows the table with a line saying there is no data for the period.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from apps.supervision.tables import Table

PERCENT_ENDINGS = ("%", "%)", "%）", "％", "％）")
# A bar chart lies on its side when its labels would crowd or slant under the bars.
SIDEWAYS_AFTER_ROWS = 8
SIDEWAYS_AFTER_LABEL_WIDTH = 12  # a Chinese character counts two: six of them, or twelve letters
WIDE_FROM = 0x2E80  # CJK and full-width forms
# Heights (px) for charts.js: a chart on its side grows with its rows so that every label is shown.
HEIGHT = 320
ROW_HEIGHT = 28
SIDEWAYS_MARGIN = 80
# A bar of a few rows stays a bar, not a wall.
BAR_MAX_WIDTH = 48
# Points on a line are marked only while there are few enough to tell apart.
MAX_MARKED_POINTS = 31
# A day or a month as the tables label them (charts.label): 2026-03-02, 2026-03.
ISO_DAY_OR_MONTH = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def is_percent(heading: str) -> bool:
    return str(heading).strip().endswith(PERCENT_ENDINGS)


def label(cell) -> str:
    """A row's label as the chart, the table and the export show it (a date as ISO, 2026-03-02)."""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return "" if cell is None else str(cell)


def value(cell):
    """A number as ECharts reads it: float for Decimal, "-" (ECharts' empty) for None."""
    if cell is None:
        return "-"
    if isinstance(cell, Decimal):
        return float(cell)
    return cell


def is_time(table: Table) -> bool:
    """Whether the first column is a time axis (days, months): said by ``extra["time"]``, or seen."""
    if "time" in table.extra:
        return bool(table.extra["time"])
    firsts = [row[0] for row in table.rows]
    return bool(firsts) and all(
        isinstance(cell, dt.date) or (isinstance(cell, str) and ISO_DAY_OR_MONTH.match(cell))
        for cell in firsts
    )


def has_data(table: Table) -> bool:
    """Whether the chart would draw anything: some drawn value neither empty nor zero."""
    return any(row[column] not in (None, 0, "") for row in table.rows for column in table.drawn_columns)


def color_of(table: Table, column: int) -> str | None:
    """The colour ``extra["colors"]`` fixes for a column (by its index, else its heading)."""
    colors = table.extra.get("colors") or {}
    return colors.get(column) or colors.get(str(table.headings[column]))


def sideways(table: Table) -> bool:
    # A time series reads left to right, however long: never on its side.
    if table.chart != "bar" or is_time(table):
        return False
    labels = [label(row[0]) for row in table.rows]
    return len(labels) > SIDEWAYS_AFTER_ROWS or any(
        _width(text) > SIDEWAYS_AFTER_LABEL_WIDTH for text in labels
    )


def _width(text: str) -> int:
    return sum(2 if ord(char) >= WIDE_FROM else 1 for char in text)


def height(table: Table) -> int:
    """The chart's height in pixels (charts.js sets it: the page's CSP allows no inline style)."""
    if sideways(table):
        return max(HEIGHT, SIDEWAYS_MARGIN + ROW_HEIGHT * len(table.rows) * max(1, len(table.drawn_columns)))
    return HEIGHT


def option(table: Table) -> dict:
    """The ECharts option drawing ``table`` (see the module's docstring); {} for a table with no chart,
    or with nothing to draw (an empty chart is a blank box: the figure says "no data" instead)."""
    if not table.chart or not has_data(table):
        return {}
    if table.chart == "pie":
        return _pie(table)
    if table.chart in ("bar", "line"):
        return _cartesian(table)
    raise ValueError(f"unknown chart kind {table.chart!r} for table {table.slug!r}")


def _base(table: Table) -> dict:
    return {
        # The chart is aria-hidden: the table beside it is its accessible form.
        "aria": {"enabled": False},
        # Drawn on the canvas, not as HTML: HTML tooltips style their markers inline, which the CSP refuses.
        "tooltip": {"renderMode": "richText", "confine": True},
    }


def _pie(table: Table) -> dict:
    column = table.drawn_columns[0]
    colors = table.extra.get("colors") or {}
    data = []
    for row in table.rows:
        one = {"name": label(row[0]), "value": value(row[column])}
        if colors.get(label(row[0])):
            one["itemStyle"] = {"color": colors[label(row[0])]}
        data.append(one)
    option = _base(table)
    option["tooltip"].update(trigger="item")
    option["legend"] = {"type": "scroll", "bottom": 0}
    option["series"] = [
        {
            "name": str(table.headings[column]),
            "type": "pie",
            "radius": ["35%", "65%"],
            "center": ["50%", "45%"],
            "label": {"formatter": "{b}: {d}%"},
            # A slice of nothing (a zero row) keeps its legend but draws no label over its neighbours.
            "minShowLabelAngle": 1,
            "data": data,
            "hallUnit": "%" if is_percent(table.headings[column]) else "",
        }
    ]
    return option


def _cartesian(table: Table) -> dict:
    columns = table.drawn_columns
    percent = [is_percent(table.headings[column]) for column in columns]
    # Percentages beside counts get their own axis (right); all percentages, or all counts, share one.
    two_axes = any(percent) and not all(percent)
    # Counts step by whole numbers (no "0.5 filed items" on the axis).
    counts_axis = {"type": "value", "minInterval": 1}
    percent_axis = {"type": "value", "axisLabel": {"formatter": "{value}%"}}
    if two_axes:
        value_axes = [counts_axis, {**percent_axis, "position": "right", "splitLine": {"show": False}}]
    else:
        value_axes = [percent_axis if all(percent) else counts_axis]
    category_axis = {"type": "category", "data": [label(row[0]) for row in table.rows]}
    on_side = sideways(table)
    option = _base(table)
    option["tooltip"].update(
        trigger="axis", axisPointer={"type": "shadow" if table.chart == "bar" else "line"}
    )
    # ECharts 6's form of containLabel: the axis labels inside the grid's box (no label cut at an edge).
    option["grid"] = {
        "left": 8,
        "right": 16,
        "top": 40 if len(columns) > 1 else 16,
        "bottom": 8,
        "outerBoundsMode": "same",
        "outerBoundsContain": "axisLabel",
    }
    if len(columns) > 1:
        option["legend"] = {"type": "scroll", "top": 0}
    if on_side:
        # First row on top, as in the table; the value axes run along the bottom.
        option["yAxis"] = {**category_axis, "inverse": True}
        option["xAxis"] = value_axes if two_axes else value_axes[0]
    else:
        category_axis["axisLabel"] = {"hideOverlap": True}
        option["xAxis"] = category_axis
        option["yAxis"] = value_axes if two_axes else value_axes[0]
    axis_key = "xAxisIndex" if on_side else "yAxisIndex"
    series = []
    for column, is_rate in zip(columns, percent, strict=True):
        one = {
            "name": str(table.headings[column]),
            "type": table.chart,
            "data": [value(row[column]) for row in table.rows],
            "hallUnit": "%" if is_rate else "",
        }
        if two_axes:
            one[axis_key] = 1 if is_rate else 0
        color = color_of(table, column)
        if color:
            # The bar or the line and its points, and the legend's marker (it follows itemStyle).
            one["itemStyle"] = {"color": color}
            if table.chart == "line":
                one["lineStyle"] = {"color": color}
        if table.chart == "line":
            one["showSymbol"] = len(table.rows) <= MAX_MARKED_POINTS
        else:
            one["barMaxWidth"] = BAR_MAX_WIDTH
            if table.extra.get("stack"):
                one["stack"] = "total"
        series.append(one)
    option["series"] = series
    return option
