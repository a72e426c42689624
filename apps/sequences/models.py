from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """The last number handed out in one series (filing numbers of a centre and day, notice numbers of
    a kind, centre and year, certificate numbers of a type and year …)."""

    series = models.CharField(_("series"), max_length=150, unique=True)
    value = models.PositiveBigIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self):
        return f"{self.series}: {self.value}"
