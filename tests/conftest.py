import importlib
import os

import pytest

from tests.capabilities import CHROMIUM, require

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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


MARKER_CAPABILITIES = {"browser": "chromium", "postgresql": "postgresql", "needs_worker": "redis"}


def pytest_runtest_setup(item):
    """Before any fixture (a session-scoped browser included): skip, or fail, on a missing capability."""
    for marker, capability in MARKER_CAPABILITIES.items():
        if item.get_closest_marker(marker):
            require(capability)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser (see ../shared/STACK.md)."""
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
