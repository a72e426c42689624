from apps.visits.models.appointments import Appointment, AppointmentSlot, BookingSuspension
from apps.visits.models.areas import OpeningPeriod, ServiceArea
from apps.visits.models.codes import (
    AppointmentState,
    CallKind,
    DeviceKind,
    PriorityReason,
    TicketSource,
    TicketState,
)
from apps.visits.models.devices import HallDevice
from apps.visits.models.tickets import Ticket, TicketCall

__all__ = [
    "Appointment",
    "AppointmentSlot",
    "AppointmentState",
    "BookingSuspension",
    "CallKind",
    "DeviceKind",
    "HallDevice",
    "OpeningPeriod",
    "PriorityReason",
    "ServiceArea",
    "Ticket",
    "TicketCall",
    "TicketSource",
    "TicketState",
]
