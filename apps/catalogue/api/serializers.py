from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.accounts.models import Department, ServiceCentre
from apps.audit.input_limits import FREE_TEXT_MAX_LENGTH, text_limit
from apps.catalogue import selectors
from apps.catalogue.codes import ItemKind
from apps.catalogue.models import (
    ApprovalCategory,
    Bundle,
    FaqEntry,
    FeeItem,
    ItemLineage,
    ItemMaterial,
    Material,
    ProcessStep,
    ServiceItem,
)
from apps.licences.models import LicenceType


def maintained(context: dict, field: str, value):
    """``value`` (a department or a centre), if the requesting user is a catalogue admin there."""
    if value is None:
        return value
    user = getattr(context.get("request"), "user", None)  # no request: nobody's centre
    if field == "department":
        allowed = selectors.maintained_departments(user).filter(pk=value.pk).exists()
        centre = value.centre
    else:
        allowed = selectors.maintained_centres(user).filter(pk=value.pk).exists()
        centre = value
    if not allowed:
        raise serializers.ValidationError(
            _("You are not a catalogue admin of %(centre)s: choose one of your own centres.")
            % {"centre": centre}
        )
    return value


class CodeSetSerializerField(serializers.ListField):
    child = serializers.CharField()


class ApprovalCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovalCategory
        fields = ["code", "name", "order"]


class MaterialSerializer(serializers.ModelSerializer):
    licence_type = serializers.SlugRelatedField(
        slug_field="code", queryset=LicenceType.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Material
        fields = [
            "id",
            "code",
            "name",
            "material_type",
            "source",
            "issuing_body",
            "description",
            "licence_type",
        ]


class ItemMaterialSerializer(serializers.ModelSerializer):
    material = serializers.SlugRelatedField(slug_field="code", queryset=Material.objects.all())
    material_name = serializers.CharField(source="material.name", read_only=True)
    replaceable_by = serializers.CharField(
        source="replaceable_by.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = ItemMaterial
        fields = [
            "material",
            "material_name",
            "original_count",
            "copy_count",
            "necessity",
            "form",
            "acceptance_standard",
            "e_certificate_accepted",
            "replaceable_by",
            "note",
        ]


class FeeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeItem
        fields = ["name", "standard", "basis"]


class ProcessStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessStep
        fields = ["name", "description"]


class FaqEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = FaqEntry
        fields = ["question", "answer"]


class ItemListSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    kind = serializers.CharField(source="lineage.kind", read_only=True)
    department = serializers.CharField(source="department.name", default=None, allow_null=True)
    approval_category = serializers.CharField(source="approval_category.code")
    guide_url = serializers.SerializerMethodField()
    serves = CodeSetSerializerField()
    channels = CodeSetSerializerField()

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "version",
            "state",
            "basic_code",
            "implementation_code",
            "item_type",
            "level",
            "department",
            "approval_category",
            "handling_type",
            "legal_limit_days",
            "promised_limit_days",
            "visits_required",
            "serves",
            "channels",
            "guide_url",
        ]

    def get_guide_url(self, item) -> str:
        return reverse("guides:item", args=[item.lineage.code])


class ItemDetailSerializer(ItemListSerializer):
    materials = ItemMaterialSerializer(many=True, read_only=True)
    fees = FeeItemSerializer(many=True, read_only=True)
    steps = ProcessStepSerializer(many=True, read_only=True)
    faqs = FaqEntrySerializer(many=True, read_only=True)
    special_procedures = CodeSetSerializerField()
    result_licence_type = serializers.CharField(
        source="result_licence_type.code", default=None, allow_null=True
    )

    class Meta(ItemListSerializer.Meta):
        fields = ItemListSerializer.Meta.fields + [
            "legal_basis",
            "conditions",
            "limit_note",
            "special_procedures",
            "max_extension_days",
            "requires_second_signoff",
            "is_charged",
            "online_supported",
            "appointment_supported",
            "postal_delivery_supported",
            "result_name",
            "result_licence_type",
            "location",
            "hours",
            "consultation_phone",
            "supervision_phone",
            "change_note",
            "published_at",
            "materials",
            "fees",
            "steps",
            "faqs",
        ]


class ItemWriteSerializer(serializers.ModelSerializer):
    """Creating an item (its first draft) or editing a draft, with its lists, through the services."""

    kind = serializers.ChoiceField(choices=ItemKind.choices, write_only=True, required=False)
    base = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ItemLineage.objects.filter(kind=ItemKind.BASE),
        required=False,
        allow_null=True,
        write_only=True,
    )
    department = serializers.SlugRelatedField(
        slug_field="credit_code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    approval_category = serializers.SlugRelatedField(
        slug_field="code", queryset=ApprovalCategory.objects.all()
    )
    result_licence_type = serializers.SlugRelatedField(
        slug_field="code", queryset=LicenceType.objects.all(), required=False, allow_null=True
    )
    serves = CodeSetSerializerField()
    channels = CodeSetSerializerField()
    special_procedures = CodeSetSerializerField(required=False)
    materials = ItemMaterialSerializer(many=True, required=False)
    fees = FeeItemSerializer(many=True, required=False)
    steps = ProcessStepSerializer(many=True, required=False)
    faqs = FaqEntrySerializer(many=True, required=False)

    class Meta:
        model = ServiceItem
        exclude = [
            "lineage",
            "version",
            "state",
            "name_initials",
            "created_by",
            "published_at",
            "published_by",
            "created_at",
            "result_sample",
        ]

    def validate_department(self, department):
        # The role holds at a centre: an item is created for (or moved to) a department of a centre
        # where the user is a catalogue admin. Base items have no department: any catalogue admin.
        return maintained(self.context, "department", department)

    def validate(self, attrs):
        # Model rules run in the services (full_clean); here only the create-time shape.
        if self.instance is None and not attrs.get("kind"):
            raise serializers.ValidationError(
                {"kind": serializers.ErrorDetail("This field is required.", "required")}
            )
        return attrs


