from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.identifiers import normalise_resident_id
from apps.audit.input_limits import FREE_TEXT_MAX_LENGTH, MAX_ID, text_limit
from apps.cases.applicants import ApplicantData
from apps.cases.citizen_view import NextAction
from apps.cases.codes import SATISFIED, ApplicantKind, MaterialStatus
from apps.cases.models import Case, ChecklistEntry, Filing, MaterialUpload
from apps.catalogue.models import Bundle, Material, ServiceItem


class UploadSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = MaterialUpload
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "url"]

    def get_url(self, upload) -> str:
        return reverse("filing-upload", args=[upload.entry.filing_id, upload.pk])


class FilingChecklistEntrySerializer(serializers.ModelSerializer):
    material = serializers.CharField(source="material.code")
    material_name = serializers.CharField(source="material.name")
    replaceable_by = serializers.CharField(source="replaceable_by.code", default=None, allow_null=True)
    produced_by = serializers.CharField(source="produced_by.name", default=None, allow_null=True)
    uploads = UploadSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistEntry
        fields = [
            "material",
            "material_name",
            "original_count",
            "copy_count",
            "necessity",
            "replaceable_by",
            "produced_by",
            "status",
            "note",
            "certificate_reference",
            "uploads",
        ]


class FilingCorrectionSerializer(serializers.Serializer):
    """A correction request as the applicant sees it (补正告知): what to correct, and whether answered."""

    id = serializers.IntegerField()
    items = serializers.JSONField()
    note = serializers.CharField()
    requested_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer_url = serializers.SerializerMethodField()

    def get_answer_url(self, correction) -> str:
        return reverse("filing-answer-correction", args=[self.context["filing_id"], correction.pk])


class CaseSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.name")
    department = serializers.CharField(source="department.name")
    due_on = serializers.DateField(source="clock.due_on")
    provisional = serializers.BooleanField(source="clock.provisional")
    corrections = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "item", "department", "state", "due_on", "provisional", "corrections"]

    @extend_schema_field(FilingCorrectionSerializer(many=True))
    def get_corrections(self, case) -> list[dict]:
        return FilingCorrectionSerializer(
            case.corrections.all(), many=True, context={"filing_id": case.filing_id}
        ).data


class FilingListSerializer(serializers.ModelSerializer):
    applicant_id_number = serializers.CharField(source="masked_id_number")
    window = serializers.CharField(source="window.number", default=None, allow_null=True)
    # ``?mine``: the citizen's filings sorted by what needs doing first (``citizen_view.my_hall``).
    next_action = serializers.SerializerMethodField(
        help_text="With ?mine: what the applicant must do next (empty: nothing); null otherwise."
    )
    action_due_on = serializers.SerializerMethodField(
        help_text="With ?mine: the date the next action is due by, if it has one."
    )
    due_on = serializers.SerializerMethodField(help_text="With ?mine: the promised completion date.")

    class Meta:
        model = Filing
        fields = [
            "id",
            "number",
            "state",
            "channel",
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "window",
            "created_at",
            "submitted_at",
            "accepted_on",
            "next_action",
            "action_due_on",
            "due_on",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=NextAction.choices, allow_null=True))
    def get_next_action(self, filing) -> str | None:
        return getattr(filing, "next_action", None)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_action_due_on(self, filing):
        return getattr(filing, "action_due_on", None)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_due_on(self, filing):
        return getattr(filing, "due_on", None)


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, notice) -> str:
        return reverse("filing-notice", args=[notice.filing_id, notice.pk])


