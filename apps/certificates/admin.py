from django.contrib import admin

from apps.audit.admin import ReadOnlyLogAdmin
from apps.certificates.models import IssuedDocument, IssuingRule, Seal, SealUse, VerificationLog


@admin.register(IssuingRule)
class IssuingRuleAdmin(admin.ModelAdmin):
    list_display = ["licence_type", "number_format", "validity_years", "layout"]
    search_fields = ["licence_type__name", "licence_type__code"]
    autocomplete_fields = ["licence_type"]


@admin.register(Seal)
class SealAdmin(admin.ModelAdmin):
    """Registering a seal and its scanned image; suspending and reinstating happen at the desk, where
    they are logged with a reason."""

    list_display = ["name", "department", "kind", "custodian", "status"]
    list_filter = ["status", "kind", "department__centre"]
    search_fields = ["name", "department__name"]
    readonly_fields = ["status", "status_changed_at", "status_reason"]
    raw_id_fields = ["custodian"]

    def get_readonly_fields(self, request, obj=None):
        # A seal's impression never changes: documents rendered later must show the seal that was
        # confirmed. A new impression is a new seal (register it, suspend the old one).
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "image", "department"] if obj else fields


@admin.register(SealUse)
class SealUseAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "seal", "document", "issuer", "confirmer", "reason"]
    list_filter = ["seal"]
    search_fields = ["document__number", "reason"]
    date_hierarchy = "at"


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyLogAdmin):
    list_display = ["number", "kind", "licence_type", "department", "issued_at", "issued_by", "confirmed_by"]
    list_filter = ["kind", "licence_type"]
    search_fields = ["number", "filing__number"]
    exclude = ["verification_token"]


@admin.register(VerificationLog)
class VerificationLogAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "method", "outcome", "document", "client_ip"]
    list_filter = ["outcome", "method"]
    date_hierarchy = "at"
