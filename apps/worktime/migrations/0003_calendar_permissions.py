"""Give the catalogue admin role the calendar's permissions (see apps.accounts.roles)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from apps.accounts.roles import sync_role_groups

    sync_role_groups(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("worktime", "0002_seed_statutory_calendar"), ("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
