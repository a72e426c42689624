from django.contrib import admin

from apps.audit.models import TransitionLog


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "content_type",
        "object_id",
        "transition",
        "from_state",
        "to_state",
        "actor",
        "client_ip",
    ]
    list_filter = ["content_type", "transition"]
    search_fields = ["object_id", "actor__username", "comment"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