class FilingItemSerializer(serializers.Serializer):
    """An item the filing is for, in the version it was filed under."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    version = serializers.IntegerField()


class FilingDetailSerializer(FilingListSerializer):
    items = serializers.SerializerMethodField()
    notices = NoticeSerializer(many=True, read_only=True)
    checklist = FilingChecklistEntrySerializer(many=True, read_only=True)
    cases = CaseSerializer(many=True, read_only=True)
    tracking_url = serializers.SerializerMethodField()

    class Meta(FilingListSerializer.Meta):
        fields = FilingListSerializer.Meta.fields + [
            "bundle",
            "items",
            "checklist",
            "cases",
            "commitment_date",
            "decision_reasons",
            "decision_legal_basis",
            "completion_list",
            "tracking_url",
            "notices",
            "declared_at",
            "resubmission_of",
        ]

    @extend_schema_field(FilingItemSerializer(many=True))
    def get_items(self, filing) -> list[dict]:
        return [
            {
                "id": f.item_id,
                "name": f.item.name,
                "code": f.item.implementation_code,
                "version": f.item.version,
            }
            for f in filing.items.all()
        ]

    def get_tracking_url(self, filing) -> str:
        return f"/track/{filing.tracking_token}/"


class FilingCreateSerializer(serializers.Serializer):
    items = serializers.PrimaryKeyRelatedField(queryset=ServiceItem.objects.all(), many=True, required=False)
    bundle = serializers.SlugRelatedField(
        slug_field="code", queryset=Bundle.objects.all(), required=False, allow_null=True
    )
    centre = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="For an online filing: the centre filed at."
    )
    window = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="For a clerk: one of their own windows (default: their usual window).",
    )
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=text_limit(Filing, "applicant_name"))
    # An identity number is checked (and normalised) by the service; the length only keeps it sane.
    applicant_id_number = serializers.CharField(max_length=text_limit(Filing, "applicant_id_number"))
    applicant_phone = serializers.CharField(
        max_length=text_limit(Filing, "applicant_phone"), required=False, allow_blank=True, default=""
    )
    legal_representative = serializers.CharField(
        max_length=text_limit(Filing, "legal_representative"),
        required=False,
        allow_blank=True,
        default="",
    )
    contact_name = serializers.CharField(
        max_length=text_limit(Filing, "contact_name"), required=False, allow_blank=True, default=""
    )
    contact_phone = serializers.CharField(
        max_length=text_limit(Filing, "contact_phone"), required=False, allow_blank=True, default=""
    )
    agent_name = serializers.CharField(
        max_length=text_limit(Filing, "agent_name"), required=False, allow_blank=True, default=""
    )
    agent_id_number = serializers.CharField(
        max_length=text_limit(Filing, "agent_id_number"), required=False, allow_blank=True, default=""
    )
    agent_phone = serializers.CharField(
        max_length=text_limit(Filing, "agent_phone"), required=False, allow_blank=True, default=""
    )

    def applicant(self) -> ApplicantData:
        """The applicant as sent (the service checks and normalises it): its fields are named as the
        filing's columns, which ``ApplicantData.from_mapping`` reads."""
        return ApplicantData.from_mapping(self.validated_data)


class WindowFilingCreateSerializer(FilingCreateSerializer):
    """A clerk's new filing at the window: as any, and the returned filing it answers, if any."""

    resubmission_of = serializers.PrimaryKeyRelatedField(
        queryset=Filing.objects.only("pk"),
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of the filing returned for completion (一次性告知) that this one answers — of "
        "the same centre and applicant, not resubmitted yet.",
    )


class RecordMaterialSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MaterialStatus.choices)
    note = serializers.CharField(
        max_length=text_limit(ChecklistEntry, "note"), required=False, allow_blank=True, default=""
    )
    certificate_reference = serializers.CharField(
        max_length=text_limit(ChecklistEntry, "certificate_reference"),
        required=False,
        allow_blank=True,
        default="",
    )


class MaterialRecordSerializer(RecordMaterialSerializer):
    material = serializers.CharField(max_length=text_limit(Material, "code"), help_text="Material code.")


class RecordMaterialsSerializer(serializers.Serializer):
    materials = MaterialRecordSerializer(many=True, allow_empty=False)


class ReleaseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=FREE_TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class UploadCreateSerializer(serializers.Serializer):
    file = serializers.FileField()


class AcceptSerializer(serializers.Serializer):
    """受理, with the checklist as the clerk completed it recorded in the decision's own transaction
    (optional: what was recorded before counts too)."""

    materials = MaterialRecordSerializer(many=True, required=False, default=list)


class DeficiencySerializer(AcceptSerializer):
    commitment_date = serializers.DateField(required=False, allow_null=True, default=None)


# How a material missing at a 容缺受理 may arrive (the schema's HandedInStatusEnum).
HANDED_IN = [(s.value, s.label) for s in SATISFIED]


class ClearDeficiencySerializer(serializers.Serializer):
    """A material missing at a 容缺受理 handed in at a window, and how."""

    material = serializers.CharField(max_length=text_limit(Material, "code"), help_text="Material code.")
    status = serializers.ChoiceField(choices=HANDED_IN)


