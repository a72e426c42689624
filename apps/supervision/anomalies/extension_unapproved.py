"""An extension without an approved request (未经批准延期)."""

from __future__ import annotations

from django.db.models import Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import StaffMembership
from apps.accounts.roles import Role
from apps.cases.models import Case
from apps.supervision.anomalies.findings import Finding, Window, iso, logged
from apps.supervision.models import AnomalyRule
from apps.worktime.models import Extension

RULE = AnomalyRule.EXTENSION_UNAPPROVED


def find(window: Window) -> list[Finding]:
    """延长审批 is one act in the code (``apps.cases.review.services.extend``): a decision-maker of the
    case's department (the ``extend`` transition's permission) approves it, which writes an
    ``Extension`` (days, reason, ``approved_by``) and adds its days to the clock, within the item
    version's allowance (``max_extension_days``), and logs an ``extend`` step. A case is flagged when
    its clock does not match that:

    - ``unapproved_days``: the clock is extended by more working days than its Extension rows add up
      to (days added with no approval on record);
    - ``not_entitled``: an Extension approved in the window by someone who is not a decision-maker
      of the case's department (checked when it is approved: a role given up later is no finding);
    - ``beyond_allowance``: the clock's extension is more than the item version allows.

    Read: the cases whose log has a row in the window, in one query. One finding per case."""
    extensions = Extension.objects.filter(clock_id=OuterRef("clock_id"))
    approved_days = extensions.order_by().values("clock_id").annotate(total=Sum("days")).values("total")
    last_approved = extensions.order_by().values("clock_id").annotate(last=Max("approved_at")).values("last")
    entitled = StaffMembership.objects.filter(
        user_id=OuterRef("approved_by_id"),
        role=Role.DECISION_MAKER,
        department_id=OuterRef(OuterRef("department_id")),
    )
    in_window = extensions.filter(approved_at__lte=window.until)
    if window.since is not None:
        in_window = in_window.filter(approved_at__gte=window.since)
    rows = (
        Case.objects.filter(pk__in=logged(window, Case))
        .annotate(
            approved_days=Coalesce(Subquery(approved_days, output_field=IntegerField()), Value(0)),
            last_approved=Subquery(last_approved),
            not_entitled=Exists(in_window.filter(~Exists(entitled))),
        )
        .filter(
            Q(clock__extension_days__gt=F("approved_days"))
            | Q(not_entitled=True)
            | Q(clock__extension_days__gt=F("item__max_extension_days"))
        )
        .values(
            "pk",
            "filing_id",
            "filing__centre_id",
            "department_id",
            "clock__extension_days",
            "approved_days",
            "not_entitled",
            "last_approved",
            "item__max_extension_days",
        )
    )
    findings = []
    for row in rows:
        reasons = []
        if row["clock__extension_days"] > row["approved_days"]:
            reasons.append("unapproved_days")
        if row["not_entitled"]:
            reasons.append("not_entitled")
        if row["clock__extension_days"] > row["item__max_extension_days"]:
            reasons.append("beyond_allowance")
        last = row["last_approved"]
        findings.append(
            Finding(
                rule=RULE,
                subject=Case,
                subject_id=row["pk"],
                centre_id=row["filing__centre_id"],
                department_id=row["department_id"],
                filing_id=row["filing_id"],
                day=timezone.localdate(last) if last else window.today,
                detail={
                    "reasons": reasons,
                    "clock_days": row["clock__extension_days"],
                    "approved_days": row["approved_days"],
                    "allowance": row["item__max_extension_days"],
                    "last_approved_at": iso(last),
                },
            )
        )
    return findings
