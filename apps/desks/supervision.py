"""The supervision desk (督办台): open escalations, acknowledged and resolved here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.transitions import Conflict
from apps.audit.transitions import error_text as _error_text
from apps.cases.escalations import escalations_visible_to, open_escalations_for
from apps.cases.review import services

SUPERVISOR = "accounts.use_supervision_desk"


def desk_context(request) -> dict:
    return {"escalations": list(open_escalations_for(request.user)[:100])}


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def act(request, pk, action):
    escalation = get_object_or_404(escalations_visible_to(request.user), pk=pk)
    text = request.POST.get("note", "")
    try:
        if action == "acknowledge":
            services.acknowledge_escalation(escalation_id=escalation.pk, actor=request.user, note=text)
        elif action == "resolve":
            services.resolve_escalation(escalation_id=escalation.pk, actor=request.user, resolution=text)
        else:
            raise PermissionDenied
    except (ValidationError, Conflict) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Done."))
    return redirect("desks:supervision")
