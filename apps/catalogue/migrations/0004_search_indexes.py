"""Indexes for the catalogue search on PostgreSQL (issue 14): the guide's search matches names anywhere
(``LIKE '%食品经营%'``) and codes and pinyin initials by their start (``LIKE 'SPJY%'``). Without these,
every search and its result count read all the published items; with them, a search for a word of
three or more characters, a code or initials reads only the matching rows, in one bitmap scan OR-ing
the indexes (the department condition is a list of ids: see ``selectors.search_items``). A word of
two characters (许可) has no trigram and is still a scan: it matches much of the catalogue anyway.

PostgreSQL only, and not in the models' state: a trigram index (``pg_trgm``) and the
``varchar_pattern_ops`` operator class (prefix LIKE under a non-C collation) have no equivalent
elsewhere, and SQLite's scans stay as they were. ``pg_trgm`` is a trusted extension (PostgreSQL 13
and later): the role that owns the database may create it.
"""

from django.db import migrations

INDEXES = {
    # Without GIN's pending list (fastupdate): the catalogue is written rarely and read on every
    # search. Rows inserted in bulk (an import) would wait in that list until a vacuum, and meanwhile
    # the planner, pricing the list, scans the whole table instead of using the index.
    "item_name_trgm": "USING gin (name gin_trgm_ops) WITH (fastupdate = off)",
    "item_initials_prefix": "(name_initials varchar_pattern_ops)",
    "item_basic_code_prefix": "(basic_code varchar_pattern_ops)",
    "item_implementation_code_prefix": "(implementation_code varchar_pattern_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON catalogue_serviceitem {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_bundle_state_graph")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
