"""Passwords are stored with Argon2id at the cost docs/security.md names; older hashes are upgraded."""

import pytest
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password

from hall import settings as project_settings
from tests.factories.accounts import PASSWORD, UserFactory

# The suite hashes with MD5 for speed (tests/conftest.py); these tests put the project's list back.
PROJECT_HASHERS = project_settings.PASSWORD_HASHERS


def test_the_project_stores_passwords_with_argon2id_at_its_stated_cost(settings):
    assert PROJECT_HASHERS[0] == "hall.hashers.HallArgon2PasswordHasher"
    settings.PASSWORD_HASHERS = PROJECT_HASHERS
    hasher = get_hasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (2, 19456, 1)


@pytest.mark.django_db
def test_an_old_pbkdf2_hash_still_logs_in_and_is_rewritten_as_argon2id(client, settings):
    settings.PASSWORD_HASHERS = PROJECT_HASHERS
    user = UserFactory()
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302

    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert "m=19456,t=2,p=1" in user.password
