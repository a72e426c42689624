"""The window evaluation pad (评价器): a tablet bound to one window."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationPad(models.Model):
    """A tablet at a window, on which the applicant rates the act just finished at that window.

    The tablet is not a person's login: it holds a device key (in a cookie) whose keyed hash is
    stored here. It shows only the act just finished at its own window, and nothing personal once
    that act is a minute old. Paired by a supervisor of the centre; revoked when the tablet is lost."""

    window = models.ForeignKey(
        "accounts.Window", verbose_name=_("window"), on_delete=models.PROTECT, related_name="evaluation_pads"
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    paired_at = models.DateTimeField(_("paired at"))
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paired by"), on_delete=models.PROTECT, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation pad")
        verbose_name_plural = _("evaluation pads")
        ordering = ["window", "pk"]

    def __str__(self):
        return f"{self.window} · {self.name or self.pk}"
