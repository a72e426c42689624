"""The rectification tickets' API bodies: a ticket as the lists and the ticket page show it, and the
input of each step (the services check the rules; these check the shapes)."""

from __future__ import annotations

from rest_framework import serializers

from apps.accounts.identifiers import mask_name
from apps.feedback.models import FollowUpMethod, RectificationTicket
from apps.feedback.ticket_selectors import TAB_STATES


class TicketSerializer(serializers.ModelSerializer):
    filing_number = serializers.CharField(source="rating.filing.number", read_only=True)
    item = serializers.CharField(source="rating.item.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    window_number = serializers.CharField(
        source="window.number", read_only=True, allow_null=True, default=None
    )
    level = serializers.CharField(source="rating.level", read_only=True)
    reason = serializers.CharField(source="rating.reason", read_only=True)
    comment = serializers.CharField(source="rating.comment", read_only=True)
    act = serializers.CharField(source="rating.act", read_only=True)
    channel = serializers.CharField(source="rating.channel", read_only=True)
    applicant = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    has_evidence = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = RectificationTicket
        fields = [
            "id",
            "state",
            "filing_number",
            "item",
            "department",
            "department_name",
            "window",
            "window_number",
            "level",
            "reason",
            "comment",
            "act",
            "channel",
            "applicant",
            "opened_at",
            "due_on",
            "overdue",
            "follow_up_method",
            "followed_up_at",
            "follow_up_note",
            "cause",
            "measures",
            "submitted_at",
            "verification_note",
            "closed_at",
            "appeal_reason",
            "appealed_at",
            "has_evidence",
            "appeal_decision",
            "appeal_decided_at",
            "actions",
        ]
        read_only_fields = fields

    def get_applicant(self, ticket) -> str:
        # Masked: the phone in full is the ticket page's, logged (docs/security.md).
        return mask_name(ticket.rating.filing.applicant_name)

    def get_has_evidence(self, ticket) -> bool:
        return bool(ticket.appeal_evidence)

    def get_actions(self, ticket) -> list[str]:
        """The steps the ticket's graph offers the requesting user now."""
        request = self.context.get("request")
        if request is None:
            return []
        return [t.name for t in ticket.get_available_user_state_transitions(request.user)]


class ListQuerySerializer(serializers.Serializer):
    tab = serializers.ChoiceField(choices=list(TAB_STATES), required=False, default="open")
    overdue = serializers.BooleanField(required=False, default=False)
    window = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)
    department = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)
    scope = serializers.ChoiceField(
        choices=["handling", "supervising"],
        required=False,
        allow_null=True,
        default=None,
        help_text="handling: your departments' tickets; supervising: those you supervise (default: both).",
    )


class FollowUpSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=FollowUpMethod.choices)
    followed_up_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=5000)


class RectificationSerializer(serializers.Serializer):
    cause = serializers.CharField(max_length=5000)
    measures = serializers.CharField(max_length=5000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class AppealSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    evidence = serializers.FileField()


class AppealDecisionSerializer(serializers.Serializer):
    uphold = serializers.BooleanField()
    decision = serializers.CharField(max_length=5000)
