"""Rectification tickets (整改工单) on the desks: the department's list and ticket page on the approval
desk, the supervisors' on the supervision desk — one list and one ticket page, drawn in the desk of
the role the user holds for it. The steps offered on a ticket are its available transitions for the
user; what they post is checked by their forms (``apps.desks.forms.rectification``) and run through
``ACTIONS`` (``apps.desks.actions.dispatch``), calling the services the API calls
(``apps.feedback.tickets``)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.identifiers import mask_name, mask_phone
from apps.accounts.models import Department, Window
from apps.accounts.permissions import Perm
from apps.audit.requests import client_ip
from apps.desks.actions import Action, dispatch
from apps.desks.forms import rectification as forms
from apps.desks.forms.base import NoInput
from apps.desks.navigation import DESKS_BY_KEY
from apps.feedback import ticket_selectors as selectors
from apps.feedback import tickets as services
from apps.feedback.evidence import evidence_response

HANDLER, SUPERVISOR = "backoffice", "supervision"


# Each step the ticket's graph may offer (named after its transition): form, service, what is said.
ACTIONS = {
    "follow_up": Action(forms.FollowUpForm, services.record_follow_up, gettext_lazy("Follow-up recorded.")),
    "rectify": Action(
        forms.RectificationForm, services.record_rectification, gettext_lazy("Cause and measures recorded.")
    ),
    "submit": Action(NoInput, services.submit_ticket, gettext_lazy("Submitted for verification.")),
    "appeal": Action(forms.AppealForm, services.appeal_ticket, gettext_lazy("Appeal submitted.")),
    "close": Action(
        forms.VerificationForm, services.verify_ticket, gettext_lazy("Verified: the ticket is closed.")
    ),
    "send_back": Action(
        forms.SendBackForm, services.send_back_ticket, gettext_lazy("Sent back to the department.")
    ),
    "uphold_appeal": Action(
        forms.AppealDecisionForm,
        partial(services.decide_appeal, uphold=True),
        gettext_lazy("Appeal upheld: the rating no longer counts."),
    ),
    "dismiss_appeal": Action(
        forms.AppealDecisionForm,
        partial(services.decide_appeal, uphold=False),
        gettext_lazy("Appeal dismissed: the ticket is open again."),
    ),
}
# The ticket page includes the form of each step offered.
ACTION_FORMS = {name: f"desks/rectification/actions/{name}.html" for name in ACTIONS}


def _roles(user) -> set[str]:
    roles = set()
    if user.has_perm(Perm.USE_BACKOFFICE_DESK):
        roles.add(HANDLER)
    if user.has_perm(Perm.USE_SUPERVISION_DESK):
        roles.add(SUPERVISOR)
    if not roles:
        raise PermissionDenied
    return roles


def _desk_of(request, roles: set[str]) -> str:
    """The desk the list is drawn in: the only one the user has, or the one asked for (``?desk=``)."""
    asked = request.GET.get("desk")
    if asked in roles:
        return asked
    return HANDLER if HANDLER in roles else SUPERVISOR


def _tickets_of(user, desk: str):
    return selectors.tickets_for_handler(user) if desk == HANDLER else selectors.tickets_for_supervisor(user)


@login_required
@require_GET
def ticket_list(request):
    """The department's tickets (approvers, decision-makers), or the supervised ones (supervisors):
    tabs by state, overdue marked, filters by window, department and overdue."""
    roles = _roles(request.user)
    desk = _desk_of(request, roles)
    tickets = _tickets_of(request.user, desk)
    filters = selectors.Filters.from_query(request.GET)
    today = timezone.localdate()
    page = selectors.page_of(tickets, filters, request.GET.get("page"), today=today)
    kept = {k: v for k, v in request.GET.items() if k in ("desk", "overdue", "window", "department") and v}
    counts = selectors.tab_counts(tickets)
    context = {
        "desk": DESKS_BY_KEY[desk],
        "desk_key": desk,
        "other_desk": next(iter(roles - {desk}), None),
        "filters": filters,
        "tabs": [(key, label, counts[key]) for key, label in selectors.TAB_LABELS.items()],
        "page": page,
        "today": today,
        "tab_query": urlencode(kept),
        "page_query": urlencode({**kept, "tab": filters.tab}),
        "windows": Window.objects.filter(pk__in=tickets.values("window_id")).order_by("number"),
        "departments": _departments(tickets),
    }
    return render(request, "desks/rectification/list.html", context)


def _departments(tickets):
    return Department.objects.filter(pk__in=tickets.values("department_id")).order_by("name")


def _ticket(request, pk):
    _roles(request.user)
    return get_object_or_404(selectors.tickets_visible_to(request.user), pk=pk)


@login_required
@require_GET
def ticket_page(request, pk):
    """One ticket: the rating, the act, the filing, the applicant (masked; the phone in full on
    request, logged), what the department recorded, the appeal, the steps offered, the history."""
    ticket = _ticket(request, pk)
    user = request.user
    handles = selectors.tickets_for_handler(user).filter(pk=ticket.pk).exists()
    phone = None
    if request.GET.get("show") == "phone" and handles:
        phone = services.show_follow_up_phone(ticket, viewer=user, client_ip=client_ip(request))
    offered = [t.name for t in ticket.get_available_user_state_transitions(user)]
    desk = HANDLER if handles else SUPERVISOR
    # Why the department cannot submit yet, worded by the graph's condition (what is missing).
    waiting = None
    if handles and "follow_up" in offered and "submit" not in offered:
        from apps.audit.transitions import refusal

        refused = refusal(ticket, "submit", actor=user)
        waiting = str(getattr(refused, "message", refused)) if refused else None
    context = {
        "desk": DESKS_BY_KEY[desk],
        "desk_key": desk,
        "ticket": ticket,
        "rating": ticket.rating,
        "filing": ticket.rating.filing,
        "handles": handles,
        "phone": phone,
        "masked_phone": mask_phone(services.follow_up_phone(ticket)),
        "applicant": mask_name(ticket.rating.filing.applicant_name),
        # In the table's order (the follow-up first, the appeal after the rectification's steps).
        "actions": [ACTION_FORMS[name] for name in ACTIONS if name in offered],
        "waiting": waiting,
        "history": [
            (entry, selectors.TICKET_STEPS.get(entry.transition, entry.transition))
            for entry in selectors.history_of(ticket)
        ],
        "today": timezone.localdate(),
        "follow_up_form": forms.FollowUpForm(
            obj=ticket, initial={"followed_up_at": timezone.localtime().replace(second=0, microsecond=0)}
        ),
    }
    return render(request, "desks/rectification/ticket.html", context)


@login_required
@require_POST
def act(request, pk, action):
    ticket = _ticket(request, pk)
    return dispatch(
        request,
        ACTIONS,
        action,
        obj=ticket,
        context={"ticket_id": ticket.pk, "actor": request.user, "client_ip": client_ip(request)},
        back=reverse("desks:rectification_ticket", args=[ticket.pk]),
    )


@login_required
@require_GET
def evidence(request, pk):
    """The appeal's evidence, to the ticket's department and supervisors; every download logged."""
    return evidence_response(request, _ticket(request, pk))


@login_required
@require_GET
def summary(request):
    """The approval desk's line (loaded into it): the department's open tickets, how many are near
    or past due, and the most urgent."""
    if not request.user.has_perm(Perm.USE_BACKOFFICE_DESK):
        raise PermissionDenied
    context = {"summary": selectors.handler_summary(request.user), "today": timezone.localdate()}
    return render(request, "desks/rectification/_summary.html", context)


urlpatterns = [
    path("rectification/", ticket_list, name="rectification_tickets"),
    path("rectification/summary/", summary, name="rectification_summary"),
    path("rectification/<int:pk>/", ticket_page, name="rectification_ticket"),
    path("rectification/<int:pk>/evidence/", evidence, name="rectification_evidence"),
    path("rectification/<int:pk>/<str:action>/", act, name="rectification_act"),
]
