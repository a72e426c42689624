from django.db import models
from django.utils.translation import gettext_lazy as _


class BundleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Bundle(models.Model):
    """一件事: several items filed together with one material set, one receipt, parallel approval.

    A bundle names item *lineages*: it always offers their currently published versions, so that
    publishing a new version of an item does not require editing every bundle it is in.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(_("pinyin initials"), max_length=200, blank=True, editable=False)
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT
    )
    description = models.TextField(_("description"), blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    state = models.CharField(
        _("state"), max_length=20, choices=BundleState.choices, default=BundleState.DRAFT
    )
    lineages = models.ManyToManyField(
        "catalogue.ItemLineage", through="BundleItem", verbose_name=_("items"), related_name="bundles"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bundle (一件事)")
        verbose_name_plural = _("bundles (一件事)")
        ordering = ["code"]

    def __str__(self):
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="entries")
    lineage = models.ForeignKey("catalogue.ItemLineage", verbose_name=_("item"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("bundle item")
        verbose_name_plural = _("bundle items")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["bundle", "lineage"], name="bundle_item_once")]

    def __str__(self):
        return f"{self.bundle} · {self.lineage}"
