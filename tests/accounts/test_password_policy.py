"""The password policy refuses the demo accounts' password and guessable patterns: a common word, a word of
the hall's or a keyboard walk with digits and symbols around it, also spelt in leetspeak."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.accounts.password_validation import CommonPatternValidator
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

DEMO_PASSWORD = "Hall#2026demo"  # noqa: S105 - settings.HALL_DEMO_PASSWORD


@pytest.mark.parametrize(
    "password",
    [
        "Password123!",
        "Hall#2026demo",
        "hall#2026DEMO",
        "Abcd1234!",
        "Qwer1234!",
        "1qaz@WSX3edc",
        "Asdfgh#2026",
        "P@ssw0rd2026!",
        "Passw0rd#2026",
        "4dmin#2026",
        "Adm1n@2026x",
        "Zhengwu@2026",
        "Sunshine!2026",
        "Dragon#88888",
        "Welcome1!Welcome1",
        "Clerk@2026!",
        "Admin#Sunshine2026",
    ],
)
def test_common_patterns_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_too_guessable" in {error.code for error in refused.value.error_list}


def test_the_demo_password_is_refused_by_name(settings):
    with translation.override("en"), pytest.raises(ValidationError, match="demo accounts") as refused:
        CommonPatternValidator().validate(settings.HALL_DEMO_PASSWORD.upper())
    assert refused.value.code == "password_too_guessable"


@pytest.mark.parametrize(
    "password",
    [
        "Mixed#Case2027",
        "Xk#92mQ!z7Rt",
        "Happy#Apple2027",  # two unrelated common words: more than one guess deep
        "Correct-Horse-Battery-Staple-42",
        "G7#j2!Rt-w9Lp",
        "Wang#Fang!2026x",
        "受理窗口#Hall2026Xy",  # a word of the hall among other characters
    ],
)
def test_passwords_that_are_not_one_common_pattern_pass(password):
    validate_password(password)


@pytest.mark.django_db
def test_changing_a_password_to_a_common_pattern_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Zhengwu@2026", "new_password2": "Zhengwu@2026"},
    )
    assert response.status_code == 200
    codes = [error.code for error in response.context["form"].errors.as_data()["new_password2"]]
    assert codes == ["password_too_guessable"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_message_and_help_text_name_the_rule():
    with translation.override("en"):
        assert "keyboard" in CommonPatternValidator().get_help_text()
        with pytest.raises(ValidationError, match="common word"):
            CommonPatternValidator().validate("Password123!")
