"""Settings whose value is one of a fixed set are checked when the settings load: a typo stops the
start-up with the variable, the value and the allowed values (hall/environment.py, env_choice)."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hall.environment import env_choice, env_rate
from tests.hall.test_production_guard import run_django

SETTINGS = Path(__file__).resolve().parents[2] / "hall" / "settings.py"

# Each enumerated setting, a typo of it, and the values it allows.
TYPOS = [
    ("HALL_ENV", "prod", ["development", "production"]),
    ("HALL_DEFICIENCY_LAPSE", "terminte", ["terminate", "escalate"]),
    ("HALL_DEFICIENCY_LAPSE", "Escalate", ["terminate", "escalate"]),
    ("HALL_LOG_LEVEL", "info", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    ("HALL_LOG_LEVEL", "VERBOSE", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
]


def load_settings(monkeypatch, tmp_path, **env):
    """Execute hall/settings.py afresh with these variables (the running settings stay as they are)."""
    monkeypatch.setenv("HALL_VAR_DIR", str(tmp_path))
    for name in ("HALL_ENV", "DEBUG", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize(("name", "typo", "allowed"), TYPOS)
def test_a_typo_in_an_enumerated_setting_stops_the_settings_naming_variable_value_and_choices(
    monkeypatch, tmp_path, name, typo, allowed
):
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(monkeypatch, tmp_path, **{name: typo})
    message = str(refused.value)
    assert message.startswith(f"{name}={typo!r}")
    for value in allowed:
        assert value in message


def test_the_allowed_values_are_taken_as_they_are(monkeypatch, tmp_path):
    loaded = load_settings(
        monkeypatch,
        tmp_path,
        HALL_DEFICIENCY_LAPSE="escalate",
        HALL_LOG_LEVEL="WARNING",
        HALL_ENV="development",
    )
    assert loaded["HALL_DEFICIENCY_LAPSE"] == "escalate"
    assert loaded["HALL_LOG_LEVEL"] == "WARNING"
    assert loaded["LOGGING"]["root"]["level"] == "WARNING"
    assert loaded["PRODUCTION"] is False


def test_unset_or_empty_means_the_default(monkeypatch, tmp_path):
    loaded = load_settings(monkeypatch, tmp_path, HALL_DEFICIENCY_LAPSE="")
    assert loaded["HALL_DEFICIENCY_LAPSE"] == "terminate"
    assert loaded["HALL_ENV"] == "development"


@pytest.mark.parametrize("rate", ["30 per minute", "30/Min", "30/mni", "/min", "0/min", "30"])
def test_a_malformed_verification_rate_stops_the_settings(monkeypatch, tmp_path, rate):
    # DRF parses the rate only at the first throttled request, where a typo was a server error.
    with pytest.raises(ImproperlyConfigured, match=r"^HALL_VERIFY_RATE="):
        load_settings(monkeypatch, tmp_path, HALL_VERIFY_RATE=rate)


@pytest.mark.parametrize("rate", ["30/min", "5/s", "100/hour", "1000/day", "2/minutes"])
def test_rates_the_throttle_understands_are_kept(monkeypatch, rate):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setenv("HALL_VERIFY_RATE", rate)
    assert env_rate("HALL_VERIFY_RATE", "30/min") == rate
    count, seconds = SimpleRateThrottle.parse_rate(None, rate)
    assert count > 0 and seconds > 0


def test_a_default_outside_the_choices_is_a_bug_in_the_settings():
    with pytest.raises(ValueError, match="HALL_X"):
        env_choice("HALL_X", "maybe", ("yes", "no"))


def test_the_server_refuses_to_start_on_a_typo(tmp_path):
    # The whole start-up path, as `make run` or the containers take it.
    result = run_django(["check"], HALL_DEFICIENCY_LAPSE="terminte", HALL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "HALL_DEFICIENCY_LAPSE='terminte'" in last
    assert "terminate, escalate" in last
