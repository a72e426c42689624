from rest_framework import serializers

from apps.accounts.models import StaffMembership, User


class MembershipSerializer(serializers.ModelSerializer):
    centre = serializers.StringRelatedField()
    department = serializers.StringRelatedField(allow_null=True)
    window = serializers.CharField(source="window.number", default=None, allow_null=True)

    class Meta:
        model = StaffMembership
        fields = ["role", "centre", "department", "window"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)
    phone = serializers.CharField(source="masked_phone")

    class Meta:
        model = User
        # The real-name level: a citizen's account is self-declared until a window verifies it.
        fields = ["username", "full_name", "phone", "real_name_level", "roles", "memberships"]

    def get_roles(self, user) -> list[str]:
        return sorted(name.removeprefix("role:") for name in user.groups.values_list("name", flat=True))
