"""An index for finding filings by applicant name on PostgreSQL (issue 15, item 4).

The desks and the API match a name anywhere in it, case-insensitively
(``UPPER(applicant_name) LIKE UPPER('%示范餐饮%')``): without a trigram index over that expression,
every such search reads all the filings in scope. The other ways of finding are served already: the
number by its start through the ``varchar_pattern_ops`` index Django makes for the unique number, the
identity number typed in full through ``filing_applicant``, an item through the items' own indexes.

Unlike the catalogue's (0004 there), GIN's pending list stays on: filings are written all day (an
accept a few milliseconds), and the list keeps each insert from updating the index's posting trees.
PostgreSQL only, and not in the models' state: SQLite's scans stay as they were. ``pg_trgm`` is
created by the catalogue's 0004 (a trusted extension), created here too if this runs first.
"""

from django.db import migrations

INDEXES = {
    "filing_applicant_name_trgm": "USING gin (UPPER(applicant_name) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_filing {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_drop_redundant_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
