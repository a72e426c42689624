"""The first-time pass rate across a window's resubmission (一次性告知 answered at the window,
``open_filing(resubmission_of=…)``), as across the portal's: the returned filing is one first decision,
not passed; its resubmission, accepted, is no first decision — whatever the channel."""

from __future__ import annotations

import pytest

from apps.cases import services
from apps.cases.codes import MaterialStatus
from apps.supervision import rollups
from apps.supervision.models import Dimension, WorkRollup
from tests.factories.cases import PERSON, window_hall
from tests.supervision.work_world import DAY_1, DAY_2, at

pytestmark = pytest.mark.django_db


def test_a_window_resubmission_is_no_first_decision():
    with at(DAY_1, 8):
        centre, item, material, window, clerk = window_hall()
    acting = {"actor": clerk, "window": window}
    with at(DAY_1, 9):
        first = services.open_filing(centre=centre, applicant=PERSON, item_ids=[item.pk], **acting)
        services.return_for_completion(
            filing_id=first.pk, corrections=[{"material": material.pk, "reason": "身份证过期"}], **acting
        )
    with at(DAY_2, 9):
        again = services.open_filing(
            centre=centre, applicant=PERSON, item_ids=[item.pk], resubmission_of=first, **acting
        )
        services.accept(
            filing_id=again.pk,
            materials=[services.MaterialRecord(material.pk, MaterialStatus.ORIGINAL)],
            **acting,
        )
    rollups.rebuild(DAY_1, DAY_2)
    rows = {
        row.day: row
        for row in WorkRollup.objects.filter(department=None, dimension=Dimension.CENTRE, key=centre.pk)
    }
    day_1, day_2 = rows[DAY_1], rows[DAY_2]
    assert (day_1.returned, day_1.first_decisions, day_1.first_time_passed) == (1, 1, 0)
    assert (day_2.accepted, day_2.first_decisions, day_2.first_time_passed) == (1, 0, 0)
    assert day_1.decided_window == day_2.decided_window == 1
