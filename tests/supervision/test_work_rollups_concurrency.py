"""Two refreshes of the work roll-ups at once (two beat workers, or a worker and a rebuild), on
PostgreSQL where they really overlap: each day is written once — no duplicated all-departments rows
(NULL departments do not collide in the unique constraint), no refresh failing on the other's rows."""

from __future__ import annotations

from collections import Counter

import pytest

from apps.supervision import rollups
from apps.supervision.models import WorkRollup
from tests.concurrency import together
from tests.factories.cases import accept_filing, make_filing, window_hall
from tests.supervision.work_world import DAY_1, DAY_2, at

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_refreshes_at_once_write_each_day_once():
    with at(DAY_1, 8):
        centre, item, _material, window, clerk = window_hall()
    with at(DAY_1, 9):
        for _n in range(3):
            accept_filing(make_filing(items=[item], centre=centre, window=window, clerk=clerk))
    with at(DAY_2, 9):
        results = together(rollups.refresh, rollups.refresh, lambda: rollups.rebuild(DAY_1, DAY_2))
    assert [type(result) for result in results] == [dict, dict, int], results
    keys = Counter(WorkRollup.objects.values_list("day", "centre_id", "department_id", "dimension", "key"))
    assert keys and max(keys.values()) == 1
    [centre_row] = WorkRollup.objects.filter(day=DAY_1, department=None, dimension="centre")
    assert centre_row.decided_window == centre_row.accepted == 3
