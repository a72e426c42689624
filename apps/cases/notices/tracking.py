"""The public tracking page of a filing (办件进度查询), reached from the QR code on its notices.

No login: the address carries the filing's random tracking token, never its number or id, so a
page cannot be guessed from another. It shows no identity number, and a person's name masked; of
each case (one per department for a bundle) it shows the department, the item, how far it has come
and its dates — never who works on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.identifiers import mask_name
from apps.cases.codes import ApplicantKind, CaseState
from apps.cases.models import Filing
from apps.cases.notices.content import promised_completion

# A case's state as the public reads it: the back office's own words ("awaiting sign-off") mean
# little to an applicant. The tone colours the department's row (static/css/hall.css).
PUBLIC_STEPS = {
    CaseState.QUEUED: (_("Received, waiting for review"), "waiting"),
    CaseState.IN_REVIEW: (_("Under review"), "working"),
    CaseState.SUSPENDED: (_("Paused: waiting for a correction or a special procedure"), "waiting"),
    CaseState.AWAITING_DECISION: (_("Reviewed, decision being signed"), "working"),
    CaseState.APPROVED: (_("Approved"), "done"),
    CaseState.DENIED: (_("Denied"), "stopped"),
    CaseState.WITHDRAWN: (_("Withdrawn"), "stopped"),
    CaseState.TERMINATED: (_("Terminated"), "stopped"),
}
DECIDED = {CaseState.APPROVED, CaseState.DENIED, CaseState.WITHDRAWN, CaseState.TERMINATED}


@dataclass(frozen=True)
class DepartmentProgress:
    department: str
    item: str
    state: str
    step: str
    tone: str
    due_on: object
    decided_on: object

    @property
    def decided(self) -> bool:
        return self.state in DECIDED


# A tracking token (models.new_tracking_token: token_urlsafe, 32 characters) at the end of whatever
# was typed: the token alone, or the whole address printed at the foot of a notice.
TOKEN_AT_END = re.compile(r"([A-Za-z0-9_-]{16,64})/?$")


def masked_name(filing: Filing) -> str:
    """张* for a person (a public page must not name them); an organisation's name is public."""
    name = filing.applicant_name
    if filing.applicant_kind == ApplicantKind.ORGANISATION:
        return name
    return mask_name(name)


def department_progress(cases) -> list[DepartmentProgress]:
    rows = []
    for case in cases:
        step, tone = PUBLIC_STEPS[case.state]
        rows.append(
            DepartmentProgress(
                department=case.department.name,
                item=case.item.name,
                state=case.state,
                step=step,
                tone=tone,
                due_on=case.clock.due_on,
                decided_on=timezone.localdate(case.decided_at) if case.decided_at else None,
            )
        )
    return rows


@require_GET
@never_cache  # the state changes; a shared cache must not keep an old answer
def tracking(request, token):
    filing = get_object_or_404(Filing.objects.select_related("centre", "bundle"), tracking_token=token)
    cases = list(filing.cases.select_related("clock", "department", "item").order_by("pk"))
    promised, provisional = promised_completion([case.clock for case in cases])
    progress = department_progress(cases)
    context = {
        "filing": filing,
        "applicant": masked_name(filing),
        "items": [filed.item for filed in filing.items.select_related("item")],
        "promised": promised,
        "provisional": provisional,
        "progress": progress,
        "decided_count": sum(row.decided for row in progress),
        "notices": list(filing.notices.order_by("issued_at", "pk")),
    }
    response = render(request, "cases/tracking.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def find(request):
    """The home page's tracking form: the address or token typed from a notice, to its page. Makes
    no lookup itself: an unknown token is the tracking page's own 404."""
    match = TOKEN_AT_END.search((request.GET.get("address") or "").strip())
    if match is None:
        return redirect(reverse("desks:home") + "#track")
    return redirect("tracking:filing", match.group(1))
