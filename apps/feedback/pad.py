"""The window evaluation pad's pages (评价器, ``/pad/``): a tablet at a window, no login.

- ``/pad/pair/``: the tablet types the one-time code a supervisor was shown; it gets its device key in
  the ``hall_pad`` cookie (HttpOnly, SameSite=Strict, long-lived).
- ``/pad/``: the screen. A welcome while the window is idle; the act just finished at the window
  (``pads.act_on_pad``) with the five levels as big buttons; back to the welcome after rating or
  HALL_PAD_SHOW_SECONDS. ``static/js/pad.js`` polls ``/pad/current/`` every 2 s and swaps the screen's
  content when the act changes; without JavaScript the page refreshes itself (``<meta refresh>``).
- ``/pad/rate/``: the rating, through the ratings service (channel pad).

A pad without a valid key (none, unknown, revoked) is sent to the pairing page. A request carrying a
logged-in session is refused outright: the pad is the applicant's, never a clerk's (who cannot rate
their own work) nor anyone's login left open on a shared tablet.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.requests import client_ip
from apps.core.errors import Conflict, error_text
from apps.feedback import pads, services
from apps.feedback.models import BAD_LEVELS, Channel, Level, Reason
from apps.feedback.throttles import allow_rating

COOKIE = "hall_pad"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600  # a tablet stays paired until revoked
POLL_SECONDS = 2
IDLE_REFRESH_SECONDS = 3  # without JavaScript
THANKS_SECONDS = 5


def device_key(request) -> str:
    """The pad's device key: an app's ``X-Pad-Key`` header, or the cookie a browser holds."""
    return request.headers.get("X-Pad-Key", "") or request.COOKIES.get(COOKIE, "")


def pair_url() -> str:
    """The pairing page's public address: what a supervisor is shown to open on the tablet."""
    return settings.HALL_PUBLIC_BASE_URL.rstrip("/") + reverse("pad:pair")


def logged_in(request) -> bool:
    return bool(getattr(request, "user", None) and request.user.is_authenticated)


def _refused(request):
    return render(request, "feedback/pad_refused.html", status=403)


def no_login(view):
    """Refuse a request that carries a logged-in session (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if logged_in(request):
            return _refused(request)
        return view(request, *args, **kwargs)

    return wrapped


def paired(view):
    """The view gets the request's pad; a request without one goes to the pairing page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        pad = pads.pad_from_key(device_key(request))
        if pad is None:
            response = redirect("pad:pair")
            if COOKIE in request.COOKIES:
                response.delete_cookie(COOKIE, samesite="Strict")
            return response
        pads.note_seen(pad)
        return view(request, pad, *args, **kwargs)

    return wrapped


def _limited(request, template="feedback/pad_screen.html", context=None):
    context = {**(context or {}), "limited": True, "refresh_seconds": IDLE_REFRESH_SECONDS}
    return render(request, template, context, status=429)


