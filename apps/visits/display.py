"""The hall's screens without a login (``/display/``): pairing a kiosk or a display, and the display.

- ``/display/pair/``: a kiosk or a display types the one-time code a supervisor was shown (the code
  says which kind it pairs); it gets its key in the ``hall_device`` cookie and goes to its home page.
- ``/display/``: the hall display (大屏, 1920×1080), for a paired display only: the call just made
  big with its announcement, the last calls, the waiting per service area, today's average wait.
  ``static/js/display.js`` polls ``/display/feed/?after=<last call id>`` every second and redraws;
  a new call is read out where the browser has a Chinese voice (once sound is switched on: browsers
  speak only after a touch). Without JavaScript the page reloads itself every few seconds.
- ``/display/feed/``: that poll's JSON (the same as the API's ``/api/v1/display/feed/``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.audit.requests import client_ip
from apps.core.errors import error_text
from apps.visits import devices, display_feed
from apps.visits.models.codes import DeviceKind

POLL_MILLISECONDS = 1000
REFRESH_SECONDS = 5  # without JavaScript


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
    feed = display_feed.feed_for(request.device.centre_id)
    return render(
        request,
        "display/screen.html",
        {
            "device": request.device,
            "feed": feed,
            "average_wait": display_feed.average_wait_text(feed),
            "poll_ms": POLL_MILLISECONDS,
            "refresh_seconds": REFRESH_SECONDS,
            "now": timezone.now(),
        },
    )


def after_param(request) -> int | None:
    """``?after=``: the last call the display has (0: none yet); absent or not a number: None."""
    try:
        return max(int(request.GET["after"]), 0)
    except (KeyError, ValueError):
        return None


@never_cache
@require_GET
@devices.paired_device(DeviceKind.DISPLAY)
def feed(request):
    """The display's poll: what it shows now, and the calls made after ``?after=`` (to announce)."""
    data = display_feed.as_json(display_feed.feed_for(request.device.centre_id), after=after_param(request))
    return JsonResponse(data)


urlpatterns = [
    path("", screen, name="screen"),
    path("pair/", pair, name="pair"),
    path("feed/", feed, name="feed"),
]
