"""The ratings API's bodies: what is rated (the acts), a rating, and what a rating request sends.

The codes (act, level, reason, channel) are strings whose values the descriptions list: the schema's
enums are named by field, and ``level`` and ``channel`` already name other code lists of the hall (an
item's level, a filing's channel). The services check them and name the field refused."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.feedback.models import ActKind, Channel, Rating, Reason
from apps.feedback.services import COMMENT_MAX, change_until


def codes(choices) -> str:
    return "; ".join(f"``{value}`` {label}" for value, label in choices)


ACT = "The act rated: " + codes(ActKind.choices) + "."
LEVEL = (
    "The rating, GB/T 39046 A.8: ``1`` 非常满意, ``2`` 满意, ``3`` 基本满意, ``4`` 不满意, ``5`` 非常不满意."
)
REASON = "Why a bad rating (required for ``4`` and ``5``, else empty): " + codes(Reason.choices) + "."
CHANNEL = "Where the rating came from: " + codes(Channel.choices) + "."


class RatingSerializer(serializers.ModelSerializer):
    act = serializers.CharField(read_only=True, help_text=ACT)
    level = serializers.CharField(read_only=True, help_text=LEVEL)
    reason = serializers.CharField(read_only=True, help_text=REASON)
    channel = serializers.CharField(read_only=True, help_text=CHANNEL)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    changeable_until = serializers.SerializerMethodField(
        help_text="Until when the rater may change it (a re-rating after rectification is extra)."
    )

    class Meta:
        model = Rating
        fields = [
            "id",
            "act",
            "level",
            "level_label",
            "reason",
            "reason_label",
            "comment",
            "channel",
            "rated_at",
            "changed_at",
            "rerated_at",
            "changeable_until",
        ]
        read_only_fields = fields

    def get_changeable_until(self, rating) -> str:
        return serializers.DateTimeField().to_representation(change_until(rating))


class PhoneRatingSerializer(RatingSerializer):
    """A 12345 rating as the supervisor entered it: the caller and whose rating it is."""

    class Meta(RatingSerializer.Meta):
        fields = [*RatingSerializer.Meta.fields, "rater_key", "caller_name", "caller_phone", "entered_by"]
        read_only_fields = fields


class RateableActSerializer(serializers.Serializer):
    """An act of the filing that may be rated, with the applicant's rating of it (null: not yet)."""

    act = serializers.CharField(help_text=ACT)
    act_label = serializers.CharField()
    at = serializers.DateTimeField(help_text="When the act was done.")
    window_number = serializers.CharField(allow_blank=True)
    item_name = serializers.CharField()
    rating = RatingSerializer(allow_null=True)
    can_rate = serializers.BooleanField(
        help_text="Whether the applicant may rate it now: not rated yet, within the change period, or "
        "once after the rectification of a bad rating was closed."
    )


class RateableFilingSerializer(serializers.Serializer):
    filing_number = serializers.CharField()
    acts = RateableActSerializer(many=True)


class RateBodySerializer(serializers.Serializer):
    act = serializers.CharField(max_length=20, help_text=ACT)
    level = serializers.CharField(max_length=1, help_text=LEVEL)
    reason = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text=REASON
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=COMMENT_MAX)

    def validate_act(self, value):
        if value not in ActKind.values:
            raise serializers.ValidationError(_("Choose an act of this filing to rate."))
        return value


class PhoneRatingBodySerializer(RateBodySerializer):
    filing_number = serializers.CharField(max_length=60, help_text="The filing the caller rates.")
    caller_name = serializers.CharField(max_length=100, label=_("caller's name"))
    caller_phone = serializers.CharField(max_length=30, label=_("caller's phone"))


class TokenErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
