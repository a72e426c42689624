"""What the online hall's API says of messages, certificates and delivery choices."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.certificates.models import DeliveryChoice, DeliveryMethod, IssuedDocument
from apps.certificates.services import verify_url
from apps.notifications import inbox
from apps.notifications.models import SiteMessage


class MessageSerializer(serializers.ModelSerializer):
    unread = serializers.SerializerMethodField()
    filing_id = serializers.SerializerMethodField(help_text=_("The filing the message is about, if any."))

    class Meta:
        model = SiteMessage
        fields = ["id", "subject", "body", "created_at", "read_at", "unread", "filing_id"]

    def get_unread(self, message) -> bool:
        return message.read_at is None

    def get_filing_id(self, message) -> int | None:
        concerns = inbox.concerns(message)
        return concerns[1] if concerns and concerns[0] == "cases.filing" else None


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class WalletDocumentSerializer(serializers.ModelSerializer):
    certificate_type = serializers.CharField(
        source="library_entry.licence_type.name", read_only=True, allow_null=True
    )
    holder = serializers.CharField(source="library_entry.holder_name", read_only=True, allow_null=True)
    issuing_authority = serializers.CharField(source="library_entry.issuer", read_only=True, allow_null=True)
    issued_on = serializers.DateField(source="library_entry.issued_on", read_only=True, allow_null=True)
    valid_from = serializers.DateField(source="library_entry.valid_from", read_only=True, allow_null=True)
    valid_until = serializers.DateField(source="library_entry.valid_until", read_only=True, allow_null=True)
    standing = serializers.CharField(
        read_only=True,
        help_text=_("valid, expired, revoked or not_yet_valid, as verification answers today."),
    )
    filing_id = serializers.IntegerField(read_only=True)
    filing = serializers.CharField(source="filing.number", read_only=True)
    verify_url = serializers.SerializerMethodField(
        help_text=_("The public verification page the QR code opens.")
    )
    qr = serializers.SerializerMethodField(help_text=_("The QR code as an SVG image."))
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = [
            "id",
            "certificate_type",
            "number",
            "holder",
            "issuing_authority",
            "issued_on",
            "valid_from",
            "valid_until",
            "standing",
            "filing_id",
            "filing",
            "verify_url",
            "qr",
            "pdf",
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_verify_url(self, document) -> str:
        return verify_url(document.verification_token)

    def get_qr(self, document) -> str:
        return self._absolute(reverse("portal-wallet-qr", args=[document.pk]))

    def get_pdf(self, document) -> str:
        return self._absolute(reverse("portal-wallet-pdf", args=[document.pk]))


class DeliveryChoiceSerializer(serializers.ModelSerializer):
    """``handover``: collected at a window; ``post``: posted free of charge (name, phone and address
    required)."""

    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    filing_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = DeliveryChoice
        fields = ["filing_id", "method", "recipient_name", "phone", "address", "chosen_at"]
        read_only_fields = ["filing_id", "chosen_at"]
        extra_kwargs = {f: {"required": False} for f in ("recipient_name", "phone", "address")}
