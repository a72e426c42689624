from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.apps import apps as django_apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

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
    # A filing's rows and its cases', documents' … by its whole number (apps.audit.anchors).
    search_fields = ["object_id", "actor__username", "comment", "=filing_number"]
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
    search_fields = ["object_id", "viewer__username", "=looked_up", "=filing_number"]
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


# django-axes ships no Chinese (nor a name for its app, which the admin index would show as "Axes").
# Its app gets a name here; its own msgids (model and field names, column and section headings) are
# listed so that `makemessages` keeps them in our catalogue, which Django reads before any app's.
django_apps.get_app_config("axes").verbose_name = _("Logins and lockouts")
AXES_MSGIDS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
)

# The admin's own column headings for screen readers (app_list.html), which Django ships untranslated
# in Chinese.
DJANGO_ADMIN_MSGIDS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
