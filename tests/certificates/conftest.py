import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The desk's tests make many staff accounts; none logs in by password, so a cheap hash will do."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
