"""The supervision desk's cases at risk (预警): the open yellow and red cases by department, and an
early escalation with a note.

A supervisor holds no role in the back office, so the approval desk's case page is not theirs: the
list's rows open the case's supervision page here (``desks:at_risk_case``) — what the case is, its
clock, who holds it, its escalations and history (the applicant's identity masked) — where the
early escalation is offered. Thin views over ``apps.supervision.at_risk`` and
``apps.cases.review.services.escalate_early``, cut by the supervisor's scope (another scope's case:
404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.identifiers import mask_identifier, mask_name
from apps.accounts.permissions import Perm
from apps.accounts.scopes import scope_of
from apps.accounts.selectors import memberships_of
from apps.audit.requests import client_ip
from apps.cases.codes import ApplicantKind
from apps.cases.models import Escalation
from apps.cases.review import services
from apps.core.downloads import refused_download, workbook_download
from apps.desks.actions import Action, run, tell
from apps.desks.forms.base import DeskForm, text
from apps.desks.navigation import DESKS_BY_KEY
from apps.supervision import at_risk as selectors
from apps.supervision.tables import workbook
from apps.worktime import calendar
from apps.worktime.warnings import WarningLevel

SUPERVISOR = Perm.USE_SUPERVISION_DESK


class EarlyEscalationForm(DeskForm):
    note = text(Escalation, "note", label=gettext_lazy("Why escalate"), required=True, multiline=True)


ESCALATE = Action(
    EarlyEscalationForm,
    services.escalate_early,
    gettext_lazy("Escalated: the department's supervisors and whoever holds the case are told."),
)


def _context(request, **extra) -> dict:
    return {
        "desk": DESKS_BY_KEY["supervision"],
        "memberships": memberships_of(request.user),
        "section": "at_risk",
        **extra,
    }


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def at_risk_page(request):
    """Counts by department and level, then the cases, most urgent first; filtered by department and
    level (a bad filter: 400 with the form's errors)."""
    departments = selectors.departments_in(scope_of(request.user))
    form = selectors.AtRiskForm(request.GET, departments=departments)
    result = None
    if form.is_valid():
        result = selectors.at_risk(form.query(departments), departments, page=request.GET.get("page"))
    page_query = request.GET.copy()
    page_query.pop("page", None)
    context = _context(
        request,
        form=form,
        result=result,
        tables=selectors.tables(result.by_department) if result else [],
        page=result.page if result else None,
        page_query=page_query.urlencode(),
        levels=[WarningLevel(level) for level in selectors.LEVELS],
    )
    return render(request, "desks/supervision/at_risk.html", context, status=200 if result else 400)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def at_risk_export(request):
    """The counts by department and level (the page's figure, for its filters) as an .xlsx."""
    departments = selectors.departments_in(scope_of(request.user))
    form = selectors.AtRiskForm(request.GET, departments=departments)
    if not form.is_valid():
        return refused_download(form)
    by_department, _per_level = selectors.counted(form.query(departments), departments)
    filename = f"at-risk-by-department-{timezone.localdate():%Y%m%d}.xlsx"
    return workbook_download(workbook(selectors.tables(by_department), about=form.about()), filename)


def _case(request, pk):
    case_in_scope = selectors.case_in_scope(scope_of(request.user))
    return get_object_or_404(
        case_in_scope.select_related("filing", "item", "department", "clock", "claimed_by"), pk=pk
    )


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def case_page(request, pk):
    """One case as its supervisor sees it, and the early escalation if it is open, at risk and has no
    open escalation."""
    case = _case(request, pk)
    return _case_page(request, case, EarlyEscalationForm(obj=case))


def _case_page(request, case, escalation_form, status=200):
    today = timezone.localdate()
    clock = case.clock
    escalations = list(
        case.escalations.select_related("opened_by", "acknowledged_by", "resolved_by").order_by(
            "-opened_at", "-pk"
        )
    )
    filing = case.filing
    open_escalation = next((e for e in escalations if e.resolved_at is None), None)
    # An open clock counts to today; a stopped one (decided, withdrawn …) stopped counting on the
    # day it stopped: how late it was then, never days overdue since.
    if clock.stopped_on is None:
        days_left = calendar.working_days_between(today, clock.due_on, clock.centre_id)
        late_days = None
    else:
        days_left = None
        late_days = max(calendar.working_days_between(clock.due_on, clock.stopped_on, clock.centre_id), 0)
    context = _context(
        request,
        case=case,
        filing=filing,
        clock=clock,
        applicant=mask_name(filing.applicant_name)
        if filing.applicant_kind == ApplicantKind.PERSON
        else filing.applicant_name,
        applicant_id=mask_identifier(filing.applicant_id_number),
        days_left=days_left,
        overdue_days=-days_left if days_left is not None else None,
        late_days=late_days,
        escalations=escalations,
        open_escalation=open_escalation,
        may_escalate=case.is_open
        and open_escalation is None
        and not (case.warning == WarningLevel.NORMAL == case.warning_on(today)),
        steps=selectors.case_steps(case),
        escalation_form=escalation_form,
    )
    return render(request, "desks/supervision/at_risk_case.html", context, status=status)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def escalate(request, pk):
    """Escalate early. A note the form refuses (blank, too long) is said at the field, the page drawn
    again with what was typed (400), not a message at the page's top over an emptied form; the
    service's refusals (an escalation open already, the case decided meanwhile) are the case's, said
    as messages on its page."""
    case = _case(request, pk)
    outcome = run(
        request,
        ESCALATE,
        obj=case,
        context={"case_id": case.pk, "actor": request.user, "client_ip": client_ip(request)},
    )
    if outcome.form.errors:
        return _case_page(request, case, outcome.form, status=400)
    tell(request, ESCALATE, outcome)
    return redirect("desks:at_risk_case", pk=case.pk)


urlpatterns = [
    path("supervision/at-risk/", at_risk_page, name="at_risk"),
    path("supervision/at-risk/export/", at_risk_export, name="at_risk_export"),
    path("supervision/at-risk/cases/<int:pk>/", case_page, name="at_risk_case"),
    path("supervision/at-risk/cases/<int:pk>/escalate/", escalate, name="at_risk_escalate"),
]
