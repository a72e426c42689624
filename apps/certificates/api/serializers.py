from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from apps.audit.input_limits import text_limit
from apps.cases.models import Filing
from apps.certificates.models import Delivery, IssuedDocument, IssueRequest
from apps.licences.models import ElectronicCertificate, RevocationMode


class DeskFilingSerializer(serializers.ModelSerializer):
    applicant_id_number = serializers.CharField(source="masked_id_number", read_only=True)

    class Meta:
        model = Filing
        fields = ["id", "number", "state", "applicant_name", "applicant_id_number", "created_at"]


class PlannedSerializer(serializers.Serializer):
    """One document a filing will get: the preview before anything is numbered."""

    case = serializers.IntegerField(source="case.pk")
    item = serializers.CharField(source="case.item.name")
    department = serializers.CharField(source="case.department.name")
    kind = serializers.CharField()
    certificate_type = serializers.CharField(source="rule.licence_type.name", default=None, allow_null=True)
    holder = serializers.CharField(source="case.decision_holder")
    scope = serializers.CharField(source="case.decision_scope")
    valid_from = serializers.DateField(source="case.valid_from", allow_null=True)
    valid_until = serializers.DateField(source="case.valid_until", allow_null=True)
    denial_reasons = serializers.CharField(source="case.denial_reasons")
    seal = serializers.CharField(source="seal.name", default=None, allow_null=True)
    problems = serializers.ListField(child=serializers.CharField())


class IssueRequestSerializer(serializers.ModelSerializer):
    filing_id = serializers.IntegerField(read_only=True)
    filing = serializers.CharField(source="filing.number", read_only=True)
    requested_by = serializers.CharField(source="requested_by.__str__", read_only=True)

    class Meta:
        model = IssueRequest
        fields = [
            "id",
            "filing_id",
            "filing",
            "state",
            "requested_by",
            "requested_at",
            "decided_at",
            "note",
        ]


class RequestBodySerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=text_limit(IssueRequest, "note"), default=""
    )


class DocumentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    filing = serializers.CharField(source="filing.number", read_only=True)
    identifier = serializers.CharField(
        source="library_entry.identifier", default=None, allow_null=True, read_only=True
    )
    status = serializers.SerializerMethodField()
    valid_from = serializers.DateField(
        source="library_entry.valid_from", default=None, allow_null=True, read_only=True
    )
    valid_until = serializers.DateField(
        source="library_entry.valid_until", default=None, allow_null=True, read_only=True
    )
    seal = serializers.CharField(source="seal.name", read_only=True)
    pdf = serializers.HyperlinkedIdentityField(view_name="document-pdf", read_only=True)

    def get_status(self, document) -> str | None:
        entry = document.library_entry
        return entry.status_on(timezone.localdate()) if entry else None

    class Meta:
        model = IssuedDocument
        fields = [
            "id",
            "kind",
            "title",
            "number",
            "identifier",
            "filing",
            "status",
            "valid_from",
            "valid_until",
            "issued_at",
            "seal",
            "pdf",
        ]


class DeskFilingPreviewSerializer(DeskFilingSerializer):
    """A filing at the desk with the documents it will get and those already issued."""

    documents = PlannedSerializer(many=True, read_only=True)
    issued = DocumentSerializer(many=True, read_only=True)

    class Meta(DeskFilingSerializer.Meta):
        fields = DeskFilingSerializer.Meta.fields + ["documents", "issued"]


class HandOverSerializer(serializers.Serializer):
    recipient_name = serializers.CharField(
        max_length=text_limit(Delivery, "recipient_name"), label=_("recipient")
    )
    recipient_id_number = serializers.CharField(
        max_length=text_limit(Delivery, "recipient_id_number"), label=_("recipient's identity number")
    )


class PostSerializer(serializers.Serializer):
    recipient_name = serializers.CharField(max_length=text_limit(Delivery, "recipient_name"))
    phone = serializers.CharField(max_length=text_limit(Delivery, "phone"))
    address = serializers.CharField(max_length=text_limit(Delivery, "address"))
    carrier = serializers.CharField(max_length=text_limit(Delivery, "carrier"))
    tracking_number = serializers.CharField(max_length=text_limit(Delivery, "tracking_number"))


class DeliverySerializer(serializers.ModelSerializer):
    filing = serializers.CharField(source="filing.number", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "filing",
            "method",
            "recipient_name",
            "recipient_role",
            "carrier",
            "tracking_number",
            "delivered_at",
        ]


class RevokeSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=RevocationMode.choices, default=RevocationMode.REVOKE)
    reason = serializers.CharField(max_length=text_limit(ElectronicCertificate, "revocation_reason"))


class LibraryEntrySerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="licence_type.name")
    type_code = serializers.CharField(source="licence_type.code")
    status = serializers.SerializerMethodField(help_text="valid, expired or revoked, today")

    def get_status(self, entry) -> str:
        return entry.status_on(timezone.localdate())

    class Meta:
        model = ElectronicCertificate
        fields = [
            "identifier",
            "type",
            "type_code",
            "number",
            "holder_name",
            "holder_code",
            "issuer",
            "issued_on",
            "valid_from",
            "valid_until",
            "status",
            "revoked_at",
            "revocation_reason",
        ]


@extend_schema_serializer(component_name="PaginatedLibraryEntryList")
class LibraryPageSerializer(serializers.Serializer):
    """A page of the e-certificate library (PageNumberPagination's page, written out: the view is a
    function and drf-spectacular does not see its paginator)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = LibraryEntrySerializer(many=True)


class LibraryQuerySerializer(serializers.Serializer):
    holder_code = serializers.CharField(
        required=False, allow_blank=True, max_length=text_limit(ElectronicCertificate, "holder_code")
    )


class VerifiedCertificateSerializer(serializers.Serializer):
    """What the public may see of a verified certificate (``Verification.facts``): masked holder."""

    type = serializers.CharField()
    number = serializers.CharField()
    holder = serializers.CharField()
    holder_code = serializers.CharField()
    issuer = serializers.CharField()
    issued_on = serializers.DateField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class VerificationSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    verdict = serializers.CharField()
    certificate = serializers.SerializerMethodField()

    @extend_schema_field(VerifiedCertificateSerializer(allow_null=True))
    def get_certificate(self, verification) -> dict | None:
        facts = verification.facts()
        if facts is None:
            return None
        return {
            key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in facts.items()
        }


class VerifyQuerySerializer(serializers.Serializer):
    # Room for what a phone types: spaces and full-width characters, normalised before the lookup.
    number = serializers.CharField(max_length=2 * text_limit(IssuedDocument, "number"))
    code = serializers.CharField(max_length=16)
