"""Daily roll-ups of the hall's work (办件统计): what the work figures read, never the filings.

The unit is the filed item (办件): one item of one filing, so a bundle (一件事) of three items filed
once counts three, and every figure adds up across departments and items. Each count is of events
on ``day`` (the local date they happened): a window decision, a case decided, a suspension started,
a certificate issued … (``apps.supervision.rollups`` says which date each count reads)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """What a roll-up row counts the work of."""

    CENTRE = "centre", _("Service centre")
    DEPARTMENT = "department", _("Department")
    ITEM = "item", _("Item")  # the key is the item's lineage: all its versions
    WINDOW = "window", _("Window")  # the window that took the filing


# The counted columns, in the order the tables and the exports show them.
COUNTS = (
    # --- the window's decisions on filed items (day: the decision's) ---
    "decided_window",  # decided, filed at a window
    "decided_online",  # decided, filed online (网上申报)
    "decided_assisted",  # decided, filed by an assistant (帮办代办)
    "accepted",  # 受理
    "accepted_with_deficiency",  # 容缺受理
    "returned",  # 一次性告知: returned for completion
    "refused",  # 不予受理
    "withdrawn",  # 撤回 (day: the withdrawal's)
    "first_decisions",  # decisions on filings that are not resubmissions
    "first_time_passed",  # of those, accepted (with or without a deficiency)
    "deficiencies_cleared",  # 容缺 cleared (day: cleared)
    "deficiencies_lapsed",  # 容缺 lapsed (day: lapsed)
    "materials_by_certificate",  # 免证: materials satisfied by an e-certificate (day: the decision's)
    # --- the back office (day: the case's decision) ---
    "cases_decided",
    "cases_approved",
    "cases_denied",
    "cases_on_time",  # decided on or before the due date
    "days_counted",  # decided cases whose working days used are known (the averages' denominator)
    "days_used",  # Σ working days used (the clock's, suspensions left out)
    "days_promised",  # Σ promised limit (承诺时限) of the item
    "days_legal",  # Σ legal limit (法定时限) of the item
    "suspensions_correction",  # 补正 requested (day: the suspension's start)
    "suspensions_special",  # 特别程序 started (day: the suspension's start)
    "extensions",  # 延期 granted (day: approved)
    # --- the unified desk (day: issued / delivered) ---
    "certificates_issued",
    "documents_posted",
    "documents_collected",
)


class WorkRollup(models.Model):
    """The work of ``day`` at ``centre``, counted for one ``key`` of one ``dimension`` (the id of the
    centre, department, item lineage or window): for all departments at once (``department`` empty:
    what a centre's supervisors read) and for each department alone (what a department's supervisors
    read, and a centre's with a department chosen).

    Rows are derived and replaced whole, a day at a time (``apps.supervision.rollups``): nothing else
    writes them."""

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
        # workrollup_department_dim starts with it: an index of its own is one more to write per row,
        # and the planner walked it for the year's item and window breakdowns instead of the right one.
        db_index=False,
    )
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    key = models.BigIntegerField(_("key"))

    decided_window = models.PositiveIntegerField(default=0)
    decided_online = models.PositiveIntegerField(default=0)
    decided_assisted = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    accepted_with_deficiency = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    first_decisions = models.PositiveIntegerField(default=0)
    first_time_passed = models.PositiveIntegerField(default=0)
    deficiencies_cleared = models.PositiveIntegerField(default=0)
    deficiencies_lapsed = models.PositiveIntegerField(default=0)
    materials_by_certificate = models.PositiveIntegerField(default=0)
    cases_decided = models.PositiveIntegerField(default=0)
    cases_approved = models.PositiveIntegerField(default=0)
    cases_denied = models.PositiveIntegerField(default=0)
    cases_on_time = models.PositiveIntegerField(default=0)
    days_counted = models.PositiveIntegerField(default=0)
    days_used = models.PositiveIntegerField(default=0)
    days_promised = models.PositiveIntegerField(default=0)
    days_legal = models.PositiveIntegerField(default=0)
    suspensions_correction = models.PositiveIntegerField(default=0)
    suspensions_special = models.PositiveIntegerField(default=0)
    extensions = models.PositiveIntegerField(default=0)
    certificates_issued = models.PositiveIntegerField(default=0)
    documents_posted = models.PositiveIntegerField(default=0)
    documents_collected = models.PositiveIntegerField(default=0)

    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("work roll-up")
        verbose_name_plural = _("work roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "centre", "department", "dimension", "key"], name="workrollup_one_per_day_key"
            )
        ]
        indexes = [
            # The figures read a centre's all-departments rows (or one department's) of one dimension
            # over a range of days.
            models.Index(
                fields=["centre", "dimension", "day"],
                condition=models.Q(department__isnull=True),
                name="workrollup_centre_dimension",
            ),
            models.Index(fields=["department", "dimension", "day"], name="workrollup_department_dim"),
        ]

    def __str__(self):
        return f"{self.day} · {self.dimension} {self.key}"


class RefreshMark(models.Model):
    """How far a derived table has been brought: the start of the last refresh that finished (one
    row per ``name``: the work roll-ups, the anomaly scan). The next refresh redoes what changed since,
    with a margin."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} · {self.at}"
