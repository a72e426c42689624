"""The statutory calendar from ``chinese_calendar`` (2004–2026): seeded by migration 0002, and again
after every ``migrate`` or ``flush`` (transactional tests flush the database), never duplicating."""


def seed_statutory_calendar(apps, using: str = "default") -> int:
    """Create the years and days chinese_calendar knows that the table lacks; returns years added."""
    import chinese_calendar
    from chinese_calendar import constants

    from apps.worktime.codes import HOLIDAY_NAMES

    CalendarYear = apps.get_model("worktime", "CalendarYear")
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    CalendarVersion = apps.get_model("worktime", "CalendarVersion")
    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    existing = set(CalendarYear.objects.using(using).values_list("year", flat=True))
    missing = [y for y in years if y not in existing]
    if not missing:
        return 0
    notice = f"chinese_calendar {getattr(chinese_calendar, '__version__', '')}".strip()
    CalendarYear.objects.using(using).bulk_create(CalendarYear(year=y, notice=notice) for y in missing)
    rows = [
        CalendarDay(date=d, kind="holiday", name=HOLIDAY_NAMES.get(name, name), source="statutory")
        for d, name in constants.holidays.items()
        if d.year in missing
    ] + [
        CalendarDay(
            date=d, kind="workday", name=HOLIDAY_NAMES.get(name, name) + "调休上班", source="statutory"
        )
        for d, name in constants.workdays.items()
        if d.year in missing
    ]
    CalendarDay.objects.using(using).bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if not CalendarVersion.objects.using(using).filter(pk=1).exists():
        CalendarVersion.objects.using(using).create(pk=1, value=1)
    return len(missing)
