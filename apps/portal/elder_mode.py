"""The elder-friendly mode (适老化): large type, high contrast, one thing per screen.

Remembered in a cookie, so that it holds on every page, before login and after, on the device the
person uses; the switch is on every page of the public face and the online hall.
"""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

COOKIE = "hall_elder"
ONE_YEAR = 365 * 24 * 3600


def elder_mode(request) -> dict:
    """Context processor: whether the page is drawn in the elder-friendly mode."""
    return {"elder_mode": request.COOKIES.get(COOKIE) == "1"}


@require_POST
def switch(request):
    """Turn the mode on or off (``on`` = 1 / 0) and go back to the page it was switched on."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("on") == "1":
        response.set_cookie(COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
