"""The working-day calendar and the case clock.

The calendar stores only the dates that differ from the Monday–Friday rule: statutory holidays and
make-up working days (调休) from the State Council's yearly notice, and a centre's own closures. A year
is *known* once its ``CalendarYear`` row exists (2004–2026 are seeded from ``chinese_calendar``);
arithmetic over an unknown year falls back to Monday–Friday and is flagged provisional.

A ``Clock`` counts a promised time limit in working days from the day a case starts. Its due date
and warning dates are stored as columns so that sweeps are plain SQL; they are recomputed when the
clock changes (suspension, extension) or the calendar does.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.worktime.codes import DayKind, DaySource, SpecialProcedure, SuspensionKind


class CalendarYear(models.Model):
    """A year whose holidays and make-up days have been entered (from the State Council's notice)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2004), MaxValueValidator(2100)]
    )
    notice = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 国办发明电〔2025〕7号, or the package the year was seeded from."),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A date that differs from the Monday–Friday rule, nationally or (closures) for one centre."""

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=20, choices=DaySource.choices)
    centre = models.ForeignKey(
        "accounts.ServiceCentre",
        verbose_name=_("service centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Only for a local closure: the centre that is closed."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(centre__isnull=True), name="calendar_one_national_entry"
            ),
            models.UniqueConstraint(fields=["date", "centre"], name="calendar_one_entry_per_centre"),
            models.CheckConstraint(
                condition=models.Q(kind=DayKind.CLOSURE, centre__isnull=False)
                | (~models.Q(kind=DayKind.CLOSURE) & models.Q(centre__isnull=True)),
                name="calendar_closures_are_local",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.name} ({self.get_kind_display()})"


class CalendarVersion(models.Model):
    """One row whose counter moves on every calendar change: processes compare it to reload."""

    value = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Named where the audit log's lists show the kinds of object a transition was logged for.
        verbose_name = _("calendar version")
        verbose_name_plural = _("calendar versions")

    def __str__(self):
        return f"v{self.value}"


class WarningPolicy(models.Model):
    """When a centre's cases turn yellow and red (黄牌 / 红牌): working days before the due date."""

    centre = models.OneToOneField(
        "accounts.ServiceCentre",
        verbose_name=_("service centre"),
        on_delete=models.CASCADE,
        related_name="warning_policy",
    )
    yellow_working_days = models.PositiveSmallIntegerField(
        _("yellow warning (working days before due)"), default=2, validators=[MaxValueValidator(30)]
    )
    red_working_days = models.PositiveSmallIntegerField(
        _("red warning (working days before due)"),
        default=0,
        validators=[MaxValueValidator(30)],
        help_text=_("0 = on the due date."),
    )

    class Meta:
        verbose_name = _("warning policy")
        verbose_name_plural = _("warning policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(yellow_working_days__gte=models.F("red_working_days")),
                name="policy_yellow_before_red",
            )
        ]

    def __str__(self):
        return str(self.centre)


class Clock(models.Model):
    """A time limit in working days, started on a date, for one centre's calendar.

    ``due_on`` is the ``limit + extensions + suspended`` -th working day after ``started_on`` (see
    ``apps.worktime.calendar`` for the counting rule); ``yellow_on`` and ``red_on`` are that many
    working days before it. While a suspension is open (``suspended_since``) the dates stand still.
    """

    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))
    extension_days = models.PositiveSmallIntegerField(_("extended by (working days)"), default=0)
    suspended_days = models.PositiveSmallIntegerField(_("suspended (working days)"), default=0)
    suspended_since = models.DateField(_("suspended since"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    yellow_on = models.DateField(_("yellow warning on"))
    red_on = models.DateField(_("red warning on"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("The dates cross a year whose calendar is not entered yet (counted Monday–Friday)."),
    )
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    # Working days used when it stopped: those from the start to the stop, less the suspended ones
    # (the supervisors' average time taken reads it; the calendar is not reachable from SQL).
    used_days = models.PositiveSmallIntegerField(_("working days used"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        indexes = [
            # Open clocks by date: the recompute after a calendar edit and the warning sweeps.
            models.Index(
                fields=["due_on"], condition=models.Q(stopped_on__isnull=True), name="clock_open_due"
            ),
            # The recompute's UPDATE joins on (centre, start): SQLite needs it, or it scans per row.
            models.Index(
                fields=["centre", "started_on"],
                condition=models.Q(stopped_on__isnull=True),
                name="clock_open_start",
            ),
            models.Index(
                fields=["provisional"],
                condition=models.Q(stopped_on__isnull=True, provisional=True),
                name="clock_open_provisional",
            ),
        ]

    def __str__(self):
        return f"{self.started_on} + {self.limit_days} → {self.due_on}"

    @property
    def counted_days(self) -> int:
        return self.limit_days + self.extension_days + self.suspended_days


class Suspension(models.Model):
    """One pause of a clock (the suspension ledger): a correction request or a special procedure.

    It stops the working days from ``started_on`` up to, not including, ``ended_on`` (the day the
    clock runs again); ``working_days`` is that count, filled when it ends.
    """

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(_("kind"), max_length=30, choices=SuspensionKind.choices)
    procedure = models.CharField(
        _("special procedure"), max_length=30, choices=SpecialProcedure.choices, blank=True
    )
    started_on = models.DateField(_("from"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days stopped"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("resumed by"),
    )

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["started_on", "pk"]
        # The work roll-ups read a day's suspensions started (apps.supervision.rollups).
        indexes = [models.Index(fields=["started_on"], name="suspension_started_on")]
        constraints = [
            models.UniqueConstraint(
                fields=["clock"],
                condition=models.Q(ended_on__isnull=True),
                name="suspension_one_open_per_clock",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="suspension_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class Extension(models.Model):
    """延长审批: working days added to a clock, approved by a decision-maker."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("working days added"), validators=[MinValueValidator(1)])
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["approved_at", "pk"]
        # The work roll-ups read a day's extensions (apps.supervision.rollups).
        indexes = [models.Index(fields=["approved_at"], name="extension_approved_at")]

    def __str__(self):
        return f"+{self.days}"