# --- pairing ----------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@no_login
def pair(request):
    if request.method == "GET":
        return render(request, "feedback/pad_pair.html", {})
    if not allow_rating(request):
        return _limited(request, "feedback/pad_pair.html")
    code = request.POST.get("code", "")
    try:
        pad, key = pads.claim_pad(code=code, client_ip=client_ip(request))
    except ValidationError as error:
        return render(request, "feedback/pad_pair.html", {"error": error_text(error)}, status=400)
    response = redirect("pad:screen")
    response.set_cookie(
        COOKIE,
        key,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


# --- the screen ---------------------------------------------------------------------------------------


# Each level's face on its button (an SVG mouth in a 24×24 box): the words say it, the face helps
# whoever reads slowly or not at all.
MOUTHS = {
    Level.VERY_SATISFIED: "M7 13.5c1.5 3.5 8.5 3.5 10 0",
    Level.SATISFIED: "M8 14.5c1.5 1.8 6.5 1.8 8 0",
    Level.FAIRLY_SATISFIED: "M8 15.5h8",
    Level.DISSATISFIED: "M8 17c1.5-1.8 6.5-1.8 8 0",
    Level.VERY_DISSATISFIED: "M7 18c1.5-3.5 8.5-3.5 10 0",
}


def _levels(chosen: str = "") -> list[dict]:
    return [
        {
            "value": value,
            "label": label,
            "bad": value in BAD_LEVELS,
            "chosen": value == chosen,
            "mouth": MOUTHS[value],
        }
        for value, label in Level.choices
    ]


def screen_context(pad, *, now=None, thanks=False) -> dict:
    """What the screen (and its fragment, ``/pad/current/``) draws now."""
    now = now or timezone.now()
    shown = None if thanks else pads.act_on_pad(pad, now=now)
    if thanks:
        state, seconds = "thanks", THANKS_SECONDS
    elif shown is not None:
        # Reload when the act's time is up: a page left open drops it even without JavaScript.
        state, seconds = "act", shown.seconds_left(now) + 1
    else:
        state, seconds = "idle", IDLE_REFRESH_SECONDS
    return {
        "pad": pad,
        "state": state,
        "shown": shown,
        "seconds_left": shown.seconds_left(now) if shown else 0,
        "refresh_seconds": seconds,
        "poll_seconds": POLL_SECONDS,
        "levels": _levels(),
        "reasons": Reason.choices,
        "bad_levels": list(BAD_LEVELS),
        "grace_seconds": pads.GRACE_SECONDS,
        "thanks_seconds": THANKS_SECONDS,
    }


@never_cache
@require_GET
@no_login
@paired
def screen(request, pad):
    thanks = request.GET.get("rated") == "1"
    return render(request, "feedback/pad_screen.html", screen_context(pad, thanks=thanks))


@never_cache
@require_GET
@no_login
@paired
def current(request, pad):
    """The screen's content alone, for the poll."""
    return render(request, "feedback/pad_current.html", screen_context(pad))


@never_cache
@require_POST
@no_login
@paired
def rate(request, pad):
    """A rating from the pad: only of the act its window just finished (anything else is a 404)."""
    if not allow_rating(request):
        return _limited(request, context=screen_context(pad))
    act = pads.act_to_rate(pad, filing_id=request.POST.get("filing", ""), kind=request.POST.get("act", ""))
    if act is None:
        raise Http404
    level = request.POST.get("level", "")
    reason = request.POST.get("reason", "")
    comment = request.POST.get("comment", "")[:500]
    try:
        services.rate(
            filing_id=act.filing.pk,
            act=act.kind,
            level=level,
            reason=reason,
            comment=comment,
            channel=Channel.PAD,
            rater=request.user,
            client_ip=client_ip(request),
            pad=pad,
        )
    except (ValidationError, Conflict, PermissionDenied) as error:
        context = screen_context(pad)
        # The act stays on the screen with what was chosen, and the refusal said at its field.
        context.update(
            {
                "shown": context["shown"] or pads.describe(pad, act),
                "state": "act",
                "refresh_seconds": context["seconds_left"] + pads.GRACE_SECONDS,
                "levels": _levels(level),
                "chosen_reason": reason,
                "comment": comment,
                "errors": _errors(error),
            }
        )
        status = 403 if isinstance(error, PermissionDenied) else 409 if isinstance(error, Conflict) else 400
        return render(request, "feedback/pad_screen.html", context, status=status)
    return redirect(reverse("pad:screen") + "?rated=1")


def _errors(error) -> dict:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return {
            "all" if field == NON_FIELD_ERRORS else field: error_text(ValidationError(messages))
            for field, messages in error.error_dict.items()
        }
    return {"all": error_text(error)}


urlpatterns = [
    path("", screen, name="screen"),
    path("pair/", pair, name="pair"),
    path("current/", current, name="current"),
    path("rate/", rate, name="rate"),
]
