import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hall.environment import DEVELOPMENT_SECRET_KEY, check_production_settings

ROOT = Path(__file__).resolve().parents[2]
STRONG = "p9Vq3mZx7Lr2Tk8Wn4Hs6Jd1Fb5Gc0Ye-Ua_Qo3Ri7Ev2Np9Mt4Lk8Xw"


def run_django(args, **env):
    full_env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret", ["", "short-key", DEVELOPMENT_SECRET_KEY, "django-insecure-" + "x" * 60, "ab" * 40]
)
def test_weak_secret_keys_are_refused(secret):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        check_production_settings(secret_key=secret, allowed_hosts=["hall.example.gov.cn"], debug=False)


@pytest.mark.parametrize("hosts", [[], ["*"], ["localhost", "127.0.0.1"], ["hall.example.gov.cn", "*"]])
def test_missing_or_wildcard_hosts_are_refused(hosts):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        check_production_settings(secret_key=STRONG, allowed_hosts=hosts, debug=False)


def test_debug_is_refused_in_production():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        check_production_settings(secret_key=STRONG, allowed_hosts=["hall.example.gov.cn"], debug=True)


def test_a_strong_configuration_passes():
    check_production_settings(secret_key=STRONG, allowed_hosts=["hall.example.gov.cn"], debug=False)


def test_production_mode_refuses_to_start_with_a_weak_secret_in_one_line(tmp_path):
    result = run_django(
        ["check"],
        HALL_ENV="production",
        SECRET_KEY="changeme",
        ALLOWED_HOSTS="hall.example.gov.cn",
        HALL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "needs a strong SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        HALL_ENV="production",
        SECRET_KEY=STRONG,
        ALLOWED_HOSTS="hall.example.gov.cn",
        HALL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
