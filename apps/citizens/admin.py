from django.contrib import admin

from apps.citizens.models import PhoneCode


@admin.register(PhoneCode)
class PhoneCodeAdmin(admin.ModelAdmin):
    """The codes sent (never the codes themselves: only their hash is stored, and not shown)."""

    list_display = [
        "created_at",
        "phone",
        "purpose",
        "client_ip",
        "used_at",
        "failed_attempts",
        "blocked_until",
    ]
    list_filter = ["purpose"]
    search_fields = ["phone"]
    fields = [
        "phone",
        "purpose",
        "client_ip",
        "created_at",
        "expires_at",
        "used_at",
        "failed_attempts",
        "blocked_until",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
