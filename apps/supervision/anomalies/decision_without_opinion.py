"""A decision with no opinion recorded (审批无意见)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone

from apps.audit.models import TransitionLog
from apps.cases.models import Case, ReviewOpinion
from apps.supervision.anomalies.decided_late import DECISIONS
from apps.supervision.anomalies.findings import Finding, Window, iso
from apps.supervision.models import AnomalyRule

RULE = AnomalyRule.DECISION_WITHOUT_OPINION


def find(window: Window) -> list[Finding]:
    """A decision logged in the window (approve, deny, or a decision-maker's sign-off of either) with
    no opinion (``ReviewOpinion``) by the person who took it, written with it or after. The review
    services write the decider's opinion in the decision's own transaction, after its log row, when
    one is given (it is optional on the forms); nothing can be written on a decided case. So an
    opinion written earlier in review does not count: the rule asks that each deciding step says why
    (for a sign-off, the decision-maker's own words, not the approver's proposal). One finding per
    decision (fingerprint: the log row)."""
    decisions = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), transition__in=DECISIONS, at__lte=window.until
    )
    if window.since is not None:
        decisions = decisions.filter(at__gte=window.since)
    decisions = (
        decisions.annotate(case_pk=Cast("object_id", BigIntegerField()))
        .filter(
            ~Exists(
                ReviewOpinion.objects.filter(
                    case_id=OuterRef("case_pk"), author_id=OuterRef("actor_id"), at__gte=OuterRef("at")
                )
            )
        )
        .values_list("pk", "case_pk", "transition", "at", "actor__full_name", "actor__username")
    )
    decisions = list(decisions)
    cases = {
        row["pk"]: row
        for row in Case.objects.filter(pk__in=[d[1] for d in decisions]).values(
            "pk", "filing_id", "filing__centre_id", "department_id"
        )
    }
    return [
        Finding(
            rule=RULE,
            subject=Case,
            subject_id=case_pk,
            centre_id=cases[case_pk]["filing__centre_id"],
            department_id=cases[case_pk]["department_id"],
            filing_id=cases[case_pk]["filing_id"],
            day=timezone.localdate(at),
            detail={"transition": transition, "at": iso(at), "actor": full_name or username or ""},
            fingerprint=f"log:{log_pk}",
        )
        for log_pk, case_pk, transition, at, full_name, username in decisions
        if case_pk in cases
    ]
