"""Daily roll-ups of the ratings (好差评统计): what the figures read, never the ratings themselves."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """What a roll-up row counts the ratings of."""

    CENTRE = "centre", _("Service centre")
    DEPARTMENT = "department", _("Department")
    WINDOW = "window", _("Window")
    STAFF = "staff", _("Staff member")
    ITEM = "item", _("Item")


class RatingRollup(models.Model):
    """The ratings first given on ``day`` at ``centre``, counted for one ``key`` of one ``dimension``
    (the id of the centre, department, window, staff member or item): for all its departments at once
    (``department`` empty: what a centre's supervisors read), and for each department alone (what a
    department's supervisors read: their share of a window's or a staff member's figures).

    The two sets keep each reader's rows few: a clerk at a comprehensive window (一窗受理) takes the
    items of every department, so a year of one centre's staff figures split by department is nearly
    as many rows as ratings, while the all-departments rows are one per staff member and day.
    Rows are derived and replaced whole, a day at a time (``apps.feedback.rollups``): nothing else
    writes them. The level counts leave out ratings set aside by an upheld appeal (counted in
    ``excluded``); ``bad`` counts the ratings rated 不满意 or 非常不满意, including those rectified and
    re-rated since; ``rectified`` those of them whose ticket a supervisor closed (none still live),
    ``rectified_on_time`` those closed on or before the ticket's due date."""

    day = models.DateField(_("day"))
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    key = models.BigIntegerField(_("key"))
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    level_4 = models.PositiveIntegerField(default=0)
    level_5 = models.PositiveIntegerField(default=0)
    bad = models.PositiveIntegerField(default=0)
    rectified = models.PositiveIntegerField(default=0)
    rectified_on_time = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("rating roll-up")
        verbose_name_plural = _("rating roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "centre", "department", "dimension", "key"], name="rollup_one_per_day_and_key"
            )
        ]
        indexes = [
            # The figures read a centre's all-departments rows (or a department's own) of one dimension
            # over a range of days.
            models.Index(
                fields=["centre", "dimension", "day"],
                condition=models.Q(department__isnull=True),
                name="rollup_centre_dimension",
            ),
            models.Index(fields=["department", "dimension", "day"], name="rollup_department_dimension"),
        ]

    def __str__(self):
        return f"{self.day} · {self.dimension} {self.key}"


class RollupMark(models.Model):
    """How far the roll-ups have been brought: the start of the last refresh that finished. The next
    refresh redoes the days of ratings and tickets changed since (with a margin), and today."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} · {self.at}"
