"""Where people are served: a centre's service areas (服务区) and the hours the hall is open."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceArea(models.Model):
    """A service area of a centre's hall: one approval category (后台分类: 市场准入, 投资建设, 社会事务 …)
    served at the comprehensive windows assigned to it. Its letter prefixes its tickets (A001)."""

    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "catalogue.ApprovalCategory",
        verbose_name=_("approval category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    prefix = models.CharField(
        _("ticket prefix"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("A ticket prefix is one capital letter A–Z."))],
    )
    # 每个时段可预约人数: how many appointments one slot of this area takes.
    slot_capacity = models.PositiveSmallIntegerField(_("appointments per slot"), default=4)
    windows = models.ManyToManyField(
        "accounts.Window", verbose_name=_("windows"), related_name="service_areas", blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        ordering = ["centre", "order", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "category"], name="area_category_once_per_centre"),
            models.UniqueConstraint(fields=["centre", "prefix"], name="area_prefix_once_per_centre"),
        ]

    def __str__(self):
        return f"{self.prefix} · {self.category}"


class OpeningPeriod(models.Model):
    """A period the hall is open on each of its working days (e.g. 09:00–12:00 and 13:30–17:00);
    which days are working days is the centre's calendar (apps.worktime)."""

    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.TimeField(_("opens at"))
    ends_at = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering = ["centre", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="opening_period_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
