"""The seal use log (用印登记) is append-only in the database itself: triggers refuse UPDATE and
DELETE, whatever code (or person at a SQL prompt) tries."""

from django.db import migrations

TABLE = "certificates_sealuse"

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the seal use log is append-only'; END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()""",
]
SQLITE = [
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the seal use log is append-only'); END""",
    f"""CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the seal use log is append-only'); END""",
]


def forwards(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_append_only()")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