class BundleSerializer(serializers.ModelSerializer):
    items = serializers.SlugRelatedField(
        slug_field="code", queryset=ItemLineage.objects.all(), many=True, source="lineages"
    )
    centre = serializers.PrimaryKeyRelatedField(read_only=True)
    guide_url = serializers.SerializerMethodField()

    class Meta:
        model = Bundle
        fields = [
            "id",
            "code",
            "name",
            "centre",
            "description",
            "promised_limit_days",
            "state",
            "items",
            "guide_url",
        ]
        read_only_fields = ["state"]

    def get_guide_url(self, bundle) -> str:
        return reverse("guides:bundle", args=[bundle.code])


class BundleWriteSerializer(BundleSerializer):
    centre = serializers.PrimaryKeyRelatedField(queryset=ServiceCentre.objects.all())

    def get_fields(self):
        fields = super().get_fields()
        # Another centre's unpublished items are unknown here, as anywhere else: a bundle naming one
        # is refused as naming no item, not told that it exists.
        user = getattr(self.context.get("request"), "user", None)
        fields["items"].child_relation.queryset = selectors.lineages_visible_to(user)
        return fields

    def validate_centre(self, centre):
        return maintained(self.context, "centre", centre)


class ChecklistEntrySerializer(serializers.Serializer):
    material = serializers.CharField(source="material.code")
    material_name = serializers.CharField(source="material.name")
    original_count = serializers.IntegerField()
    copy_count = serializers.IntegerField()
    necessity = serializers.CharField()
    form = serializers.CharField()
    e_certificate_accepted = serializers.BooleanField()
    replaceable_by = serializers.CharField(source="replaceable_by.code", default=None, allow_null=True)
    items = serializers.SerializerMethodField()
    produced_by = serializers.CharField(source="produced_by.code", default=None, allow_null=True)

    def get_items(self, entry) -> list[str]:
        return [item.code for item in entry.items]


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=FREE_TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class NewVersionSerializer(serializers.Serializer):
    change_note = serializers.CharField(
        max_length=text_limit(ServiceItem, "change_note"), required=False, allow_blank=True, default=""
    )
    sync_from_base = serializers.BooleanField(required=False, default=False)
