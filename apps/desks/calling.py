"""The calling panel (叫号) on the intake desk: the ticket the clerk's window holds, the buttons its
state offers (its graph's available transitions), call next, the skipped tickets still recallable,
transfer to another area, the waiting counts of the window's areas.

Answered in place (htmx: the panel), or, for a browser without script, as the intake desk with the
outcome as a message. Thin views over ``apps.visits.calling``, which checks who acts and where."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.identifiers import mask_identifier
from apps.accounts.permissions import Perm
from apps.accounts.roles import Role
from apps.accounts.selectors import centres_where
from apps.audit.requests import client_ip
from apps.cases import selectors as case_selectors
from apps.core.errors import Conflict, error_text
from apps.desks import calling_flags
from apps.desks.navigation import DESKS_BY_KEY
from apps.visits import calling
from apps.visits import calling_selectors as queue
from apps.visits.models import PriorityReason, Ticket

CLERK = Perm.USE_INTAKE_DESK


class Button:
    def __init__(self, label, shortcut: str, *, primary: bool = False):
        self.label, self.shortcut, self.primary = label, shortcut, primary

    @property
    def key(self) -> str:
        return self.shortcut.removeprefix("Key")


# The buttons of a held ticket's actions (``calling_selectors.window_actions``: what its graph offers).
BUTTONS = {
    "recall": Button(gettext_lazy("Call again"), "KeyR"),
    "start": Button(gettext_lazy("Start serving"), "KeyB", primary=True),
    "skip": Button(gettext_lazy("Not here (skip)"), "KeyS"),
    "finish": Button(gettext_lazy("Finish"), "KeyF", primary=True),
}
SERVICES = {
    "recall": calling.recall,
    "start": calling.start,
    "skip": calling.skip,
    "finish": calling.finish,
    "transfer": calling.transfer,
    "recall_skipped": calling.recall_skipped,
}
DONE = {
    "recall": gettext_lazy("Ticket %(ticket)s called again."),
    "start": gettext_lazy("Serving ticket %(ticket)s."),
    "skip": gettext_lazy("Ticket %(ticket)s skipped: it may be called back for a while."),
    "finish": gettext_lazy("Ticket %(ticket)s finished."),
    "transfer": gettext_lazy("Ticket %(ticket)s sent to area %(area)s."),
    "recall_skipped": gettext_lazy("Ticket %(ticket)s called back to your window."),
}


class AreaForm(forms.Form):
    area = forms.IntegerField(label=gettext_lazy("Service area"), min_value=1, max_value=2**31 - 1)


def _window(request):
    window = case_selectors.desk_window(request.user)
    if window is None:
        raise PermissionDenied(_("You have no window: ask an administrator to assign your usual window."))
    return window


def panel_context(window, *, now=None) -> dict:
    now = now or timezone.now()
    areas = queue.window_areas(window.pk, now=now)
    current = queue.current_ticket(window.pk, now=now)
    actions, targets, priority_labels = [], [], []
    if current is not None:
        priority_labels = [PriorityReason(reason).label for reason in current.priority_reasons]
        current.masked_id_number = mask_identifier(current.id_number)
        names = queue.window_actions(current)
        actions = [(name, BUTTONS[name]) for name in names if name in BUTTONS]
        if "transfer" in names:
            targets = list(queue.transfer_targets(current))
    return {
        "window": window,
        "current": current,
        "filings": list(current.filings.only("pk", "number", "state")) if current else [],
        "priority_labels": priority_labels,
        # A new filing opened now is linked to the ticket (intake.new_filing).
        "linkable": current is not None and current.state in queue.HELD,
        "actions": actions,
        "targets": targets,
        "areas": areas,
        "waiting": sum(area.waiting for area in areas),
        "recallable": list(queue.recallable([area.pk for area in areas], now=now)),
    }


def _answer(request, window, *, done: str = "", error: str = ""):
    """The panel again (htmx), with what happened; else the intake desk, with it as a message."""
    if request.htmx:
        context = panel_context(window) | {"done": done, "error": error}
        return render(request, "desks/calling/_panel.html", context)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect("desks:intake")


@login_required
@permission_required(CLERK, raise_exception=True)
def panel(request):
    """The window's panel: a fragment for the intake desk (htmx), or a page of its own."""
    window = _window(request)
    context = panel_context(window)
    if request.htmx:
        return render(request, "desks/calling/_panel.html", context)
    return render(request, "desks/calling/page.html", context | {"desk": DESKS_BY_KEY["intake"]})


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def call_next(request):
    window = _window(request)
    area = request.POST.get("area", "")
    if area and not (area.isdigit() and len(area) < 10):
        return _answer(request, window, error=_("Choose one of your window's service areas."))
    try:
        ticket = calling.call_next(
            window_id=window.pk,
            actor=request.user,
            area_id=int(area) if area else None,
            client_ip=client_ip(request),
        )
    except (ValidationError, Conflict, PermissionDenied) as error:
        return _answer(request, window, error=error_text(error))
    if ticket is None:
        return _answer(request, window, done=_("Nobody is waiting."))
    return _answer(request, window, done=_("Ticket %(ticket)s called.") % {"ticket": ticket.number})


@login_required
@permission_required(CLERK, raise_exception=True)
@require_POST
def act(request, pk, action):
    """One of a ticket's actions, as the panel offered it (a stale page's action is refused in the
    ticket's words, nothing done)."""
    window = _window(request)
    ticket = get_object_or_404(
        Ticket.objects.filter(centre_id__in=centres_where(request.user, Role.CLERK)).select_related("area"),
        pk=pk,
    )
    if action not in SERVICES:
        raise PermissionDenied
    arguments = {}
    if action == "transfer":
        form = AreaForm(request.POST)
        if not form.is_valid():
            return _answer(request, window, error=_("Choose the service area to send the ticket to."))
        arguments["area_id"] = form.cleaned_data["area"]
    if action == "recall_skipped":
        arguments["window_id"] = window.pk
    try:
        done = SERVICES[action](
            ticket_id=ticket.pk, actor=request.user, client_ip=client_ip(request), **arguments
        )
    except (ValidationError, Conflict, PermissionDenied) as error:
        return _answer(request, window, error=error_text(error))
    return _answer(request, window, done=DONE[action] % {"ticket": done.number, "area": done.area.prefix})


urlpatterns = [
    path("intake/calling/", panel, name="calling"),
    path("intake/calling/call-next/", call_next, name="calling_call_next"),
    path("intake/calling/tickets/<int:pk>/<str:action>/", act, name="calling_act"),
    # Putting a ticket first (优先: disabled, green channel), from the panel: ticketing's form.
    *calling_flags.urlpatterns,
]
