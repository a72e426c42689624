import os
import re
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


DEMO_PASSWORD = "Hall#2026demo"  # noqa: S105 - the value of settings.HALL_DEMO_PASSWORD
VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    }
]
GOOD = {
    "secret_key": STRONG,
    "allowed_hosts": ["hall.example.gov.cn"],
    "debug": False,
    "verification_key": "",
    "demo_password": DEMO_PASSWORD,
    "lockout_enabled": True,
    "password_validators": VALIDATORS,
}


def guard(**overrides):
    check_production_settings(**{**GOOD, **overrides})


@pytest.mark.parametrize(
    "secret", ["", "short-key", DEVELOPMENT_SECRET_KEY, "django-insecure-" + "x" * 60, "ab" * 40]
)
def test_weak_secret_keys_are_refused(secret):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        guard(secret_key=secret)


@pytest.mark.parametrize(
    "secret",
    [
        "abcdefghij" * 6,  # a repeated pattern
        "p9Vq3mZx7Lr2Tk8W-p9Vq3mZx7Lr2Tk8W-p9Vq3mZx7Lr2Tk8W-p9Vq3m",  # the same chunk again and again
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0123456789",  # few distinct characters
        "my-very-long-production-secret-for-the-hall-2026-portal",
        "Password-p9Vq3mZx7Lr2Tk8Wn4Hs6Jd1Fb5Gc0Ye-Ua_Qo3Ri7Ev2",
        "changeme-p9Vq3mZx7Lr2Tk8Wn4Hs6Jd1Fb5Gc0Ye-Ua_Qo3Ri7Ev2N",
        "p9Vq3mZx7Lr2Tk8Wn4Hs6Jd1Fb5Gc0Ye-Ua_Qo3Ri7Ev2" + DEMO_PASSWORD,
    ],
)
def test_weak_looking_secret_keys_are_refused(secret):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        guard(secret_key=secret)


@pytest.mark.parametrize("key", [DEMO_PASSWORD, "changeme", "ab" * 40, STRONG[:-12] + DEMO_PASSWORD])
def test_a_weak_verification_key_is_refused(key):
    with pytest.raises(ImproperlyConfigured, match="HALL_VERIFICATION_KEY"):
        guard(verification_key=key)


def test_random_keys_as_generated_by_the_usual_tools_pass():
    import secrets

    for _ in range(50):
        guard(secret_key=secrets.token_urlsafe(64), verification_key=secrets.token_hex(32))
        guard(secret_key=secrets.token_hex(32))


@pytest.mark.parametrize("hosts", [[], ["*"], ["localhost", "127.0.0.1"], ["hall.example.gov.cn", "*"]])
def test_missing_or_wildcard_hosts_are_refused(hosts):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        guard(allowed_hosts=hosts)


ANY_ADDRESS = "0.0.0.0"  # noqa: S104 - the value under test, not a binding


@pytest.mark.parametrize(
    "wildcard", [ANY_ADDRESS, "[::]", "::", "*.example.gov.cn", ".example.gov.cn", ".gov.cn"]
)
def test_hosts_that_match_any_address_or_a_whole_domain_are_refused(wildcard):
    with pytest.raises(ImproperlyConfigured, match=f"ALLOWED_HOSTS.*{re.escape(wildcard)}"):
        guard(allowed_hosts=["hall.example.gov.cn", wildcard])


def test_debug_is_refused_in_production():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        guard(debug=True)


def test_a_disabled_lockout_is_refused_in_production():
    with pytest.raises(ImproperlyConfigured, match="HALL_LOCKOUT_ENABLED"):
        guard(lockout_enabled=False)


@pytest.mark.parametrize("minimum", [0, 6, 7])
def test_a_password_minimum_below_8_is_refused(minimum):
    validators = [{**VALIDATORS[0], "OPTIONS": {"min_length": minimum}}]
    with pytest.raises(ImproperlyConfigured, match="HALL_PASSWORD_MIN_LENGTH"):
        guard(password_validators=validators)


def test_no_minimum_length_rule_at_all_is_refused():
    with pytest.raises(ImproperlyConfigured, match="HALL_PASSWORD_MIN_LENGTH"):
        guard(password_validators=[])


def test_a_strong_configuration_passes():
    guard()
    guard(password_validators=[{**VALIDATORS[0], "OPTIONS": {"min_length": 8}}])


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


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HALL_LOCKOUT_ENABLED": "0"}, "HALL_LOCKOUT_ENABLED"),
        ({"HALL_PASSWORD_MIN_LENGTH": "6"}, "HALL_PASSWORD_MIN_LENGTH"),
        ({"HALL_VERIFICATION_KEY": DEMO_PASSWORD}, "HALL_VERIFICATION_KEY"),
        ({"ALLOWED_HOSTS": "hall.example.gov.cn,0.0.0.0"}, "ALLOWED_HOSTS"),
    ],
)
def test_production_mode_reads_each_rule_from_the_environment(tmp_path, env, message):
    result = run_django(
        ["check"],
        **{
            "HALL_ENV": "production",
            "SECRET_KEY": STRONG,
            "ALLOWED_HOSTS": "hall.example.gov.cn",
            "HALL_VAR_DIR": str(tmp_path),
            **env,
        },
    )
    assert result.returncode != 0
    assert message in result.stderr.strip().splitlines()[-1]


@pytest.fixture
def fast_hashing(settings):
    """Each password tried is a full hash; the hashing speed is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def deploy_errors():
    from django.core import checks

    return [
        message.id
        for message in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
        if message.level >= checks.ERROR
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_hashing")
def test_check_deploy_fails_while_an_account_logs_in_with_the_demo_password(settings):
    from apps.accounts.roles import Role
    from tests.factories import make_staff

    clerk = make_staff(Role.CLERK)
    assert deploy_errors() == []
    clerk.set_password(settings.HALL_DEMO_PASSWORD)
    clerk.save()
    assert deploy_errors() == ["demo.E001"]
    clerk.is_active = False
    clerk.save()
    assert deploy_errors() == []


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_hashing")
def test_check_deploy_fails_on_a_seeded_demo_account():
    from django.core.management import call_command

    from apps.demo.seeding.organisation import seed_organisation

    seed_organisation()
    with pytest.raises(Exception, match="demo.E001.*admin.*approver"):
        call_command("check", "--deploy", "--tag", "security")
