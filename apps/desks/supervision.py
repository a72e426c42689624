"""The supervision desk (督办台): open escalations, acknowledged and resolved here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.requests import client_ip
from apps.cases.escalations import escalations_visible_to, open_escalations_for
from apps.cases.models import Escalation
from apps.cases.review import services
from apps.core.errors import Conflict
from apps.core.errors import error_text as _error_text
from apps.desks.posted import posted_text

SUPERVISOR = "accounts.use_supervision_desk"


def desk_context(request) -> dict:
    return {"escalations": list(open_escalations_for(request.user)[:100])}


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def act(request, pk, action):
    escalation = get_object_or_404(escalations_visible_to(request.user), pk=pk)
    common = {"escalation_id": escalation.pk, "actor": request.user, "client_ip": client_ip(request)}
    try:
        if action == "acknowledge":
            note = posted_text(request.POST, "note", Escalation, "acknowledgement")
            services.acknowledge_escalation(note=note, **common)
        elif action == "resolve":
            resolution = posted_text(request.POST, "note", Escalation, "resolution")
            services.resolve_escalation(resolution=resolution, **common)
        else:
            raise PermissionDenied
    except (ValidationError, Conflict) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Done."))
    return redirect("desks:supervision")
