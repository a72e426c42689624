"""The supervision desk (督办台): open escalations, acknowledged and resolved here. A row offers the
escalation's available transitions for the user; what it posts is checked by its form
(``apps.desks.forms.supervision``) and run through ``ACTIONS``."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.accounts.permissions import Perm
from apps.audit.requests import client_ip
from apps.cases.escalations import escalations_visible_to
from apps.cases.review import services
from apps.desks.actions import Action, dispatch
from apps.desks.forms import supervision as forms

SUPERVISOR = Perm.USE_SUPERVISION_DESK

ACTIONS = {
    "acknowledge": Action(forms.AcknowledgementForm, services.acknowledge_escalation),
    "resolve": Action(forms.ResolutionForm, services.resolve_escalation),
}


# Each action's form, offered on a row when the escalation's graph lets this user take it.
ACTION_FORMS = {name: f"desks/supervision/actions/{name}.html" for name in ACTIONS}


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def act(request, pk, action):
    escalation = get_object_or_404(escalations_visible_to(request.user), pk=pk)
    return dispatch(
        request,
        ACTIONS,
        action,
        obj=escalation,
        context={"escalation_id": escalation.pk, "actor": request.user, "client_ip": client_ip(request)},
        back=reverse("desks:supervision"),
    )
