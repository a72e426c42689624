"""Clocks for the worktime tests: one clock at a time (the service starts a filing's clocks together)."""

import datetime as dt

from apps.worktime.services import start_clocks


def start_clock(*, centre, started_on: dt.date, limit_days: int):
    """A new clock (saved), as ``start_clocks`` starts each of a filing's."""
    [clock] = start_clocks(centre=centre, started_on=started_on, limits=[limit_days])
    return clock
