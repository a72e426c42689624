"""The approval desk (后台审批台): queues, and the review workspace of one case. Thin views over
``apps.cases.review``; the actions offered are the case's available transitions for this user."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.audit.models import TransitionLog
from apps.audit.requests import client_ip
from apps.audit.selectors import history_of
from apps.cases.codes import CASE_STEPS, Channel
from apps.cases.models import Case, CorrectionRequest, Outcome, ReviewOpinion
from apps.cases.review import selectors, services
from apps.catalogue.models import ApprovalCategory
from apps.certificates import services as certificates
from apps.certificates.models import IssuedDocument
from apps.core.errors import Conflict
from apps.core.errors import error_text as _error_text
from apps.desks.posted import checked_text, ids_in_names, posted_text, whole_number
from apps.licences.models import STATUS_ON_LABELS, ElectronicCertificate
from apps.worktime import calendar
from apps.worktime.codes import SpecialProcedure
from apps.worktime.models import Extension, Suspension
from apps.worktime.warnings import WarningLevel

BACK_OFFICE = "accounts.use_backoffice_desk"
PAGE_SIZE = 25

# Each action the graph may offer has its form; the workspace includes the forms of the offered ones.
ACTION_FORMS = {
    name: f"desks/backoffice/actions/{name}.html"
    for name in (
        "claim",
        "release",
        "record_opinion",
        "request_correction",
        "start_special_procedure",
        "resume",
        "extend",
        "approve",
        "deny",
        "propose_decision",
        "sign_off_approval",
        "sign_off_denial",
        "send_back",
    )
}


QUEUE_LABELS = {
    selectors.Queue.UNCLAIMED: gettext_lazy("Unclaimed"),
    selectors.Queue.MINE: gettext_lazy("Claimed by me"),
    selectors.Queue.SIGN_OFF: gettext_lazy("Awaiting sign-off"),
    selectors.Queue.SUSPENDED: gettext_lazy("Suspended"),
    selectors.Queue.DECIDED: gettext_lazy("Decided recently"),
}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def desk_context(request) -> dict:
    """The queues: one shown (``?queue=``), filtered and paginated, with every queue's count."""
    get = request.GET
    name = get.get("queue") if get.get("queue") in selectors.Queue.ALL else selectors.Queue.UNCLAIMED
    filters = selectors.QueueFilters(
        category=whole_number(get.get("category")),
        warning=get.get("warning") if get.get("warning") in WarningLevel.values else None,
        channel=get.get("channel") if get.get("channel") in Channel.values else None,
        accepted_from=_date(get.get("accepted_from")),
        accepted_to=_date(get.get("accepted_to")),
    )
    page = Paginator(selectors.queue(request.user, name, filters), PAGE_SIZE).get_page(get.get("page"))
    page.object_list = selectors.rows_of(page.object_list)
    departments = selectors.departments_of(request.user)
    query = get.copy()
    query.pop("page", None)
    counts = selectors.queue_counts(request.user)
    return {
        "queue": name,
        "tabs": [(key, QUEUE_LABELS[key], counts.get(key)) for key in selectors.Queue.ALL],
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        # The categories of the departments' items (the catalogue is small; the cases are not).
        "categories": ApprovalCategory.objects.filter(items__department_id__in=departments)
        .distinct()
        .order_by("name"),
        "warning_levels": WarningLevel.choices,
        "channels": Channel.choices,
    }


def _case(request, pk):
    return get_object_or_404(selectors.case_detail(selectors.cases_visible_to(request.user)), pk=pk)


@login_required
@permission_required(BACK_OFFICE, raise_exception=True)
def case(request, pk):
    """The review workspace: everything about the case, and what this user may do now."""
    case = _case(request, pk)
    filing = case.filing
    # The identity number in full is shown here only, and every showing is logged.
    identity = services.show_applicant_identity(case, viewer=request.user, client_ip=client_ip(request))
    today = timezone.localdate()
    clock = case.clock
    # The graph alone says what this user may do now (no resume while a correction is open, no
    # sign-off of one's own proposal): its conditions and permissions.
    actions = [t.name for t in case.get_available_user_state_transitions(request.user)]
    context = {
        "case": case,
        "filing": filing,
        "identity": identity,
        "clock": clock,
        "warning": case.warning_on(today),
        "days_left": calendar.working_days_between(today, clock.due_on, clock.centre_id)
        if clock.due_on >= today
        else -calendar.working_days_between(clock.due_on, today, clock.centre_id),
        "history": [
            (entry, CASE_STEPS.get(entry.transition, entry.transition)) for entry in history_of(case)
        ],
        "actions": [ACTION_FORMS[name] for name in actions if name in ACTION_FORMS],
        "procedures": [
            (v, label) for v, label in SpecialProcedure.choices if v in (case.item.special_procedures or [])
        ],
        "today": today,
        **_issued_document(case, request.user),
    }
    return render(request, "desks/backoffice/case.html", context)


