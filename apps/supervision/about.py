"""What a supervision download says about itself: the lines of its "About" sheet (``tables.workbook``'s
``about``). A workbook is read weeks later, or forwarded to someone who never saw the page: it names
the department it was cut to, the filters it was made with, and when it was made."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from apps.accounts.models import Department


def about(department_id: int | None, *filters: tuple[str, object], now: dt.datetime | None = None):
    """The department (or all those in the reader's scope), the download's own ``filters`` as
    (label, value) lines, then when it was generated (local time)."""
    department = (
        Department.objects.filter(pk=department_id).values_list("name", flat=True).first()
        if department_id is not None
        else None
    )
    return [
        (gettext("Department"), department or gettext("All departments")),
        *filters,
        (gettext("Generated at"), timezone.localtime(now or timezone.now())),
    ]
