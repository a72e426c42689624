"""Service items (政务服务事项) and their versions.

``ItemLineage`` is an item's stable identity: base-catalogue entry (基本目录) or a centre's
implementation (实施清单) of one. ``ServiceItem`` is one *version* of it with every standard element
of GB/T 39046; versions move draft → in review → published → superseded / retired, and filings
pin the version they were filed under. Editing a published item means creating a new draft version
(see ``apps.catalogue.services.start_new_version``).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from apps.audit.transitions import refuses
from apps.catalogue import rules
from apps.catalogue.codes import (
    OPEN_STATES,
    Channel,
    ExerciseLevel,
    HandlingType,
    ItemKind,
    ItemState,
    ItemType,
    MaterialForm,
    Necessity,
    ServiceObject,
    SpecialProcedure,
    Visits,
)
from apps.catalogue.fields import CodeSetField
from apps.uploads.validation import validate_document

basic_code_validator = RegexValidator(
    r"^\d{11}[\dY]$",
    _("A basic code has 12 characters: 11 digits, then a digit or Y (a main item with sub-items)."),
    code="basic_code_format",
)
implementation_code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{18}[1-7]\d{11}[\dY]$",
    _("An implementation code has 31 characters: credit code (18), level digit (1), basic code (12)."),
    code="implementation_code_format",
)
phone_validator = RegexValidator(r"^[0-9\-+() ]{5,30}$", _("A phone number uses digits, spaces, - + ( )."))


def four_eyes_applies(item) -> bool:
    """Whether publishing this version needs a second person (四眼原则): the implementing centre's
    setting (``ServiceCentre.four_eyes_publishing``, on unless an admin turned it off for a
    one-person county office); the base catalogue, which no one centre owns, always needs it."""
    centre = item.lineage.centre
    return centre is None or centre.four_eyes_publishing


def submitted_by_id(item) -> int | None:
    """Who last submitted this version for review, from the transition log (the record of it)."""
    from django.contrib.contenttypes.models import ContentType

    from apps.audit.models import TransitionLog

    return (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(type(item)),
            object_id=str(item.pk),
            transition="submit_for_review",
        )
        .order_by("-at", "-pk")
        .values_list("actor_id", flat=True)
        .first()
    )


@refuses(
    _(
        "Four eyes: you submitted this version for review, so another catalogue admin publishes it "
        "(this service centre requires a second person)."
    )
)
def _not_the_submitter(item, user) -> bool:
    """Who submits a version for review does not publish it too, where the centre requires four eyes."""
    return not four_eyes_applies(item) or submitted_by_id(item) != getattr(user, "pk", None)


class ItemLineage(models.Model):
    """The identity all versions of one item share: its code, kind, centre and base item."""

    code = models.CharField(
        _("code"),
        max_length=31,
        help_text=_("Basic code for a base item, implementation code for an implementation."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    centre = models.ForeignKey(
        "accounts.ServiceCentre",
        verbose_name=_("service centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    base = models.ForeignKey(
        "self",
        verbose_name=_("base item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementations",
        limit_choices_to={"kind": ItemKind.BASE},
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("item lineage")
        verbose_name_plural = _("item lineages")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="lineage_unique_code"),
            models.CheckConstraint(
                condition=models.Q(kind=ItemKind.BASE, centre__isnull=True, base__isnull=True)
                | models.Q(kind=ItemKind.IMPLEMENTATION, centre__isnull=False),
                name="lineage_kind_shape",
            ),
        ]

    def __str__(self):
        return self.code


class ServiceItem(FSMModelMixin, models.Model):
    """One version of a service item with every standard element (GB/T 39046-2020)."""

    lineage = models.ForeignKey(
        ItemLineage, verbose_name=_("item lineage"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    state = FSMField(_("state"), default=ItemState.DRAFT, choices=ItemState.choices, protected=True)

    # --- identity ---
    name = models.CharField(_("item name"), max_length=200)
    name_initials = models.CharField(_("pinyin initials"), max_length=200, blank=True, editable=False)
    basic_code = models.CharField(_("basic code"), max_length=12, validators=[basic_code_validator])
    implementation_code = models.CharField(
        _("implementation code"), max_length=31, blank=True, validators=[implementation_code_validator]
    )
    item_type = models.CharField(_("item type"), max_length=2, choices=ItemType.choices)
    level = models.CharField(_("exercise level"), max_length=1, choices=ExerciseLevel.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("implementing department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    approval_category = models.ForeignKey(
        "catalogue.ApprovalCategory",
        verbose_name=_("approval category"),
        on_delete=models.PROTECT,
        related_name="items",
    )

    # --- law, conditions, process ---
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("acceptance conditions"))

    # --- time limits, in working days ---
    legal_limit_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_limit_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    limit_note = models.CharField(_("time limit note"), max_length=500, blank=True)
    handling_type = models.CharField(_("handling type"), max_length=1, choices=HandlingType.choices)
    special_procedures = CodeSetField(
        _("special procedures that stop the clock"), choices_enum=SpecialProcedure, max_length=300
    )
    max_extension_days = models.PositiveSmallIntegerField(
        _("extension allowance (working days)"),
        default=0,
        validators=[MaxValueValidator(60)],
        help_text=_("How many working days an approved extension (延长审批) may add."),
    )
    requires_second_signoff = models.BooleanField(
        _("decision needs a second sign-off"),
        default=False,
        help_text=_("A decision-maker signs the decision off."),
    )

    # --- fees, audience, channels ---
    is_charged = models.BooleanField(_("charged"), default=False)
    serves = CodeSetField(_("service objects"), choices_enum=ServiceObject, blank=False)
    channels = CodeSetField(_("channels"), choices_enum=Channel, blank=False)
    visits_required = models.PositiveSmallIntegerField(_("visits required"), choices=Visits.choices)
    online_supported = models.BooleanField(_("online filing"), default=False)
    appointment_supported = models.BooleanField(_("appointments"), default=False)
    postal_delivery_supported = models.BooleanField(_("postal delivery of results"), default=False)

    # --- result ---
    result_name = models.CharField(_("result name"), max_length=200)
    result_licence_type = models.ForeignKey(
        "licences.LicenceType",
        verbose_name=_("result certificate type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    result_sample = models.FileField(
        _("result sample"), upload_to="catalogue/results/", blank=True, validators=[validate_document]
    )

    # --- local elements (an implementation may set these; everything above is standard) ---
    location = models.CharField(_("location"), max_length=200, blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    consultation_phone = models.CharField(
        _("consultation phone"), max_length=30, blank=True, validators=[phone_validator]
    )
    supervision_phone = models.CharField(
        _("supervision phone"), max_length=30, blank=True, validators=[phone_validator]
    )

    # --- bookkeeping ---
    change_note = models.CharField(_("change note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["basic_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="item_unique_version"),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=models.Q(state=ItemState.PUBLISHED),
                name="item_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["lineage"], condition=models.Q(state__in=OPEN_STATES), name="item_one_open_draft"
            ),
            models.CheckConstraint(
                condition=models.Q(promised_limit_days__lte=models.F("legal_limit_days")),
                name="item_promised_within_legal",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "basic_code"], name="item_state_code"),
            models.Index(fields=["state", "approval_category"], name="item_state_category"),
        ]
        permissions = [
            ("publish_serviceitem", _("Can publish and retire service items")),
            ("import_catalogue", _("Can import and export the catalogue")),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def clean(self):
        rules.check_item(self)

    @property
    def code(self) -> str:
        return self.implementation_code or self.basic_code

    @property
    def serves_labels(self) -> list[str]:
        return self._meta.get_field("serves").labels(self.serves)

    @property
    def channel_labels(self) -> list[str]:
        return self._meta.get_field("channels").labels(self.channels)

    @property
    def special_procedure_labels(self) -> list[str]:
        return self._meta.get_field("special_procedures").labels(self.special_procedures)

    @property
    def is_immediate(self) -> bool:
        return self.handling_type == HandlingType.IMMEDIATE

    # --- the version state graph (called only from apps.catalogue.services) ---
    @transition(field=state, source=ItemState.DRAFT, target=ItemState.IN_REVIEW)
    def submit_for_review(self):
        pass

    @transition(field=state, source=ItemState.IN_REVIEW, target=ItemState.DRAFT)
    def return_to_draft(self):
        pass

    @transition(
        field=state, source=ItemState.IN_REVIEW, target=ItemState.PUBLISHED, permission=_not_the_submitter
    )
    def publish(self):
        pass

    @transition(field=state, source=ItemState.PUBLISHED, target=ItemState.SUPERSEDED)
    def supersede(self):
        pass

    @transition(field=state, source=ItemState.PUBLISHED, target=ItemState.RETIRED)
    def retire(self):
        pass


class ItemMaterial(models.Model):
    """What an item asks of one material of the dictionary."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey("catalogue.Material", verbose_name=_("material"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    original_count = models.PositiveSmallIntegerField(_("originals"), default=0)
    copy_count = models.PositiveSmallIntegerField(_("copies"), default=0)
    necessity = models.CharField(_("necessity"), max_length=20, choices=Necessity.choices)
    form = models.CharField(_("form"), max_length=20, choices=MaterialForm.choices)
    acceptance_standard = models.TextField(_("acceptance standard"), blank=True)
    e_certificate_accepted = models.BooleanField(
        _("electronic certificate accepted"),
        default=True,
        help_text=_(
            "When the material has a certificate type, a valid e-certificate replaces it (免证可办)."
        ),
    )
    blank_form = models.FileField(
        _("blank form"), upload_to="catalogue/forms/", blank=True, validators=[validate_document]
    )
    sample = models.FileField(
        _("filled-in sample"), upload_to="catalogue/samples/", blank=True, validators=[validate_document]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "material"], name="item_material_once")]

    def __str__(self):
        return str(self.material)

    @property
    def replaceable_by(self):
        """The e-certificate type that satisfies this requirement without paper (免证可办), if any."""
        return self.material.licence_type if self.e_certificate_accepted else None


class FeeItem(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("fee"), max_length=200)
    standard = models.CharField(_("standard"), max_length=500)
    basis = models.TextField(_("basis"))

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class ProcessStep(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("step"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class FaqEntry(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="faqs")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.question
