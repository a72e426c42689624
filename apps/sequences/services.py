"""Gap-free numbers that people see (filing, notice and certificate numbers).

A database SEQUENCE is not gap-free: a rolled-back transaction burns its value. A counter row
incremented in the caller's transaction is: the increment commits or rolls back together with the
number's use. The row stays locked until that transaction ends, so numbers of one series are handed
out one transaction at a time (keep those transactions short); other series are not held up.
"""

from django.db import connection, transaction

from apps.sequences.models import Counter


def next_value(series: str) -> int:
    """The next number of ``series`` (1 for a new series), inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside the transaction that uses the number")
    table = Counter._meta.db_table
    with connection.cursor() as cursor:
        # One statement on PostgreSQL and SQLite ≥ 3.35: insert the series or increment it, locked.
        cursor.execute(
            f"INSERT INTO {table} (series, value) VALUES (%s, 1) "  # noqa: S608 (table name only)
            f"ON CONFLICT (series) DO UPDATE SET value = {table}.value + 1 RETURNING value",
            [series],
        )
        return cursor.fetchone()[0]
