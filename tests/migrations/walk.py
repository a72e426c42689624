"""Walk a fresh, empty database through the migration history and print what the data migrations
left at each stage, as one JSON object on stdout.

Run by test_migrations.py in a process of its own (``python -m tests.migrations.walk '<release
nodes as JSON>'``) with DATABASE_URL naming a database created for it, so that the walk neither sees
nor disturbs the test database. Rows are read with plain SQL, not the models: the models are the
latest code, the tables at a stage are not.

Stages:
  from_zero       every migration applied from an empty database (MigrationExecutor: no post_migrate)
  at_release      migrated back to the previous release's last migrations
  release_synced  the role groups as that release's `migrate` left them (its post_migrate synced the
                  groups to the release's role table, which accounts 0002 keeps frozen)
  upgraded        migrated forward again to the latest migrations
  migrate_command `manage.py migrate` (post_migrate: the live role table, the live calendar seeding)
"""

import importlib
import json
import sys

import django


def main(release_nodes: list[tuple[str, str]]) -> dict:
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def executor():
        return MigrationExecutor(connection)  # afresh: an executor caches what is applied

    stages = {}
    latest = executor().loader.graph.leaf_nodes()
    executor().migrate(latest)
    stages["from_zero"] = snapshot(connection)

    executor().migrate(release_nodes)
    stages["at_release"] = snapshot(connection)

    loader = executor().loader
    release_state = loader.project_state(list(loader.applied_migrations))
    role_groups = importlib.import_module("apps.accounts.migrations.0002_role_groups")
    with connection.schema_editor() as editor:
        role_groups.sync_frozen_role_groups(release_state.apps, editor)
    stages["release_synced"] = snapshot(connection)

    executor().migrate(latest)
    stages["upgraded"] = snapshot(connection)

    call_command("migrate", verbosity=0, interactive=False)
    stages["migrate_command"] = snapshot(connection)
    return stages


def snapshot(connection) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        applied: dict[str, list[str]] = {}
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
        cursor.execute(
            """
            SELECT g.name, p.id, ct.app_label, p.codename
            FROM auth_group g
            LEFT JOIN auth_group_permissions gp ON gp.group_id = g.id
            LEFT JOIN auth_permission p ON p.id = gp.permission_id
            LEFT JOIN django_content_type ct ON ct.id = p.content_type_id
            ORDER BY g.name, ct.app_label, p.codename
            """
        )
        groups: dict[str, dict[str, int]] = {}
        for group, permission_id, app_label, codename in cursor.fetchall():
            permissions = groups.setdefault(group, {})
            if permission_id is not None:
                permissions[f"{app_label}.{codename}"] = permission_id
        cursor.execute(
            """
            SELECT ct.app_label, p.codename FROM auth_permission p
            JOIN django_content_type ct ON ct.id = p.content_type_id
            """
        )
        permissions = sorted(f"{app_label}.{codename}" for app_label, codename in cursor.fetchall())
        cursor.execute("SELECT year, notice, entered_by_id FROM worktime_calendaryear ORDER BY year")
        years = [list(row) for row in cursor.fetchall()]
        cursor.execute("SELECT id, date, kind, name, source, centre_id FROM worktime_calendarday ORDER BY id")
        days = [[row[0], str(row[1]), *row[2:]] for row in cursor.fetchall()]
        cursor.execute("SELECT id, value FROM worktime_calendarversion ORDER BY id")
        versions = [list(row) for row in cursor.fetchall()]
    return {
        "applied": applied,
        "groups": groups,
        "permissions": permissions,
        "years": years,
        "days": days,
        "versions": versions,
    }


if __name__ == "__main__":
    nodes = [tuple(node) for node in json.loads(sys.argv[1])]
    json.dump(main(nodes), sys.stdout, ensure_ascii=False)
