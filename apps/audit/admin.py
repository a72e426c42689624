from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.accounts.identifiers import mask_identifier
from apps.audit.models import DisclosureLog, TransitionLog


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """Append-only logs: readable in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyLogAdmin):
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


@admin.register(DisclosureLog)
class DisclosureLogAdmin(ReadOnlyLogAdmin):
    list_display = [
        "at",
        "viewer",
        "what",
        "purpose",
        "content_type",
        "object_id",
        "looked_up_masked",
        "client_ip",
    ]
    list_filter = ["what", "content_type"]
    # A holder is found by their whole identity number (exact), never by a fragment of one.
    search_fields = ["object_id", "viewer__username", "=looked_up"]
    date_hierarchy = "at"

    @admin.display(description=_("looked up by"))
    def looked_up_masked(self, entry):
        return mask_identifier(entry.looked_up) if entry.looked_up else ""


# django-axes' logs of logins (successes, and every failure) are part of the audit trail: readable,
# never changed or deleted in the admin (axes registers them editable). Its attempts (AccessAttempt)
# are the lockout's working counters and stay deletable: deleting them is how an admin unlocks.
class FailedLoginAdmin(ReadOnlyLogAdmin, AccessFailureLogAdmin):
    pass


class LoginAdmin(ReadOnlyLogAdmin, AccessLogAdmin):
    pass


for model, model_admin in ((AccessFailureLog, FailedLoginAdmin), (AccessLog, LoginAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
