"""Two clerks linking new filings to the same returned filing at the same moment, on PostgreSQL where
the transactions really overlap: one link is made, the other is refused naming ``resubmission_of``
(the returned filing is locked while it is checked and linked), and no second filing is left behind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.roles import Role
from apps.cases import services
from apps.cases.models import Filing
from tests.concurrency import together
from tests.factories import make_staff
from tests.factories.cases import PERSON, at_window, make_filing, window_hall

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_clerks_at_once_link_one_resubmission():
    centre, item, material, window, clerk = window_hall()
    other_clerk = make_staff(Role.CLERK, centre=centre, window=window)
    first = make_filing(items=[item], window=window, clerk=clerk)
    services.return_for_completion(
        **at_window(first), filing_id=first.pk, corrections=[{"material": material.pk, "reason": "缺"}]
    )

    def by(user):
        return lambda: services.open_filing(
            centre=centre,
            window=window,
            actor=user,
            applicant=PERSON,
            item_ids=[item.pk],
            resubmission_of=first,
        )

    results = together(by(clerk), by(other_clerk))
    made = [r for r in results if isinstance(r, Filing)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert list(refused[0].message_dict) == ["resubmission_of"]
    assert made[0].number in refused[0].message_dict["resubmission_of"][0]
    assert list(Filing.objects.filter(resubmission_of=first)) == made
    assert Filing.objects.count() == 2  # the returned one and its one resubmission
