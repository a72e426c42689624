"""Tests that need something a fresh machine may lack skip with a one-line reason, and fail instead
when HALL_REQUIRE_ALL=1 (set by .ci/run's PostgreSQL pass, where everything must be present)."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

REQUIRE_ALL = os.environ.get("HALL_REQUIRE_ALL") == "1"
CHROMIUM = os.environ.get("HALL_CHROMIUM", "/usr/bin/chromium")


def _missing(capability: str) -> str | None:
    if capability == "chromium":
        return (
            None
            if os.access(CHROMIUM, os.X_OK)
            else f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    if capability == "postgresql":
        return (
            None if connection.vendor == "postgresql" else "needs PostgreSQL (set DATABASE_URL) for row locks"
        )
    if capability == "redis":
        return None if settings.REDIS_URL else "needs Redis (set REDIS_URL) for a real Celery worker"
    if capability in {"pdftotext", "zbarimg", "xgettext", "msgfmt"}:
        return None if shutil.which(capability) else f"needs {capability} on PATH (see .ci/run)"
    if capability == "compose":
        has = shutil.which("docker-compose") or _docker_compose_plugin()
        return None if has else "needs docker compose or docker-compose (apt-get install docker-compose)"
    raise ValueError(f"unknown capability {capability!r}")


def _docker_compose_plugin() -> bool:
    import subprocess

    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


def require(*capabilities: str) -> None:
    """Skip (or fail under HALL_REQUIRE_ALL=1) unless every capability is present."""
    for capability in capabilities:
        reason = _missing(capability)
        if reason:
            if REQUIRE_ALL:
                pytest.fail(f"HALL_REQUIRE_ALL=1 but this test {reason}", pytrace=False)
            pytest.skip(reason)
