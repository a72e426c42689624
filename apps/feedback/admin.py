"""Ratings in the admin: read-mostly. Ratings are given, tickets worked and pads paired through their
services (the channels, the desks), where every step is checked and logged; the admin only looks, and
renames a pad."""

from django.contrib import admin

from apps.audit.admin import ReadOnlyLogAdmin
from apps.feedback.models import EvaluationPad, Rating, RectificationTicket


@admin.register(Rating)
class RatingAdmin(ReadOnlyLogAdmin):
    list_display = ["rated_at", "filing", "act", "level", "reason", "channel", "rater_key", "excluded"]
    list_filter = ["level", "act", "channel", "excluded", "centre"]
    search_fields = ["filing__number"]
    date_hierarchy = "rated_at"
    list_select_related = ["filing"]


@admin.register(RectificationTicket)
class RectificationTicketAdmin(ReadOnlyLogAdmin):
    list_display = ["pk", "rating", "state", "department", "window", "opened_at", "due_on", "closed_at"]
    list_filter = ["state", "centre"]
    search_fields = ["rating__filing__number"]
    date_hierarchy = "opened_at"
    list_select_related = ["rating", "department", "window"]


@admin.register(EvaluationPad)
class EvaluationPadAdmin(admin.ModelAdmin):
    list_display = ["window", "name", "paired_at", "paired_by", "last_seen_at", "revoked_at"]
    list_filter = ["window__centre"]
    # The device key's hash is no one's to read or set here; pairing and revoking are the desk's.
    exclude = ["key_hash"]
    readonly_fields = ["window", "paired_at", "paired_by", "last_seen_at", "revoked_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
