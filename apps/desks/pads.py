"""The supervision desk's evaluation pads (评价器): the pads of the centre's windows, pairing a new one
(the one-time code shown to the supervisor who paired it, with the address the tablet opens), and
revoking one. The services are ``apps.feedback.pads``; another centre's pad is a 404."""

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
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.permissions import Perm
from apps.accounts.selectors import memberships_of
from apps.audit.requests import client_ip
from apps.core.errors import Conflict, error_text
from apps.desks.navigation import DESKS_BY_KEY
from apps.desks.pairing_codes import HeldCode, qr_data_uri
from apps.feedback import pads
from apps.feedback.pad import pair_url

SUPERVISOR = Perm.USE_SUPERVISION_DESK
HELD = HeldCode(session_key="pad_pairing", field="pad")


class PairForm(forms.Form):
    window = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Window"), empty_label=None)
    name = forms.CharField(
        label=gettext_lazy("Name (optional)"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("To tell the tablets of a window apart, e.g. “left counter”."),
    )

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows
        self.fields["window"].label_from_instance = lambda window: f"{window.centre} · {window.number}"


def _desk_context(request) -> dict:
    return {"desk": DESKS_BY_KEY["supervision"], "memberships": memberships_of(request.user)}


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def pad_list(request):
    now = timezone.now()
    rows = [(pad, pads.status_of(pad, now)) for pad in pads.pads_for_supervisor(request.user)]
    windows = pads.windows_for_supervisor(request.user)
    return render(
        request,
        "desks/supervision/pads.html",
        {
            **_desk_context(request),
            "rows": rows,
            "form": PairForm(windows=windows),
            "manages": pads.manages_pads(request.user),
        },
    )


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def pair(request):
    form = PairForm(request.POST, windows=pads.windows_for_supervisor(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your centre's windows."))
        return redirect("desks:pads")
    try:
        pad, code = pads.pair_pad(
            window_id=form.cleaned_data["window"].pk,
            name=form.cleaned_data["name"],
            actor=request.user,
            client_ip=client_ip(request),
        )
    except (PermissionDenied, ValidationError, Conflict) as error:
        messages.error(request, error_text(error))
        return redirect("desks:pads")
    HELD.keep(request, pad.pk, code)
    return redirect("desks:pads_code", pk=pad.pk)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def pairing_code(request, pk):
    pad = get_object_or_404(pads.pads_for_supervisor(request.user), pk=pk)
    status = pads.status_of(pad)
    code = HELD.shown(request, pad.pk, awaiting=status.key == "awaiting")
    address = pair_url()
    return render(
        request,
        "desks/supervision/pads_code.html",
        {
            **_desk_context(request),
            "pad": pad,
            "status": status,
            "code": code,
            "expires_at": pads.code_expires_at(pad),
            "pair_url": address,
            "qr": qr_data_uri(address),
        },
    )


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def renew(request, pk):
    """A new code for a pad still awaiting its tablet (the first one lapsed or was lost)."""
    pad = get_object_or_404(pads.pads_for_supervisor(request.user), pk=pk)
    try:
        pad, code = pads.renew_code(pad_id=pad.pk, actor=request.user, client_ip=client_ip(request))
    except (PermissionDenied, Conflict) as error:
        messages.error(request, error_text(error))
        return redirect("desks:pads")
    HELD.keep(request, pad.pk, code)
    return redirect("desks:pads_code", pk=pad.pk)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def revoke(request, pk):
    pad = get_object_or_404(pads.pads_for_supervisor(request.user), pk=pk)
    try:
        pads.revoke_pad(pad_id=pad.pk, actor=request.user, client_ip=client_ip(request))
    except (PermissionDenied, Conflict) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The pad at window %(window)s is revoked: that tablet shows nothing any more.")
            % {"window": pad.window.number},
        )
    return redirect("desks:pads")


urlpatterns = [
    path("supervision/pads/", pad_list, name="pads"),
    path("supervision/pads/pair/", pair, name="pads_pair"),
    path("supervision/pads/<int:pk>/code/", pairing_code, name="pads_code"),
    path("supervision/pads/<int:pk>/renew/", renew, name="pads_renew"),
    path("supervision/pads/<int:pk>/revoke/", revoke, name="pads_revoke"),
]
