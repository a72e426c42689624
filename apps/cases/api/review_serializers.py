from django.urls import reverse
from rest_framework import serializers

from apps.audit.input_limits import FREE_TEXT_MAX_LENGTH, MAX_ID, text_limit
from apps.cases.codes import ApplicantKind, Channel
from apps.cases.models import Case, CorrectionFile, CorrectionRequest, Outcome, ReviewOpinion
from apps.cases.review.selectors import Queue
from apps.catalogue.models import Material
from apps.worktime.codes import SpecialProcedure
from apps.worktime.models import Extension
from apps.worktime.warnings import WarningLevel


class CaseListSerializer(serializers.ModelSerializer):
    filing = serializers.CharField(source="filing.number")
    channel = serializers.CharField(source="filing.channel")
    applicant_name = serializers.CharField(source="filing.applicant_name")
    applicant_id_number = serializers.CharField(source="filing.masked_id_number")
    item = serializers.CharField(source="item.name")
    approval_category = serializers.CharField(source="approval_category.name")
    suspended_since = serializers.DateField(source="clock.suspended_since", allow_null=True)
    warning = serializers.ChoiceField(choices=WarningLevel.choices)
    claimed = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "filing",
            "channel",
            "applicant_name",
            "applicant_id_number",
            "item",
            "approval_category",
            "state",
            "due_on",
            "suspended_since",
            "warning",
            "claimed",
            "decided_at",
        ]

    def get_claimed(self, case) -> bool:
        return case.claimed_by_id is not None


class OpinionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.__str__")

    class Meta:
        model = ReviewOpinion
        fields = ["step", "text", "author", "at"]


class CorrectionFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CorrectionFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "url"]

    def get_url(self, file) -> str:
        return reverse("case-correction-file", args=[file.request.case_id, file.pk])


class CorrectionRequestSerializer(serializers.ModelSerializer):
    files = CorrectionFileSerializer(many=True, read_only=True)

    class Meta:
        model = CorrectionRequest
        fields = ["id", "items", "note", "requested_at", "answered_at", "answer", "files"]


class CaseDetailSerializer(serializers.ModelSerializer):
    filing = serializers.IntegerField(source="filing_id")
    filing_number = serializers.CharField(source="filing.number")
    item = serializers.CharField(source="item.name")
    department = serializers.CharField(source="department.name")
    approval_category = serializers.CharField(source="approval_category.name")
    due_on = serializers.DateField(source="clock.due_on")
    suspended_since = serializers.DateField(source="clock.suspended_since", allow_null=True)
    extension_days = serializers.IntegerField(source="clock.extension_days")
    suspended_days = serializers.IntegerField(source="clock.suspended_days")
    # Not source="claimed_by.__str__": None has a __str__ too, which answered "<method-wrapper …>".
    claimed_by = serializers.StringRelatedField(allow_null=True)
    opinions = OpinionSerializer(many=True, read_only=True)
    corrections = CorrectionRequestSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "filing",
            "filing_number",
            "item",
            "department",
            "approval_category",
            "state",
            "due_on",
            "suspended_since",
            "extension_days",
            "suspended_days",
            "claimed_by",
            "proposed_outcome",
            "decision_holder",
            "decision_scope",
            "valid_from",
            "valid_until",
            "denial_reasons",
            "denial_legal_basis",
            "decided_at",
            "opinions",
            "corrections",
            "actions",
        ]

    def get_actions(self, case) -> list[str]:
        """What the requesting user may do now: the state graph alone (its conditions and permissions)."""
        user = self.context["request"].user
        return [t.name for t in case.get_available_user_state_transitions(user)]


class ApplicantIdentitySerializer(serializers.Serializer):
    """The applicant as the review workspace shows them: the identity number in full (each showing is
    logged as a disclosure)."""

    kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    name = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)


class CaseWorkspaceSerializer(CaseDetailSerializer):
    """One case in the review workspace: the case and its applicant."""

    applicant = ApplicantIdentitySerializer(read_only=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = CaseDetailSerializer.Meta.fields + ["applicant"]


class QueueQuerySerializer(serializers.Serializer):
    queue = serializers.ChoiceField(choices=Queue.ALL, default=Queue.UNCLAIMED)
    item = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An item lineage id."
    )
    category = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    warning = serializers.ChoiceField(choices=WarningLevel.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    accepted_from = serializers.DateField(required=False)
    accepted_to = serializers.DateField(required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=FREE_TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class OpinionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=text_limit(ReviewOpinion, "text"), allow_blank=True)


class CorrectionItemSerializer(serializers.Serializer):
    material = serializers.CharField(
        max_length=text_limit(Material, "code"),
        required=False,
        allow_null=True,
        default=None,
        help_text="Material code.",
    )
    what = serializers.CharField(max_length=FREE_TEXT_MAX_LENGTH, allow_blank=True)


class CorrectionCreateSerializer(serializers.Serializer):
    items = CorrectionItemSerializer(many=True)
    note = serializers.CharField(
        max_length=text_limit(CorrectionRequest, "note"), required=False, allow_blank=True, default=""
    )


class ProcedureSerializer(serializers.Serializer):
    procedure = serializers.ChoiceField(choices=SpecialProcedure.choices)
    reason = serializers.CharField(max_length=FREE_TEXT_MAX_LENGTH, allow_blank=True)
    planned_end_on = serializers.DateField(required=False, allow_null=True, default=None)


class ExtensionSerializer(serializers.Serializer):
    # The service says why fewer than one day is refused; more than the column holds is no answer.
    days = serializers.IntegerField(max_value=32767)
    reason = serializers.CharField(max_length=text_limit(Extension, "reason"), allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    holder = serializers.CharField(
        max_length=text_limit(Case, "decision_holder"), required=False, allow_blank=True, default=""
    )
    scope = serializers.CharField(
        max_length=text_limit(Case, "decision_scope"), required=False, allow_blank=True, default=""
    )
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    reasons = serializers.CharField(
        max_length=text_limit(Case, "denial_reasons"), required=False, allow_blank=True, default=""
    )
    legal_basis = serializers.CharField(
        max_length=text_limit(Case, "denial_legal_basis"), required=False, allow_blank=True, default=""
    )
    opinion = serializers.CharField(
        max_length=text_limit(ReviewOpinion, "text"), required=False, allow_blank=True, default=""
    )


class SignOffSerializer(serializers.Serializer):
    opinion = serializers.CharField(
        max_length=text_limit(ReviewOpinion, "text"), required=False, allow_blank=True, default=""
    )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(
        max_length=text_limit(CorrectionRequest, "answer"), required=False, allow_blank=True, default=""
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)