class CorrectionSerializer(serializers.Serializer):
    material = serializers.CharField(
        max_length=text_limit(Material, "code"),
        required=False,
        allow_null=True,
        default=None,
        help_text="Material code, or empty for a general correction.",
    )
    reason = serializers.CharField(max_length=FREE_TEXT_MAX_LENGTH, allow_blank=True)


class ReturnSerializer(serializers.Serializer):
    corrections = CorrectionSerializer(many=True)


class RefuseSerializer(serializers.Serializer):
    reasons = serializers.CharField(max_length=text_limit(Filing, "decision_reasons"), allow_blank=True)
    legal_basis = serializers.CharField(
        max_length=text_limit(Filing, "decision_legal_basis"), allow_blank=True
    )


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=FREE_TEXT_MAX_LENGTH, allow_blank=True)


# --- the citizen's side (apps.cases.online, apps.cases.citizen_view) --------------------------------


class OnlineFilingCreateSerializer(serializers.Serializer):
    """A citizen's new online draft: the applicant is filled from the account, or from its
    authorisation for ``organisation_code`` (an agent names the legal representative); never typed."""

    items = serializers.PrimaryKeyRelatedField(queryset=ServiceItem.objects.all(), many=True, required=False)
    bundle = serializers.SlugRelatedField(
        slug_field="code", queryset=Bundle.objects.all(), required=False, allow_null=True
    )
    centre = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The centre filed at.")
    organisation_code = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        default="",
        help_text="Unified social credit code of an organisation the account is authorised for today.",
    )
    legal_representative = serializers.CharField(
        max_length=text_limit(Filing, "legal_representative"),
        required=False,
        allow_blank=True,
        default="",
        help_text="For an agent filing for an organisation: its legal representative.",
    )
    # A client that states the applicant as a window does: checked against the account, never used
    # as typed (a person's number must be the account's; an organisation's is organisation_code).
    applicant_kind = serializers.ChoiceField(
        choices=ApplicantKind.choices, required=False, help_text="Optional: checked, not used."
    )
    applicant_id_number = serializers.CharField(
        max_length=text_limit(Filing, "applicant_id_number"),
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional: a person's must be the account's; an organisation's names organisation_code.",
    )

    def validate(self, data):
        stated = data.get("applicant_id_number", "").strip().upper()
        if data.get("applicant_kind") == ApplicantKind.ORGANISATION and not data["organisation_code"]:
            data["organisation_code"] = stated
        elif data.get("applicant_kind") == ApplicantKind.PERSON and stated:
            account = self.context["user"].id_number
            if not account or normalise_resident_id(stated) != account:
                raise serializers.ValidationError(
                    {
                        "id_number": _(
                            "An online filing is made in your own name and identity number, or for an "
                            "organisation you are authorised for."
                        )
                    }
                )
        return data


class HeldCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    identifier = serializers.CharField()
    type = serializers.CharField(source="licence_type.name")
    holder_name = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)


class ECertificateOfferSerializer(serializers.Serializer):
    """免证: a material an e-certificate may replace, the applicant's valid ones, and the one used."""

    material = serializers.CharField(help_text="Material code.")
    material_name = serializers.CharField()
    used = serializers.CharField(help_text="The number of the certificate used, or empty.")
    certificates = HeldCertificateSerializer(many=True)


class UseECertificateSerializer(serializers.Serializer):
    material = serializers.CharField(max_length=text_limit(Material, "code"), help_text="Material code.")
    certificate = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        help_text="One of the offered certificates' id; null: use none (hand the material in as a file).",
    )


class TimelineStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    step = serializers.CharField()
    label = serializers.CharField()
    by = serializers.CharField(help_text="The applicant, a window (its number) or a department; no names.")
    item = serializers.CharField()
    comment = serializers.CharField()


class DepartmentProgressSerializer(serializers.Serializer):
    department = serializers.CharField()
    item = serializers.CharField()
    state = serializers.CharField()
    step = serializers.CharField()
    tone = serializers.CharField()
    due_on = serializers.DateField()
    decided_on = serializers.DateField(allow_null=True)


class TimelineSerializer(serializers.Serializer):
    steps = TimelineStepSerializer(many=True)
    departments = DepartmentProgressSerializer(many=True)
    due_on = serializers.DateField(allow_null=True, help_text="Promised completion date.")
    working_days_left = serializers.IntegerField(
        allow_null=True, help_text="Working days to the promised date (negative: overdue); null if none runs."
    )
