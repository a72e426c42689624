"""The hall's screens without a login (``/display/``): pairing a kiosk or a display, and the display.

- ``/display/pair/``: a kiosk or a display types the one-time code a supervisor was shown (the code
  says which kind it pairs); it gets its key in the ``hall_device`` cookie and goes to its home page.
- ``/display/``: the hall display (大屏), for a paired display only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.audit.requests import client_ip
from apps.core.errors import error_text
from apps.visits import devices
from apps.visits.models.codes import DeviceKind


@never_cache
@require_http_methods(["GET", "POST"])
def pair(request):
    if request.method == "GET":
        return render(request, "display/pair.html", {})
    if not devices.allow_pairing_attempt(request):
        return render(request, "display/pair.html", {"limited": True}, status=429)
    try:
        device, key = devices.claim_device(code=request.POST.get("code", ""), client_ip=client_ip(request))
    except ValidationError as error:
        return render(request, "display/pair.html", {"error": error_text(error)}, status=400)
    response = redirect(devices.home_url(device.kind))
    devices.set_device_cookie(response, key)
    return response


@never_cache
@require_GET
@devices.paired_device(DeviceKind.DISPLAY)
def screen(request):
    return render(request, "display/screen.html", {"device": request.device})


urlpatterns = [
    path("", screen, name="screen"),
    path("pair/", pair, name="pair"),
]
