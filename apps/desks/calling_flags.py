"""Putting a person in the queue first from the calling panel (优先): a clerk names the ticket by its
number (the person shows it at the window or the reception) and the reason — a disabled person, or
the green channel (绿色通道, 重点项目) — with a note. Thin view over ``ticketing.flag_priority``
(which checks who flags); answered in the panel (htmx) or as the intake desk with a message."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.permissions import Perm
from apps.audit.requests import client_ip
from apps.core.errors import Conflict, error_text
from apps.visits import ticketing
from apps.visits.models import PriorityReason


class FlagForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Ticket number"), max_length=10)
    reason = forms.ChoiceField(
        label=gettext_lazy("Why first"),
        choices=[(reason.value, reason.label) for reason in ticketing.STAFF_REASONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


@login_required
@permission_required(Perm.USE_INTAKE_DESK, raise_exception=True)
@require_POST
def flag(request):
    # The panel's own window rule and answer (the panel's module lists these routes with its own, so
    # it is imported here, not at the top).
    from apps.desks import calling

    window = calling._window(request)
    form = FlagForm(request.POST)
    if not form.is_valid():
        return calling._answer(request, window, error=_("Give the ticket's number and why it goes first."))
    data = form.cleaned_data
    ticket = ticketing.open_ticket_numbered(window.centre_id, data["number"], day=timezone.localdate())
    if ticket is None:
        return calling._answer(
            request,
            window,
            error=_("No ticket %(number)s is in the queue today.") % {"number": data["number"]},
        )
    try:
        ticketing.flag_priority(
            ticket_id=ticket.pk,
            reason=data["reason"],
            note=data["note"],
            actor=request.user,
            client_ip=client_ip(request),
        )
    except (ValidationError, Conflict, PermissionDenied) as error:
        return calling._answer(request, window, error=error_text(error))
    done = _("Ticket %(ticket)s goes first: %(reason)s.") % {
        "ticket": ticket.number,
        "reason": PriorityReason(data["reason"]).label,
    }
    return calling._answer(request, window, done=done)


urlpatterns = [path("intake/calling/flag/", flag, name="calling_flag")]
