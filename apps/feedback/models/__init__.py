from apps.feedback.models.codes import BAD_LEVELS, SATISFIED_LEVELS, ActKind, Channel, Level, Reason
from apps.feedback.models.pads import EvaluationPad
from apps.feedback.models.ratings import Rating
from apps.feedback.models.tickets import FollowUpMethod, RectificationTicket, TicketState

__all__ = [
    "BAD_LEVELS",
    "SATISFIED_LEVELS",
    "ActKind",
    "Channel",
    "EvaluationPad",
    "FollowUpMethod",
    "Level",
    "Rating",
    "Reason",
    "RectificationTicket",
    "TicketState",
]
