"""Give the catalogue admin role the calendar's permissions: the role table frozen in accounts 0002,
not the live one (a migration writes the same rows whatever the code says when it runs)."""

import importlib

from django.db import migrations


def sync_roles(apps, schema_editor):
    role_groups = importlib.import_module("apps.accounts.migrations.0002_role_groups")
    role_groups.sync_frozen_role_groups(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("worktime", "0002_seed_statutory_calendar"), ("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
