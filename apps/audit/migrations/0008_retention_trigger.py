"""On PostgreSQL the database itself refuses to delete a log row younger than six months (183 days,
the legal floor of ``apps.audit.retention``), whatever SQL asks: a BEFORE DELETE trigger on both logs.
A longer HALL_AUDIT_RETENTION_DAYS is kept by the ORM and the archiving command. TRUNCATE is not
refused (the test suite empties tables with it); nothing in the hall truncates the logs. SQLite has
the ORM's refusal only."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_young_delete() RETURNS trigger AS $$
BEGIN
    IF OLD.at > now() - interval '183 days' THEN
        RAISE EXCEPTION 'audit: % row % (at %) is inside the retention period and cannot be deleted',
            TG_TABLE_NAME, OLD.id, OLD.at
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
"""
TABLES = ("audit_transitionlog", "audit_disclosurelog")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # its % are RAISE's, not parameters
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_retention BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_young_delete()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_retention ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_young_delete()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_anchor_existing_rows")]

    operations = [migrations.RunPython(create, drop)]
