"""The hall's own screens: ticket kiosks (取号机) and hall displays (大屏)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.visits.models.codes import DeviceKind


class HallDevice(models.Model):
    """A kiosk or a display of one centre. Like a window's evaluation pad, it is a device, not a
    person's login: a supervisor pairs it with a one-time code and the device keeps a random key in
    an HttpOnly cookie; only keyed hashes are stored (``key_hash`` holds the code's until the device
    claims it, then the key's)."""

    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DeviceKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    paired_at = models.DateTimeField(_("paired at"))
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paired by"), on_delete=models.PROTECT, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hall device")
        verbose_name_plural = _("hall devices")
        ordering = ["centre", "kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name or self.pk}"
