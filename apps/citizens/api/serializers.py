from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.accounts.identifiers import mask_identifier
from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation, RealNameLevel, User
from apps.citizens.models import CodePurpose
from apps.citizens.selectors import is_current


class CodeRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    purpose = serializers.ChoiceField(choices=CodePurpose.choices)


class RegisterSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=6)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class LoginSerializer(serializers.Serializer):
    """A password login (``username`` — a citizen's is the mobile number — and ``password``), or an
    SMS code login (``phone`` and ``code``)."""

    username = serializers.CharField(max_length=150, required=False)
    password = serializers.CharField(max_length=128, required=False, trim_whitespace=False)
    phone = serializers.CharField(max_length=20, required=False)
    code = serializers.CharField(max_length=6, required=False)

    def validate(self, data):
        if data.get("code") or data.get("phone"):
            missing = [f for f in ("phone", "code") if not data.get(f)]
        else:
            missing = [f for f in ("username", "password") if not data.get(f)]
        if missing:
            raise serializers.ValidationError({f: [_("This field is required.")] for f in missing})
        return data


class PasswordResetSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=6)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class AccountSerializer(serializers.ModelSerializer):
    """The logged-in citizen account (the identity number masked)."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.CharField(source="masked_phone")
    real_name_level = serializers.ChoiceField(choices=RealNameLevel.choices)

    class Meta:
        model = User
        fields = ["username", "full_name", "id_number", "phone", "real_name_level", "real_name_verified_at"]

    def get_id_number(self, user) -> str:
        return mask_identifier(user.id_number)


class OrganisationSerializer(serializers.ModelSerializer):
    # "capacity" (the model's label), not "kind": the API has an applicant's kind (person or
    # organisation) already, and one name for two enums would blur both in the schema.
    capacity = serializers.ChoiceField(source="kind", choices=AuthorisationKind.choices)
    current = serializers.SerializerMethodField(help_text="May act for the organisation today.")
    letter = serializers.SerializerMethodField(help_text="Where the letter of authorisation is downloaded.")

    class Meta:
        model = OrganisationAuthorisation
        fields = [
            "id",
            "organisation_name",
            "credit_code",
            "capacity",
            "valid_from",
            "valid_until",
            "created_at",
            "revoked_at",
            "current",
            "letter",
            "letter_name",
            "verified_at",
        ]
        extra_kwargs = {
            "verified_at": {
                "help_text": "When a window verified it against the letter (null: self-declared, the "
                "organisation's filings by others stay hidden)."
            }
        }

    def get_current(self, authorisation) -> bool:
        return is_current(authorisation)

    def get_letter(self, authorisation) -> str | None:
        if not authorisation.letter:
            return None
        return reverse("api-organisation-letter", args=[authorisation.pk])


class OrganisationAddSerializer(serializers.Serializer):
    organisation_name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(max_length=18)
    capacity = serializers.ChoiceField(source="kind", choices=AuthorisationKind.choices)
    letter = serializers.FileField(required=False, allow_null=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)


class AuthorisationVerifySerializer(serializers.Serializer):
    window = serializers.IntegerField(
        required=False, allow_null=True, help_text="The clerk's window (default: their usual window)."
    )


class RealNameVerifySerializer(AuthorisationVerifySerializer):
    id_number = serializers.CharField(help_text="The resident ID number read from the identity card.")


class VerifiedAccountSerializer(AccountSerializer):
    """A citizen account as the clerk who verified it sees it (numbers masked)."""

    class Meta(AccountSerializer.Meta):
        fields = [*AccountSerializer.Meta.fields, "real_name_verified_centre"]


class VerifiedAuthorisationSerializer(serializers.ModelSerializer):
    """An authorisation as the clerk who verified it sees it (the code masked)."""

    credit_code = serializers.SerializerMethodField()
    capacity = serializers.ChoiceField(source="kind", choices=AuthorisationKind.choices)

    class Meta:
        model = OrganisationAuthorisation
        fields = ["id", "organisation_name", "credit_code", "capacity", "verified_at", "verified_centre"]

    def get_credit_code(self, authorisation) -> str:
        return mask_identifier(authorisation.credit_code)
