from apps.feedback.models.codes import BAD_LEVELS, SATISFIED_LEVELS, ActKind, Channel, Level, Reason
from apps.feedback.models.pads import EvaluationPad
from apps.feedback.models.ratings import Rating
from apps.feedback.models.rollups import Dimension, RatingRollup, RollupMark
from apps.feedback.models.tickets import FollowUpMethod, RectificationTicket, TicketState

__all__ = [
    "BAD_LEVELS",
    "SATISFIED_LEVELS",
    "ActKind",
    "Channel",
    "Dimension",
    "EvaluationPad",
    "FollowUpMethod",
    "Level",
    "Rating",
    "RatingRollup",
    "Reason",
    "RectificationTicket",
    "RollupMark",
    "TicketState",
]
