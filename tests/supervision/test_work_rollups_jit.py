"""The day's roll-up statement runs with PostgreSQL's JIT off: its cost estimate switches JIT inlining
and optimisation on, and compiling it cost more than running it (13.4 s of 14.1 s on a day of 5,000
filings). Off only inside the refresh's transaction: the session keeps its setting."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.supervision import rollups
from apps.supervision.models import WorkRollup
from tests.factories.cases import accept_filing, make_filing, window_hall
from tests.supervision.work_world import DAY_1, DAY_2, at

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _jit_at_the_insert(refresh) -> list[str]:
    """The jit setting as each roll-up INSERT runs (read on the same connection just before it)."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        if sql.startswith(f"INSERT INTO {WorkRollup._meta.db_table}"):
            with context["connection"].connection.cursor() as raw:
                raw.execute("SHOW jit")
                seen.append(raw.fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        refresh()
    return seen


@pytest.mark.parametrize(
    "refresh",
    [lambda: rollups.refresh_days([DAY_1, DAY_2]), lambda: rollups.rebuild(DAY_1, DAY_2)],
    ids=["refresh_days", "rebuild"],
)
def test_the_roll_up_runs_without_jit_and_leaves_the_session_as_it_was(refresh):
    with at(DAY_1, 8):
        centre, item, _material, window, clerk = window_hall()
    with at(DAY_1, 9):
        accept_filing(make_filing(items=[item], centre=centre, window=window, clerk=clerk))
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
    with at(DAY_2, 9):
        assert _jit_at_the_insert(refresh) == ["off", "off"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("RESET jit")
    assert WorkRollup.objects.filter(day=DAY_1, dimension="centre", department=None).get().accepted == 1
