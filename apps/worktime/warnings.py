"""Warning levels of a clock (黄牌 / 红牌 / 逾期), from its stored dates and a day.

One definition, in Python here and in SQL in ``apps.cases.sweeps`` (which stores each open case's level):
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
