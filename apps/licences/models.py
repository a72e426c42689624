from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LicenceType(models.Model):
    """A kind of certificate or licence (证照类型), e.g. 营业执照, 食品经营许可证.

    Catalogue items name the type they produce, and materials name the type that can stand in for
    them (免证可办). The certificates each holder holds are added by the certificate desk.
    """

    code = models.CharField(
        _("type code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9A-Z]+$", _("A certificate type code uses digits and capital letters."))
        ],
        help_text=_("The certificate type code of GB/T 36903, used in electronic certificate identifiers."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")
        ordering = ["name"]

    def __str__(self):
        return self.name
