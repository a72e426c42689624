from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.catalogue.codes import MaterialSource, MaterialType


class Material(models.Model):
    """An entry of the material dictionary (申请材料), e.g. 身份证, 营业执照.

    A material several items ask for is one entry, so that a bundle asks for it once. When an
    electronic certificate is the same document (免证可办), ``licence_type`` names its type.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    material_type = models.CharField(_("type"), max_length=20, choices=MaterialType.choices)
    source = models.CharField(_("source"), max_length=20, choices=MaterialSource.choices)
    issuing_body = models.CharField(_("issuing body"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    licence_type = models.ForeignKey(
        "licences.LicenceType",
        verbose_name=_("replaceable by certificate type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("The electronic certificate that can stand in for this material (免证可办)."),
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["code"]

    def __str__(self):
        return self.name
