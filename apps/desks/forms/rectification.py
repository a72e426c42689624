"""The rectification desk's forms (整改): the steps of the ticket on the page — the follow-up call,
the cause and measures, the appeal with its evidence (the department's), the verification, sending
back and the decision on an appeal (the supervisors')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from apps.desks.forms.base import DeskForm, text
from apps.feedback.models import FollowUpMethod, RectificationTicket

# The browser's datetime-local value: 2026-11-26T14:30.
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class FollowUpForm(DeskForm):
    """回访: how the applicant was contacted, when, and what they said."""

    method = forms.ChoiceField(label=gettext_lazy("Follow-up by"), choices=FollowUpMethod.choices)
    followed_up_at = forms.DateTimeField(
        label=gettext_lazy("Followed up at"),
        input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
    )
    note = text(
        RectificationTicket,
        "follow_up_note",
        label=gettext_lazy("What the applicant said"),
        required=True,
        multiline=True,
    )


class RectificationForm(DeskForm):
    cause = text(RectificationTicket, "cause", label=gettext_lazy("Cause"), required=True, multiline=True)
    measures = text(
        RectificationTicket, "measures", label=gettext_lazy("Measures"), required=True, multiline=True
    )


class AppealForm(DeskForm):
    """申诉: the grounds, and the evidence (checked by its content by the service)."""

    reason = text(
        RectificationTicket,
        "appeal_reason",
        label=gettext_lazy("Grounds of appeal"),
        required=True,
        multiline=True,
    )
    evidence = forms.FileField(label=gettext_lazy("Evidence"))


class VerificationForm(DeskForm):
    note = text(
        RectificationTicket, "verification_note", label=gettext_lazy("What was verified"), required=True
    )


class SendBackForm(DeskForm):
    note = text(
        RectificationTicket, "verification_note", label=gettext_lazy("What is wanting"), required=True
    )


class AppealDecisionForm(DeskForm):
    decision = text(
        RectificationTicket,
        "appeal_decision",
        label=gettext_lazy("Reasons for the decision"),
        required=True,
        multiline=True,
    )
