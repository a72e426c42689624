"""Reading configuration from the environment, and the production-mode guard.

All configuration comes from environment variables (12-factor); the defaults are the *embedded*
development set-up (SQLite file, Celery on a filesystem broker). Production mode refuses to start
on a configuration that would be unsafe, with a one-line explanation.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

# Only ever used outside production; the guard below rejects it by name.
DEVELOPMENT_SECRET_KEY = "django-insecure-hall-portal-development-only-key-do-not-use-in-production"  # noqa: S105

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def check_production_settings(*, secret_key: str, allowed_hosts: list[str], debug: bool) -> None:
    """Refuse a production configuration that is unsafe. One line per problem, the first one raised.

    The secret-key rule is Django's own (security.W009): at least 50 characters, at least 5 distinct
    ones, and not one of Django's generated insecure keys.
    """
    if debug:
        raise ImproperlyConfigured("HALL_ENV=production refuses DEBUG=1: unset DEBUG or set DEBUG=0.")
    if (
        not secret_key
        or secret_key == DEVELOPMENT_SECRET_KEY
        or secret_key.startswith("django-insecure-")
        or len(secret_key) < 50
        or len(set(secret_key)) < 5
    ):
        raise ImproperlyConfigured(
            "HALL_ENV=production needs a strong SECRET_KEY (at least 50 random characters, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`)."
        )
    real_hosts = [h for h in allowed_hosts if h not in {"*", "localhost", "127.0.0.1", "[::1]"}]
    if not real_hosts or "*" in allowed_hosts:
        raise ImproperlyConfigured(
            "HALL_ENV=production needs ALLOWED_HOSTS set to the hall's real host names "
            "(comma-separated, no '*')."
        )
