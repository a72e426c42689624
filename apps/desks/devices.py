"""The supervision desk's hall devices (大厅设备): the ticket kiosks and hall displays of the centres a
supervisor supervises, pairing a new one (the one-time code shown to the supervisor who paired it,
with the address the screen opens), a new code, revoking one. The services are
``apps.visits.devices``; another centre's device is a 404."""

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
from apps.visits import devices
from apps.visits.models.codes import DeviceKind

SUPERVISOR = Perm.USE_SUPERVISION_DESK
HELD = HeldCode(session_key="hall_device_pairing", field="device")


class PairForm(forms.Form):
    centre = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Service centre"), empty_label=None)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DeviceKind.choices)
    name = forms.CharField(
        label=gettext_lazy("Name (optional)"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("To tell the screens apart, e.g. “east entrance”."),
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


def _desk_context(request) -> dict:
    return {"desk": DESKS_BY_KEY["supervision"], "memberships": memberships_of(request.user)}


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def device_list(request):
    now = timezone.now()
    listed = devices.devices_for_supervisor(request.user)
    rows = [(device, devices.status_of(device, now)) for device in listed]
    return render(
        request,
        "desks/devices/list.html",
        {
            **_desk_context(request),
            "rows": rows,
            "form": PairForm(centres=devices.centres_for_supervisor(request.user)),
            "manages": devices.manages_devices(request.user),
        },
    )


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def pair(request):
    form = PairForm(request.POST, centres=devices.centres_for_supervisor(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your centres and a kind of device."))
        return redirect("desks:hall_devices")
    try:
        device, code = devices.pair_device(
            centre_id=form.cleaned_data["centre"].pk,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            actor=request.user,
            client_ip=client_ip(request),
        )
    except (PermissionDenied, ValidationError, Conflict) as error:
        messages.error(request, error_text(error))
        return redirect("desks:hall_devices")
    HELD.keep(request, device.pk, code)
    return redirect("desks:hall_device_code", pk=device.pk)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_GET
def pairing_code(request, pk):
    device = get_object_or_404(devices.devices_for_supervisor(request.user), pk=pk)
    status = devices.status_of(device)
    code = HELD.shown(request, device.pk, awaiting=status.key == "awaiting")
    address = devices.pair_url()
    return render(
        request,
        "desks/devices/code.html",
        {
            **_desk_context(request),
            "device": device,
            "status": status,
            "code": code,
            "expires_at": devices.code_expires_at(device),
            "pair_url": address,
            "qr": qr_data_uri(address),
        },
    )


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def renew(request, pk):
    """A new code for a device still awaiting its screen (the first one lapsed or was lost)."""
    device = get_object_or_404(devices.devices_for_supervisor(request.user), pk=pk)
    try:
        device, code = devices.renew_code(
            device_id=device.pk, actor=request.user, client_ip=client_ip(request)
        )
    except (PermissionDenied, Conflict) as error:
        messages.error(request, error_text(error))
        return redirect("desks:hall_devices")
    HELD.keep(request, device.pk, code)
    return redirect("desks:hall_device_code", pk=device.pk)


@login_required
@permission_required(SUPERVISOR, raise_exception=True)
@require_POST
def revoke(request, pk):
    device = get_object_or_404(devices.devices_for_supervisor(request.user), pk=pk)
    try:
        devices.revoke_device(device_id=device.pk, actor=request.user, client_ip=client_ip(request))
    except (PermissionDenied, Conflict) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(device)s is revoked: that screen shows nothing any more.") % {"device": device},
        )
    return redirect("desks:hall_devices")


urlpatterns = [
    path("supervision/hall-devices/", device_list, name="hall_devices"),
    path("supervision/hall-devices/pair/", pair, name="hall_devices_pair"),
    path("supervision/hall-devices/<int:pk>/code/", pairing_code, name="hall_device_code"),
    path("supervision/hall-devices/<int:pk>/renew/", renew, name="hall_device_renew"),
    path("supervision/hall-devices/<int:pk>/revoke/", revoke, name="hall_device_revoke"),
]
