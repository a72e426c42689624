"""The demo's supervision desk (apps/demo/seeding/supervision.py): months of work decided, issued and
rolled up, cases at each warning level today, anomalies found, seeded once. The counts below are the
seed's plan added up by hand, not read back from the roll-up code."""

from collections import Counter

import pytest
from django.db.models import Sum

from apps.accounts.models import ServiceCentre, User
from apps.cases.codes import FilingState
from apps.cases.models import OPEN_CASE, Case, Escalation, EscalationReason, Filing
from apps.demo.seeding import supervision
from apps.demo.seeding.catalogue import seed_catalogue
from apps.demo.seeding.certificates import seed_certificate_desk
from apps.demo.seeding.organisation import CITY, seed_organisation
from apps.supervision.models import Anomaly, Dimension, WorkRollup

pytestmark = pytest.mark.django_db

SEEDED = {"applicant_id_number__startswith": "350103"}  # the supervision demo's applicants


def test_the_supervision_demo_is_seeded_once_with_months_of_work_cases_at_risk_and_anomalies():
    seed_organisation()
    seed_catalogue()
    seed_certificate_desk()  # the unified desk's rules and seals: the history is issued
    [line] = supervision.seed_supervision(CITY["name"])
    assert "/supervision/" in line

    # Twenty decided by the back office, and the one returned and answered at the window.
    decided = supervision.HISTORY + 1
    history = Case.objects.filter(filing__applicant_id_number__startswith="350103", decided_at__isnull=False)
    assert history.count() == decided
    assert history.filter(state="denied").count() == len(supervision.DENIED)
    assert len({(case.decided_at.year, case.decided_at.month) for case in history}) >= 3
    # Every decided filing went through the unified desk: none is left waiting for issue.
    assert not Filing.objects.filter(state=FilingState.READY_FOR_ISSUE, **SEEDED).exists()
    assert Filing.objects.filter(state=FilingState.CLOSED, **SEEDED).count() == decided

    # The roll-ups hold the plan's work, counted here from the plan.
    city = ServiceCentre.objects.get(name=CITY["name"])
    names = (
        "cases_decided",
        "cases_on_time",
        "returned",
        "refused",
        "withdrawn",
        "accepted",
        "first_decisions",
        "first_time_passed",
        "documents_posted",
        "documents_collected",
        "extensions",
        "suspensions_special",
    )
    totals = WorkRollup.objects.filter(
        centre=city, department__isnull=True, dimension=Dimension.CENTRE, key=city.pk
    ).aggregate(**{name: Sum(name) for name in names})
    # history, answered, returned twice, returned, refused, withdrawn, open today
    filings = supervision.HISTORY + 2 + 2 + 3 + 2 + 1 + 10
    accepted = supervision.HISTORY + 1 + 1 + 10  # history, the answer, the withdrawn one, open today
    posted = len(range(0, supervision.HISTORY, 3))  # every third history filing is posted
    assert totals == {
        "cases_decided": decided,
        "cases_on_time": decided - len(supervision.LATE),
        "returned": 1 + 2 + 3,
        "refused": 2,
        "withdrawn": 1,
        "accepted": accepted,
        "first_decisions": filings - 2,  # the two resubmissions are no first decision
        "first_time_passed": accepted - 1,  # the answer was accepted, but not the first time
        "documents_posted": posted,
        "documents_collected": decided - posted,
        "extensions": 1,
        "suspensions_special": 2,
    }

    # Open today at each level, in more than one department; the overdue ones escalated by the
    # sweep, a red one early by the supervisor.
    open_cases = Case.objects.filter(state__in=OPEN_CASE, filing__applicant_id_number__startswith="350103")
    assert Counter(open_cases.values_list("warning", flat=True)) == {
        "overdue": 2,
        "red": 2,
        "yellow": 3,
        "normal": 3,
    }
    assert open_cases.exclude(warning="normal").values("department").distinct().count() >= 2
    reasons = Counter(Escalation.objects.filter(resolved_at__isnull=True).values_list("reason", flat=True))
    assert reasons == {EscalationReason.OVERDUE: 2, EscalationReason.RAISED_EARLY: 1}
    early = Escalation.objects.get(reason=EscalationReason.RAISED_EARLY)
    assert early.case.warning == "red" and early.opened_by == User.objects.get(username="supervisor")

    # The anomaly scan found what was planted, and nothing the seed did not mean.
    assert Counter(Anomaly.objects.values_list("rule", flat=True)) == {
        "decided_late": len(supervision.LATE),
        "decision_without_opinion": 1,
        "returned_twice": 1,
        "suspended_too_long": 1,  # the survey run past its planned end
        "bulk_clicking": 1,  # the clerk's five accepts in one second
    }

    counts = (Filing.objects.count(), WorkRollup.objects.count(), Anomaly.objects.count())
    assert supervision.seed_supervision(CITY["name"]) == []
    assert (Filing.objects.count(), WorkRollup.objects.count(), Anomaly.objects.count()) == counts
