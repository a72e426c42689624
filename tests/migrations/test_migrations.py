"""The migrations, run for real on an empty database of their own: from zero to the latest, and from
the previous release's last migrations to the latest (an upgrade), with the rows the data migrations
seed checked at each stage (tests/migrations/walk.py does the walking, in its own process).

The data migrations do not call live code (docs/architecture.md, "Migrations"): the role table and the
statutory calendar they write are frozen in the migrations, so the rows below must not change when
the roles or the chinesecalendar library do.
"""

import importlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.accounts.roles import ROLE_PERMISSIONS, group_name

ROOT = Path(__file__).resolve().parents[2]
FROZEN_CALENDAR = ROOT / "apps" / "worktime" / "migrations" / "0002_seed_statutory_calendar.json"

# The previous release (commit 3677dca): the last migration of each of the project's apps.
RELEASE = [
    ("accounts", "0005_account_identity_and_authorisations"),
    ("audit", "0003_disclosure_lookups"),
    ("cases", "0008_deadlines_and_escalations"),
    ("catalogue", "0002_catalogue_admin_permissions"),
    ("certificates", "0002_seal_use_append_only"),
    ("licences", "0002_electronic_certificate_library"),
    ("notifications", "0003_certificate_desk_templates"),
    ("ops", "0001_initial"),
    ("sequences", "0001_initial"),
    ("worktime", "0003_calendar_permissions"),
]
ROLES = [
    "clerk",
    "approver",
    "decision_maker",
    "issuer",
    "seal_keeper",
    "supervisor",
    "catalogue_admin",
    "citizen",
]
# Rows checked by value, against the State Council's notices rather than against the frozen file.
STATUTORY_DAYS = [
    ("2004-01-01", "holiday", "元旦"),
    ("2015-09-03", "holiday", "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
    ("2020-01-30", "holiday", "春节"),  # the 2020 Spring Festival holiday, extended
    ("2025-10-08", "holiday", "国庆节"),
    ("2026-02-17", "holiday", "春节"),
    ("2026-02-14", "workday", "春节调休上班"),
    ("2026-10-10", "workday", "国庆节调休上班"),
]


@pytest.mark.postgresql
def test_the_migrations_on_postgresql(tmp_path):
    with postgresql_database() as url:
        check_walk(walk(url, tmp_path))


def test_the_migrations_on_sqlite(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL run covers it")
    check_walk(walk(f"sqlite:///{tmp_path / 'walk.sqlite3'}", tmp_path))


def walk(database_url: str, tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "HALL_ENV", "DEBUG"}}
    env.update(DATABASE_URL=database_url, HALL_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "tests.migrations.walk", json.dumps(RELEASE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    return json.loads(result.stdout)


class postgresql_database:
    """An empty database on the configured PostgreSQL server, dropped afterwards."""

    def __enter__(self) -> str:
        import psycopg2

        db = settings.DATABASES["default"]
        self.params = {
            "user": db["USER"],
            "password": db["PASSWORD"],
            "host": db["HOST"] or "127.0.0.1",
            "port": db["PORT"] or 5432,
        }
        self.name = f"hall_migrations_{uuid.uuid4().hex[:12]}"
        self.server = psycopg2.connect(dbname="postgres", **self.params)
        self.server.autocommit = True
        with self.server.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.name}"')
        p = self.params
        return f"postgres://{quote(p['user'])}:{quote(p['password'])}@{p['host']}:{p['port']}/{self.name}"

    def __exit__(self, *exc):
        with self.server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.server.close()


def check_walk(stages: dict) -> None:
    latest = set(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    frozen_days = [tuple(day) for day in json.loads(FROZEN_CALENDAR.read_text(encoding="utf-8"))["days"]]

    # From zero: the data migrations alone (no post_migrate) write the release's rows.
    from_zero = stages["from_zero"]
    assert applied_nodes(from_zero) >= latest
    assert sorted(from_zero["groups"]) == sorted(group_name(role) for role in ROLES)
    frozen_table = release_role_table()
    for role in ROLES:
        # Each group holds exactly the frozen table's permissions that the migrations created.
        expected = {p for p in frozen_table[role] if p in from_zero["permissions"]}
        assert set(from_zero["groups"][group_name(role)]) == expected, role
    catalogue_admin = from_zero["groups"]["role:catalogue_admin"]
    assert {"catalogue.publish_serviceitem", "licences.add_licencetype", "worktime.add_calendaryear"} <= set(
        catalogue_admin
    )
    assert "catalogue.delete_serviceitem" not in catalogue_admin
    assert set(from_zero["groups"]["role:supervisor"]) == {
        "accounts.use_supervision_desk",
        "ops.view_jobrun",
        "worktime.view_calendaryear",
    }
    assert "accounts.sign_off_decisions" in from_zero["groups"]["role:decision_maker"]
    check_statutory_calendar(from_zero, frozen_days)

    # Back to the previous release: its last migrations and nothing after them.
    at_release = stages["at_release"]
    for app, name in RELEASE:
        assert at_release["applied"][app][-1] == name, app
    assert at_release["groups"] == from_zero["groups"]
    assert at_release["days"] == from_zero["days"]

    # The release's own `migrate` had synced the groups to its role table: every permission held.
    release_synced = stages["release_synced"]
    for role in ROLES:
        assert set(release_synced["groups"][group_name(role)]) == set(frozen_table[role]), role

    # Upgrading keeps every group's permissions (renamed models keep their permission rows) and the
    # calendar, before any post_migrate handler runs.
    upgraded = stages["upgraded"]
    assert applied_nodes(upgraded) >= latest
    for group, permissions in release_synced["groups"].items():
        assert sorted(upgraded["groups"][group].values()) == sorted(permissions.values()), group
    assert upgraded["days"] == from_zero["days"]

    # `migrate` (post_migrate) brings the groups to the live role table; the calendar stays.
    final = stages["migrate_command"]
    for role, permissions in ROLE_PERMISSIONS.items():
        assert set(final["groups"][group_name(role)]) == set(permissions), role
    assert final["days"][: len(frozen_days)] == from_zero["days"]


def release_role_table() -> dict[str, list[str]]:
    return importlib.import_module("apps.accounts.migrations.0002_role_groups").ROLE_PERMISSIONS


def applied_nodes(stage: dict) -> set[tuple[str, str]]:
    return {(app, name) for app, names in stage["applied"].items() for name in names}


def check_statutory_calendar(stage: dict, frozen_days: list[tuple]) -> None:
    assert [year for year, _notice, _by in stage["years"]] == list(range(2004, 2027))
    assert {(notice, by) for _year, notice, by in stage["years"]} == {("chinese_calendar 1.11.0", None)}
    days = [(date, kind, name) for _id, date, kind, name, _source, _centre in stage["days"]]
    assert days == frozen_days
    assert len(days) == 771
    assert {(source, centre) for *_, source, centre in stage["days"]} == {("statutory", None)}
    assert sum(kind == "holiday" for _date, kind, _name in days) == 621
    for day in STATUTORY_DAYS:
        assert day in days
    assert stage["versions"] == [[1, 1]]
