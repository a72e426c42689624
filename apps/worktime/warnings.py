"""Warning levels of a clock (黄牌 / 红牌 / 逾期), from its stored dates and a day.

One definition for the display and the queues' filters (and, later, the sweep that stores the level):
normal before ``yellow_on``; yellow from it; red from ``red_on``; overdue after ``due_on``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningLevel(models.TextChoices):
    NORMAL = "normal", _("On time")
    YELLOW = "yellow", _("Yellow warning")  # 黄牌
    RED = "red", _("Red warning")  # 红牌
    OVERDUE = "overdue", _("Overdue")  # 逾期


def level_of(*, due_on: dt.date, yellow_on: dt.date, red_on: dt.date, on: dt.date) -> str:
    if on > due_on:
        return WarningLevel.OVERDUE
    if on >= red_on:
        return WarningLevel.RED
    if on >= yellow_on:
        return WarningLevel.YELLOW
    return WarningLevel.NORMAL


def level_filter(prefix: str, level: str, on: dt.date) -> models.Q:
    """A WHERE clause selecting one level (index-friendly ranges rather than the CASE above)."""
    if level == WarningLevel.OVERDUE:
        return models.Q(**{f"{prefix}due_on__lt": on})
    if level == WarningLevel.RED:
        return models.Q(**{f"{prefix}red_on__lte": on, f"{prefix}due_on__gte": on})
    if level == WarningLevel.YELLOW:
        return models.Q(**{f"{prefix}yellow_on__lte": on, f"{prefix}red_on__gt": on})
    return models.Q(**{f"{prefix}yellow_on__gt": on})
