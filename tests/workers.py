"""Starting a real Celery worker process against the test database and Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from hall.celery import app

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The URL of the database the tests run on (pytest-django's test_* database)."""
    s = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("a separate worker process needs a server database")
    return f"postgres://{quote(s['USER'])}:{quote(s['PASSWORD'])}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@contextmanager
def celery_worker(*, extra_env: dict | None = None):
    """A `celery worker` subprocess consuming a queue of its own; yields (process, queue name).

    Tasks sent to that queue run in the subprocess for real (eager mode is off meanwhile).
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        **(extra_env or {}),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hall",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queue,
            f"--hostname={queue}@%h",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield proc, queue
    finally:
        app.conf.task_always_eager = eager
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
