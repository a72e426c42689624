from django.contrib import admin

from apps.notifications.models import MessageTemplate, Outbox


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Message wording is edited here, without code."""

    list_display = ["event", "language", "subject"]
    list_filter = ["language"]
    search_fields = ["event", "subject", "body"]


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "channel", "address", "user", "state", "attempts", "sent_at"]
    list_filter = ["state", "channel", "event"]
    search_fields = ["key", "address", "subject_ref"]
    readonly_fields = [f.name for f in Outbox._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
