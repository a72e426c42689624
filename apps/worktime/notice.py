"""Reading a year's schedule as the State Council's notice states it, one line per holiday:

    元旦 放假 2027-01-01 至 2027-01-03
    春节 放假 2027-02-06 至 2027-02-13
    春节 上班 2027-02-14, 2027-02-20

``放假`` (off) takes a date or a range (至 / - / ~ between); ``上班`` (make-up working days) takes
dates separated by commas or 、. ``off`` / ``work`` work too. Blank lines and lines starting with #
are ignored. Errors name the line.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.worktime.services import HolidayRange, MakeUpDay

OFF = {"放假", "休", "off"}
WORK = {"上班", "班", "work"}
DATE = r"\d{4}-\d{1,2}-\d{1,2}"


def _date(text: str) -> dt.date:
    year, month, day = (int(part) for part in text.split("-"))
    return dt.date(year, month, day)


def parse_notice(text: str) -> tuple[list[HolidayRange], list[MakeUpDay]]:
    holidays, workdays, errors = [], [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 3 or parts[1].lower() not in OFF | WORK:
            errors.append(
                _("Line %(n)s: write “name 放假 date [至 date]” or “name 上班 date, date”.") % {"n": number}
            )
            continue
        name, verb, rest = parts[0], parts[1].lower(), parts[2]
        try:
            if verb in OFF:
                match = re.fullmatch(rf"({DATE})(?:\s*(?:至|-|~|到|–)\s*({DATE}))?", rest.strip())
                if not match:
                    raise ValueError
                first = _date(match.group(1))
                holidays.append(HolidayRange(name, first, _date(match.group(2)) if match.group(2) else first))
            else:
                dates = [d for d in re.split(r"[,，、\s]+", rest.strip()) if d]
                if not dates or not all(re.fullmatch(DATE, d) for d in dates):
                    raise ValueError
                workdays.extend(MakeUpDay(name, _date(d)) for d in dates)
        except ValueError:
            errors.append(_("Line %(n)s: dates are written 2027-01-01.") % {"n": number})
    if errors:
        raise ValidationError(errors)
    return holidays, workdays
