"""The demo's clock: seeding through the services as if at an earlier moment.

The services ask ``timezone.now`` (directly, for ``auto_now_add`` and through ``localdate``); inside
``on(moment)`` it answers ``moment``. Only the demo does this: a hall's history is made by its days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


@contextmanager
def on(moment: dt.datetime) -> Iterator[None]:
    """Run the services as at ``moment`` until the block ends."""
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour``:``minute``, the hall's local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
