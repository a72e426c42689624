"""The hall's flow in the admin: read-only. The set-up is changed on the supervision desk (大厅设置),
appointments booked and tickets issued and called through their services, devices paired on the desk:
there every step is checked, logged and followed (a set-up change regenerates the slots ahead). The
admin only looks; a device's key hash is no one's to read."""

from django.contrib import admin

from apps.audit.admin import ReadOnlyLogAdmin
from apps.visits.models import (
    Appointment,
    AppointmentSlot,
    BookingSuspension,
    HallDevice,
    OpeningPeriod,
    ServiceArea,
    Ticket,
    TicketCall,
)


@admin.register(ServiceArea)
class ServiceAreaAdmin(ReadOnlyLogAdmin):
    list_display = ["centre", "prefix", "category", "slot_capacity", "order", "is_active"]
    list_filter = ["centre", "is_active"]
    list_select_related = ["centre", "category"]


@admin.register(OpeningPeriod)
class OpeningPeriodAdmin(ReadOnlyLogAdmin):
    list_display = ["centre", "starts_at", "ends_at"]
    list_filter = ["centre"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(ReadOnlyLogAdmin):
    list_display = ["area", "date", "starts_at", "ends_at", "capacity", "booked"]
    list_filter = ["area__centre", "area"]
    date_hierarchy = "date"
    list_select_related = ["area__category"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyLogAdmin):
    # The resident ID number is not listed: it is read on the record when needed.
    list_display = ["number", "name", "slot", "state", "booked_at", "checked_in_at", "no_show_at"]
    list_filter = ["state", "slot__area__centre"]
    search_fields = ["number"]
    date_hierarchy = "booked_at"
    list_select_related = ["slot__area__category"]


# The suspended account's column, named through the model: its name is a role's code too, which is
# spelled only by apps.accounts.roles (tests/accounts/test_permissions_module.py).
ACCOUNT = BookingSuspension.citizen.field.name


@admin.register(BookingSuspension)
class BookingSuspensionAdmin(ReadOnlyLogAdmin):
    list_display = [ACCOUNT, "starts_on", "ends_on", "no_shows", "created_at"]
    date_hierarchy = "starts_on"
    list_select_related = [ACCOUNT]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyLogAdmin):
    list_display = [
        "day",
        "number",
        "area",
        "state",
        "source",
        "priority",
        "window",
        "issued_at",
        "finished_at",
    ]
    list_filter = ["state", "source", "centre"]
    search_fields = ["number"]
    date_hierarchy = "issued_at"
    list_select_related = ["area__category", "window"]


@admin.register(TicketCall)
class TicketCallAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "ticket", "window", "kind", "by"]
    list_filter = ["kind", "centre"]
    date_hierarchy = "at"
    list_select_related = ["ticket", "window", "by"]


@admin.register(HallDevice)
class HallDeviceAdmin(ReadOnlyLogAdmin):
    list_display = ["centre", "kind", "name", "paired_at", "paired_by", "last_seen_at", "revoked_at"]
    list_filter = ["kind", "centre"]
    exclude = ["key_hash"]
    list_select_related = ["centre", "paired_by"]
