"""Reading configuration from the environment, and the production-mode guard.

All configuration comes from environment variables (12-factor); the defaults are the *embedded*
development set-up (SQLite file, Celery on a filesystem broker). Production mode refuses to start
on a configuration that would be unsafe, with a one-line explanation.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

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


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    """One of a fixed set of values, checked when the settings load: a typo stops the start-up with
    the variable, the value and the allowed values, instead of meaning something else at run time."""
    allowed = tuple(choices)
    if default not in allowed:
        raise ValueError(f"{name}: the default {default!r} is not one of {allowed}")  # a bug in settings.py
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    if raw.strip() not in allowed:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not an allowed value; use one of: {', '.join(allowed)}."
        )
    return raw.strip()


# The periods Django REST framework's throttles understand (it reads only the first letter).
_RATE_PERIODS = ("s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day")
_RATE_PERIODS_PLURAL = tuple(f"{p}s" for p in _RATE_PERIODS if len(p) > 1)


def env_rate(name: str, default: str) -> str:
    """A request rate for a DRF throttle, "<count>/<period>" (e.g. 30/min), checked when the settings
    load: the throttle parses it only at the first request, where a typo would be a server error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    count, _slash, period = raw.strip().partition("/")
    if not count.isdigit() or int(count) < 1 or period not in _RATE_PERIODS + _RATE_PERIODS_PLURAL:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate: use <count>/<period>, the period one of "
            f"{', '.join(_RATE_PERIODS)} (e.g. 30/min)."
        )
    return raw.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (CIDR), each checked when the settings load."""
    import ipaddress

    entries = env_list(name, [])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {entry!r} is not an IP address or network.") from exc
    return entries


# Words that say a secret was typed by a person, not generated (compared in lower case). None shorter
# than 6 letters: a random 86-character key would contain a 4-letter word once in a few thousand.
_SECRET_WORDS = (
    "secret",
    "password",
    "passwd",
    "changeme",
    "change-me",
    "insecure",
    "example",
    "default",
    "qwerty",
)
# Host names that let any Host header through: Django's wildcard and the "any address" forms.
_ANY_HOST = {"*", "0.0.0.0", "::", "[::]"}  # noqa: S104 - refused, not bound
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
_GENERATE = "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`"


def weak_secret_reason(secret: str, *, demo_password: str = "") -> str | None:
    """Why a secret looks typed or patterned rather than random (None: it looks random).

    Heuristics, not a proof: at least 50 characters (Django's security.W009), at least 12 distinct
    characters (a random hex key of 50 or more has about 16), no 6 characters repeated 3 times (4 would
    refuse about one random hex key in ten thousand), no word from _SECRET_WORDS and not the demo
    accounts' password.
    """
    lowered = secret.lower()
    if len(secret) < 50:
        return f"only {len(secret)} characters (at least 50)"
    if demo_password and demo_password.lower() in lowered:
        return "contains the demo accounts' password"
    word = next((w for w in _SECRET_WORDS if w in lowered), None)
    if word:
        return f"contains the word {word!r}"
    if len(set(secret)) < 12:
        return f"only {len(set(secret))} distinct characters (at least 12)"
    chunks = [secret[i : i + 6] for i in range(len(secret) - 5)]
    if any(chunks.count(chunk) >= 3 for chunk in set(chunks)):
        return "a repeated pattern"
    return None


def _min_password_length(validators: list[dict]) -> int:
    lengths = [
        (v.get("OPTIONS") or {}).get("min_length", 8)  # Django's default
        for v in validators
        if v["NAME"].endswith(".MinimumLengthValidator")
    ]
    return max(lengths, default=0)


def check_production_settings(
    *,
    secret_key: str,
    allowed_hosts: list[str],
    debug: bool,
    verification_key: str,
    demo_password: str,
    lockout_enabled: bool,
    password_validators: list[dict],
) -> None:
    """Refuse a production configuration that is unsafe. One line per problem, the first one raised.

    The rules and their reasons are in docs/security.md, "Headers and the production guard".
    """
    if debug:
        raise ImproperlyConfigured("HALL_ENV=production refuses DEBUG=1: unset DEBUG or set DEBUG=0.")
    if not secret_key or secret_key == DEVELOPMENT_SECRET_KEY:
        reason = "unset or the development key"
    else:
        reason = weak_secret_reason(secret_key, demo_password=demo_password)
    if reason:
        raise ImproperlyConfigured(
            f"HALL_ENV=production needs a strong SECRET_KEY ({reason}): generate one, e.g. {_GENERATE}."
        )
    if verification_key:
        reason = weak_secret_reason(verification_key, demo_password=demo_password)
        if reason:
            raise ImproperlyConfigured(
                f"HALL_ENV=production needs a strong HALL_VERIFICATION_KEY ({reason}), or leave it "
                f"unset to use SECRET_KEY: generate one, e.g. {_GENERATE}."
            )
    for host in allowed_hosts:
        if host in _ANY_HOST or "*" in host or host.startswith("."):
            raise ImproperlyConfigured(
                f"HALL_ENV=production refuses the ALLOWED_HOSTS entry {host!r}: it lets any host name (or "
                "every name under a domain) through; list the hall's own host names."
            )
    if not [h for h in allowed_hosts if h not in _LOCAL_HOSTS]:
        raise ImproperlyConfigured(
            "HALL_ENV=production needs ALLOWED_HOSTS set to the hall's real host names "
            "(comma-separated, no '*')."
        )
    if not lockout_enabled:
        raise ImproperlyConfigured(
            "HALL_ENV=production refuses HALL_LOCKOUT_ENABLED=0: repeated failed logins must lock."
        )
    minimum = _min_password_length(password_validators)
    if minimum < 8:
        raise ImproperlyConfigured(
            f"HALL_ENV=production needs HALL_PASSWORD_MIN_LENGTH of at least 8 (it is {minimum})."
        )
