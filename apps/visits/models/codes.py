from django.db import models
from django.utils.translation import gettext_lazy as _


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Booked")  # 已预约
    CHECKED_IN = "checked_in", _("Checked in")  # 已取号
    CANCELLED = "cancelled", _("Cancelled")  # 已取消
    NO_SHOW = "no_show", _("No-show")  # 爽约


class TicketSource(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment")  # 预约取号 (the booking's QR or the ID number)
    ID_NUMBER = "id_number", _("Resident ID")  # 刷证取号
    WALK_IN = "walk_in", _("Walk-in")  # 现场取号


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Waiting")  # 等候中
    CALLED = "called", _("Called")  # 已叫号
    SKIPPED = "skipped", _("Skipped")  # 过号
    SERVING = "serving", _("Being served")  # 办理中
    DONE = "done", _("Done")  # 办结
    ABANDONED = "abandoned", _("Not served")  # 未办理: waiting, called or skipped when the day ended


class PriorityReason(models.TextChoices):
    """Why a ticket goes first within its area (优先). Each is one flag; any of them is priority."""

    APPOINTMENT = "appointment", _("Appointment on time")  # within its slot ±15 minutes
    ELDERLY = "elderly", _("Aged 70 or over")  # from the ID's birth date
    DISABLED = "disabled", _("Disabled person")  # flagged by staff
    GREEN_CHANNEL = "green_channel", _("Green channel")  # 绿色通道 (重点项目), flagged by staff


class DeviceKind(models.TextChoices):
    KIOSK = "kiosk", _("Ticket kiosk")  # 取号机
    DISPLAY = "display", _("Hall display")  # 大屏


class CallKind(models.TextChoices):
    CALL = "call", _("Call")  # 叫号
    RECALL = "recall", _("Recall")  # 重呼


# How the steps of a queue ticket (排队号) read in the audit log — not the rectification tickets'
# (apps.feedback.ticket_selectors.TICKET_STEPS). The calling desk's words (apps.desks.calling).
QUEUE_TICKET_STEPS = {
    "issue": _("Ticket taken"),
    "flag_priority": _("Given priority"),
    "call": _("Called"),
    "recall": _("Called again"),
    "skip": _("Skipped"),
    "recall_skipped": _("Called back after being skipped"),
    "transfer": _("Transferred to another service area"),
    "start": _("Service started"),
    "link_filing": _("Filing linked"),
    "finish": _("Service finished"),
    # The day's end (apps.visits.ticketing.close_day), written in bulk.
    "abandon": _("Not served: the day ended"),
}

# … of an appointment (its no-shows written in bulk: apps.visits.appointments).
APPOINTMENT_STEPS = {
    "book": _("Booked"),
    "cancel": _("Booking cancelled"),
    "check_in": _("Checked in"),
    "record_no_show": _("No-show"),
}

# … of the hall's set-up (apps.visits.areas) and its devices (apps.visits.devices).
SERVICE_AREA_STEPS = {
    "service_area_created": _("Service area added"),
    "service_area_changed": _("Service area changed"),
}
OPENING_PERIOD_STEPS = {
    "opening_period_added": _("Opening period added"),
    "opening_period_changed": _("Opening period changed"),
    "opening_period_removed": _("Opening period removed"),
}
DEVICE_STEPS = {
    "device_paired": _("Pairing code issued"),
    "device_code_renewed": _("Pairing code renewed"),
    "device_claimed": _("Pairing completed"),
    "device_revoked": _("Device revoked"),
}
