import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings

# A Thursday in a year the working-day calendar knows: clocks, notices and numbers do not depend on
# the day the suite runs.
TODAY = dt.datetime(2026, 9, 24, 2, 0)


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_root(settings, media_dir):
    """Replaces the suite's per-test media folder: the module's world stored its files here."""
    settings.MEDIA_ROOT = media_dir


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (verification, login) count per address in the cache: each request starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_dir):
    """The matrix's hall, built once per module inside a transaction that is rolled back at the end.
    Each test's own ``db`` transaction nests in it as a savepoint, so that an action a request takes
    (a POST that succeeds) is rolled back before the next request."""
    from tests.security.world import build_world

    traveller = time_machine.travel(TODAY, tick=False)
    traveller.start()
    cheap_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media_dir
    )
    try:
        with django_db_blocker.unblock(), cheap_hashing:
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield build_world()
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
    finally:
        traveller.stop()
