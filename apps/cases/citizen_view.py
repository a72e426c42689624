"""The online hall's reads of a citizen's filings: "my hall" (what needs doing first), a filing's
timeline and its working days left. The portal's pages and the API show these; the rules of who sees
which filing are ``selectors.filings_of_citizen``'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.models import TransitionLog
from apps.cases.codes import CASE_STEPS, FILING_STEPS, FilingState
from apps.cases.models import Case, CorrectionRequest, Filing
from apps.cases.notices.tracking import DepartmentProgress, department_progress
from apps.cases.selectors import filings_of_citizen
from apps.worktime import calendar

S = FilingState


class NextAction(models.TextChoices):
    """What the applicant must do next about a filing, most pressing first."""

    CORRECTION = "correction", gettext_lazy("Answer a correction request")  # 补正
    COMPLETION = "completion", gettext_lazy("Complete the materials and submit again")  # 一次性告知
    DEFICIENCY = "deficiency", gettext_lazy("Hand in the missing materials by the date promised")  # 容缺
    DRAFT = "draft", gettext_lazy("Finish and submit the draft")
    DELIVERY = "delivery", gettext_lazy("Choose how to receive the documents")
    DOCUMENTS = "documents", gettext_lazy("Collect the documents")
    NONE = "", gettext_lazy("Nothing to do: the hall is working on it")


# The order of my hall: what needs the applicant first, then what the hall is doing, then what is over.
_RANK = {action: n for n, action in enumerate(NextAction) if action != NextAction.NONE}
IN_PROGRESS_RANK, FINISHED_RANK = len(_RANK), len(_RANK) + 1
FINISHED = (S.REJECTED, S.WITHDRAWN, S.DELIVERED, S.CLOSED, S.TERMINATED)


def my_hall(user, on: dt.date | None = None) -> QuerySet[Filing]:
    """The citizen's filings (and their organisations'), each annotated with ``next_action`` (a
    ``NextAction`` value), ``action_due_on`` (the date it is due by: a correction's answer date, a
    容缺 commitment date), ``due_on`` (the promised completion date: the latest due date of its
    cases) and ``action_rank``; sorted by what needs action first, the most urgent date first, then
    the newest. Two queries for any number of filings (the account's organisations, then the rows;
    a paginator adds its count), answered from the citizen's and the applicant's indexes."""
    open_corrections = CorrectionRequest.objects.filter(case__filing=OuterRef("pk"), answered_at__isnull=True)
    resubmitted = Filing.objects.filter(resubmission_of=OuterRef("pk"))
    latest_due = (
        Case.objects.filter(filing=OuterRef("pk"))
        .values("filing")
        .annotate(latest=Max("due_on"))
        .values("latest")
    )
    # Each next action with its condition, in the order they are tested (the first that holds).
    actions = [
        (NextAction.DRAFT, Q(state=S.DRAFT)),
        (NextAction.CORRECTION, Exists(open_corrections)),
        (NextAction.COMPLETION, Q(state=S.RETURNED) & ~Exists(resubmitted)),
        (NextAction.DEFICIENCY, Q(state=S.ACCEPTED_WITH_DEFICIENCY, deficiency_cleared_at__isnull=True)),
        (NextAction.DELIVERY, Q(state=S.READY_FOR_ISSUE)),
        (NextAction.DOCUMENTS, Q(state=S.ISSUED)),
    ]
    # The rank and the due date from the same conditions, not from ``next_action`` (the database would
    # evaluate the whole CASE again inside each of their branches).
    ranks = [When(condition, then=Value(_RANK[action])) for action, condition in actions]
    return (
        filings_of_citizen(user, on)
        .select_related("bundle")
        .annotate(
            next_action=models.Case(
                *(When(condition, then=Value(action)) for action, condition in actions),
                default=Value(NextAction.NONE),
                output_field=models.CharField(),
            ),
            due_on=Subquery(latest_due, output_field=models.DateField()),
            action_rank=models.Case(
                *ranks,
                # Finished, or returned and resubmitted (the new filing carries the action).
                When(state__in=[*FINISHED, S.RETURNED], then=Value(FINISHED_RANK)),
                default=Value(IN_PROGRESS_RANK),
                output_field=models.IntegerField(),
            ),
            action_due_on=models.Case(
                When(
                    Q(state=S.ACCEPTED_WITH_DEFICIENCY, deficiency_cleared_at__isnull=True)
                    & ~Exists(open_corrections),
                    then=F("commitment_date"),
                ),
                default=Subquery(open_corrections.order_by("answer_due_on").values("answer_due_on")[:1]),
                output_field=models.DateField(),
            ),
        )
        .order_by(
            "action_rank",
            F("action_due_on").asc(nulls_last=True),
            F("due_on").asc(nulls_last=True),
            "-created_at",
            "-pk",
        )
    )


def working_days_left(filing: Filing, on: dt.date | None = None) -> int | None:
    """Working days from today to the filing's promised completion date (the latest due date of its
    cases, at its centre's calendar); negative when overdue, None before it is accepted or once it is
    decided (no case running). Uses ``due_on`` if ``my_hall`` annotated it (no query then)."""
    if filing.state not in (S.ACCEPTED, S.ACCEPTED_WITH_DEFICIENCY):
        return None
    due_on = getattr(filing, "due_on", None)
    if due_on is None:
        due_on = filing.cases.aggregate(latest=Max("due_on"))["latest"]
    if due_on is None:
        return None
    return calendar.working_days_between(on or timezone.localdate(), due_on, filing.centre_id)


# --- the timeline ------------------------------------------------------------------------------

# The applicant's own edits of a draft and the back office's internal hand-offs are not steps of the
# applicant's timeline (the staff log keeps them all).
HIDDEN_STEPS = {
    "upload",
    "remove_upload",
    "use_e_certificate",
    "drop_e_certificate",
    "declare",
    "record_materials",
    "claim",
    "release",
    "send_back",
    "escalation_acknowledged",
    "escalation_resolved",
    "request_issue",
    "cancel_issue",
}


@dataclass(frozen=True)
class TimelineStep:
    at: dt.datetime
    step: str  # the logged step's name ("submit", "accept", "request_correction" …)
    label: str
    by: str  # who, as the applicant is told: "the applicant", "window A01", a department
    item: str = ""  # the case's item, for a case's step
    comment: str = ""


@dataclass(frozen=True)
class Timeline:
    steps: list[TimelineStep]
    departments: list[DepartmentProgress]  # each department's progress (one row per case)


def filing_timeline(filing: Filing) -> Timeline:
    """Every step of the filing and of its cases, oldest first, each with its date and who acted —
    the applicant, a window (by its number) or a department (by its name), never a staff member's
    name — and each department's progress (a bundle has several). Three queries."""
    if "cases" in getattr(filing, "_prefetched_objects_cache", {}):
        # The page read them already (with their clock, department and item): no query again.
        cases = sorted(filing.cases.all(), key=lambda case: case.pk)
    else:
        cases = list(filing.cases.select_related("clock", "department", "item").order_by("pk"))
    by_case = {str(case.pk): case for case in cases}
    types = ContentType.objects.get_for_models(Filing, Case)
    logs = TransitionLog.objects.filter(
        Q(content_type=types[Filing], object_id=str(filing.pk))
        | Q(content_type=types[Case], object_id__in=list(by_case))
    ).order_by("at", "pk")
    applicants = {filing.citizen_id} - {None}
    steps = []
    for log in logs:
        if log.transition in HIDDEN_STEPS:
            continue
        case = by_case.get(log.object_id) if log.content_type_id == types[Case].pk else None
        labels = CASE_STEPS if case else FILING_STEPS
        steps.append(
            TimelineStep(
                at=log.at,
                step=log.transition,
                label=str(labels.get(log.transition, log.transition)),
                by=_who(log, case, applicants),
                item=case.item.name if case else "",
                comment=log.comment if log.transition in PUBLIC_COMMENTS else "",
            )
        )
    return Timeline(steps=steps, departments=department_progress(cases))


# Steps whose comment is written for the applicant (their withdrawal's reason, a refusal's, what to correct).
PUBLIC_COMMENTS = {"withdraw", "refuse", "request_correction"}


def _who(log: TransitionLog, case: Case | None, applicants: set) -> str:
    if log.actor_id is not None and log.actor_id in applicants:
        return _("Applicant")
    if case is not None:
        return case.department.name if log.actor_id else _("The hall's rules")
    window = (log.context or {}).get("window")
    if window:
        return _("Window %(number)s") % {"number": window}
    if log.actor_id is None:
        return _("The hall's rules")
    return _("Service centre")
