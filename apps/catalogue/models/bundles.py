from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class BundleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Bundle(FSMModelMixin, models.Model):
    """一件事: several items filed together with one material set, one receipt, parallel approval.

    A bundle names item *lineages*: it always offers their currently published versions, so that
    publishing a new version of an item does not require editing every bundle it is in.

    Its state is a protected graph, as an item version's: draft → published → retired, or a draft
    retired unpublished; retired is final, as for an item (offering it again is a new bundle). The
    services publish and retire (``catalogue.services``); the import moves states along the same
    edges (``catalogue.transfer``)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(_("pinyin initials"), max_length=200, blank=True, editable=False)
    centre = models.ForeignKey(
        "accounts.ServiceCentre", verbose_name=_("service centre"), on_delete=models.PROTECT
    )
    description = models.TextField(_("description"), blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    state = FSMField(
        _("state"), max_length=20, choices=BundleState.choices, default=BundleState.DRAFT, protected=True
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

    # The bundle rules (``rules.bundle_problems``) are checked by the service before it publishes:
    # they list every problem at once, which a condition cannot.
    @transition(field=state, source=BundleState.DRAFT, target=BundleState.PUBLISHED)
    def publish(self):
        pass

    @transition(field=state, source=[BundleState.DRAFT, BundleState.PUBLISHED], target=BundleState.RETIRED)
    def retire(self):
        pass

    @classmethod
    def transition_between(cls, source: str, target: str) -> str | None:
        """The name of the transition from ``source`` to ``target``, if the graph has one (the import
        checks a state change in a file against it)."""
        field = cls._meta.get_field("state")
        for transition_ in field.get_all_transitions(cls):
            if transition_.source in (source, "*") and transition_.target == target:
                return transition_.name
        return None


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