def _issued_document(case, user) -> dict:
    """What the certificate desk issued for the case, and whether this user may revoke it."""
    document = (
        IssuedDocument.objects.filter(case=case).select_related("library_entry__licence_type").first()
        if not case.is_open
        else None
    )
    entry = document.library_entry if document else None
    status = entry.status_on(timezone.localdate()) if entry else None
    return {
        "document": document,
        "document_status": STATUS_ON_LABELS[status] if status else None,
        "may_revoke": status == "valid" and certificates.may_revoke(user, document),
    }


@login_required
@permission_required(BACK_OFFICE, raise_exception=True)
@require_POST
def revoke_certificate(request, pk):
    """撤销 / 注销 the certificate issued for a case: a decision-maker of its department, with a reason."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    document = get_object_or_404(IssuedDocument, case=case)
    try:
        certificates.revoke(
            document_id=document.pk,
            actor=request.user,
            reason=posted_text(request.POST, "reason", ElectronicCertificate, "revocation_reason"),
            mode=request.POST.get("mode", "revoke"),
            client_ip=client_ip(request),
        )
    except (ValidationError, Conflict, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The certificate is revoked: the library and the verification page say so.")
        )
    return redirect("desks:backoffice_case", case.pk)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@login_required
@permission_required(BACK_OFFICE, raise_exception=True)
@require_POST
def act(request, pk, action):
    if action not in ACTION_FORMS:
        raise PermissionDenied
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    post = request.POST
    common = {"case_id": case.pk, "actor": request.user}
    ip = client_ip(request)
    try:
        if action == "claim":
            services.claim(client_ip=ip, **common)
        elif action == "release":
            reason = posted_text(post, "reason", TransitionLog, "comment")
            services.release(reason=reason, client_ip=ip, **common)
            return redirect("desks:backoffice")
        elif action == "record_opinion":
            services.record_opinion(text=posted_text(post, "text", ReviewOpinion), **common)
        elif action == "request_correction":
            items = [
                {
                    "material": material,
                    "what": checked_text(what, name=name, model=CorrectionRequest, field="items"),
                }
                for material, name, what in ids_in_names(post, "what_")
            ]
            other = posted_text(post, "other", CorrectionRequest, "items")
            items += [{"material": None, "what": line} for line in _lines(other)]
            note = posted_text(post, "note", CorrectionRequest)
            services.request_correction(items=items, note=note, client_ip=ip, **common)
        elif action == "start_special_procedure":
            services.start_special_procedure(
                procedure=post.get("procedure", ""),
                reason=posted_text(post, "reason", Suspension),
                planned_end_on=_date(post.get("planned_end_on")),
                client_ip=ip,
                **common,
            )
        elif action == "resume":
            services.resume(client_ip=ip, **common)
        elif action == "extend":
            reason = posted_text(post, "reason", Extension)
            services.extend(days=whole_number(post.get("days")) or 0, reason=reason, client_ip=ip, **common)
        elif action in ("approve", "deny", "propose_decision"):
            outcome = {"approve": Outcome.APPROVE, "deny": Outcome.DENY}.get(action) or post.get(
                "outcome", ""
            )
            services.decide(
                outcome=outcome,
                holder=posted_text(post, "holder", Case, "decision_holder"),
                scope=posted_text(post, "scope", Case, "decision_scope"),
                valid_from=_date(post.get("valid_from")),
                valid_until=_date(post.get("valid_until")),
                reasons=posted_text(post, "reasons", Case, "denial_reasons"),
                legal_basis=posted_text(post, "legal_basis", Case, "denial_legal_basis"),
                opinion=posted_text(post, "opinion", ReviewOpinion, "text"),
                client_ip=ip,
                **common,
            )
        elif action in ("sign_off_approval", "sign_off_denial"):
            services.sign_off(
                opinion=posted_text(post, "opinion", ReviewOpinion, "text"), client_ip=ip, **common
            )
        else:
            services.send_back(
                opinion=posted_text(post, "opinion", ReviewOpinion, "text"), client_ip=ip, **common
            )
    except (ValidationError, Conflict, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Done."))
    return redirect("desks:backoffice_case", case.pk)
