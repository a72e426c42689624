"""Filings (申请) at the front desk and the cases (办件) they become in the back offices, one module
each: ``filing`` (the filing, its items, checklist and uploads), ``case`` (the review graph),
``review`` (opinions and corrections) and ``escalation``. Import from here."""

from apps.cases.models.case import OPEN_CASE, Case, Outcome
from apps.cases.models.escalation import Escalation, EscalationLevel, EscalationReason, EscalationState
from apps.cases.models.filing import (
    ChecklistEntry,
    Filing,
    FilingItem,
    MaterialUpload,
    new_tracking_token,
    upload_path,
)
from apps.cases.models.review import CorrectionFile, CorrectionRequest, ReviewOpinion, correction_path
from apps.cases.notices.models import Notice

__all__ = [
    "OPEN_CASE",
    "Case",
    "ChecklistEntry",
    "CorrectionFile",
    "CorrectionRequest",
    "Escalation",
    "EscalationLevel",
    "EscalationReason",
    "EscalationState",
    "Filing",
    "FilingItem",
    "MaterialUpload",
    "Notice",
    "Outcome",
    "ReviewOpinion",
    "correction_path",
    "new_tracking_token",
    "upload_path",
]
