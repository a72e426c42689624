import importlib
import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import global_settings, settings
from django.utils import translation

from tests.capabilities import CHROMIUM, require

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Tests make thousands of accounts and log in often; a full PBKDF2 hash each time was about half of the
# suite's wall time. MD5 makes new hashes; Django's own hashers stay listed after it, so that a hash made
# outside the tests still verifies. Nothing here tests the hashing itself (the password policy is the
# validators', tests/accounts/test_password_policy.py), and processes a test starts (manage.py, runhall,
# a Celery worker) read hall.settings and hash for real.
CHEAP_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    *global_settings.PASSWORD_HASHERS,
]
REDIS_DATABASES = 16  # Redis's default `databases`


def xdist_redis_url(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker: gw0 the one after REDIS_URL's, gw1 the next.

    Each worker then has a broker, result store and cache of its own: one worker's `cache.clear()` (a
    FLUSHDB) or lookup counter cannot reach the other's, and a Celery worker process a test starts
    (tests/workers.py) consumes only its own xdist worker's tasks, against that worker's test database.
    """
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = base + 1 + int(worker.removeprefix("gw"))
    if number >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"xdist worker {worker} would need Redis database {number} (REDIS_URL ends in /{base}); "
            f"Redis has {REDIS_DATABASES}: run fewer workers (-n) or use a lower database in REDIS_URL"
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    """Settings for the whole run, in place before any fixture (module- and session-scoped ones
    included) makes an account or touches Redis. pytest-xdist gives each worker its own test database
    (pytest-django adds the worker's name: test_hall_gw0, test_hall_gw1); Redis is split here."""
    from django.conf import settings
    from django.test.utils import override_settings

    overrides = {"PASSWORD_HASHERS": CHEAP_PASSWORD_HASHERS}
    worker = getattr(config, "workerinput", {}).get("workerid")
    if worker and settings.REDIS_URL:
        url = xdist_redis_url(settings.REDIS_URL, worker)
        overrides.update(
            REDIS_URL=url,
            CACHES={"default": {**settings.CACHES["default"], "LOCATION": url}},
            CELERY_BROKER_URL=url,
            CELERY_RESULT_BACKEND=url,
        )
        from hall.celery import app

        # Celery read its configuration when Django loaded the tasks; no connection or result
        # backend exists yet, so the next ones are made with these.
        app.conf.broker_url = url
        app.conf.result_backend = url
    override_settings(**overrides).enable()


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    """Tasks run inline in tests unless a test starts a real worker (see tests/ops/test_worker.py)."""
    from hall.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _seal_use_log_flushable(request):
    """The seal use log refuses deletes (a trigger, apps/certificates/migrations/0002). PostgreSQL
    empties tables with TRUNCATE, which fires no row trigger; SQLite's flush deletes rows, so a
    transactional test that used a seal could not be flushed. There, just before the flush: lift the
    trigger, empty the log, and put the migration's own trigger back."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so torn down (flushed) after this
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = importlib.import_module("apps.certificates.migrations.0002_seal_use_append_only")
    trigger = next(statement for statement in migration.SQLITE if "BEFORE DELETE" in statement)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS certificates_sealuse_no_delete")
        cursor.execute("DELETE FROM certificates_sealuse")
        cursor.execute(trigger)


# Tests that take most of a minute in processes of their own (runhall; the migrations from zero) and
# use no test database. pytest-django runs such tests last; under xdist they go first instead, so that
# the run does not end with one worker on one of them while the other is idle.
LONG_FIRST = ("tests/ops/test_embedded_mode.py::", "tests/migrations/test_migrations.py::")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):
        return
    first = [i for i in items if i.nodeid.startswith(LONG_FIRST) and not i.get_closest_marker("django_db")]
    if first:
        items[:] = first + [item for item in items if item not in first]


MARKER_CAPABILITIES = {"browser": "chromium", "postgresql": "postgresql", "needs_worker": "redis"}


def pytest_runtest_setup(item):
    """Before any fixture (a session-scoped browser included): skip, or fail, on a missing capability."""
    for marker, capability in MARKER_CAPABILITIES.items():
        if item.get_closest_marker(marker):
            require(capability)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser (.ci/run installs it)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
        ],
    }


@pytest.fixture
def source_language():
    """Refusals are matched as written in the source (English), whatever the catalogue makes of them."""
    with translation.override("en"):
        yield


@pytest.fixture
def english(client):
    """A client whose pages are in English (the hall defaults to Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
