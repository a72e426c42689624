"""The public rating page of a filing's rating link (好差评, ``/rate/<token>/``): reached from the QR
code on its notices and certificates, or the link in the 办结 SMS (``?via=sms``), without logging in.

It shows the filing's number and items, and each act that may be rated (``selectors.rateable``) with
the five levels as big buttons, the reason list for the two lowest (required: the service refuses a
bad rating without one, naming the field) and a comment. A rated act shows its rating and, while the
applicant may still change it, the form again. A forged token is a clear 404 page, an expired one a
410 page; over the rate limit, a 429 page. The page names no person: whoever holds the paper rates
as its applicant (``services.rate``), and a logged-in staff member never rates their own work.

The portal's rating page (``apps.portal.ratings``) is the same page behind the account's login:
``rating_page`` below serves both, through the one service, each with its channel."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.accounts.models import Window
from apps.audit.requests import client_ip
from apps.cases.models import Filing
from apps.cases.rating_links import BadRatingToken, ExpiredRatingToken, read_token
from apps.core.errors import Conflict, error_text
from apps.feedback import services
from apps.feedback.models import BAD_LEVELS, ActKind, Channel, Level, Reason
from apps.feedback.selectors import rateable
from apps.feedback.throttles import allow_rating

# Each level's face: the mouth of a round face (a smile for the top levels, a frown for the lowest).
MOUTHS = {
    Level.VERY_SATISFIED: "M7 13.5 Q12 19.5 17 13.5",
    Level.SATISFIED: "M7.5 14.5 Q12 17.5 16.5 14.5",
    Level.FAIRLY_SATISFIED: "M8 15.5 L16 15.5",
    Level.DISSATISFIED: "M7.5 17 Q12 14 16.5 17",
    Level.VERY_DISSATISFIED: "M7 18 Q12 12.5 17 18",
}
FIELDS = ("act", "level", "reason", "comment")


def rateable_filings():
    """Filings as the rating pages read them: what ``acts_of`` needs, loaded with the filing."""
    return Filing.objects.select_related("centre", "delivery").prefetch_related("items__item")


def _act_rows(filing: Filing, *, posted: dict, errors: dict, done: str) -> list[dict]:
    rows = rateable(filing)
    windows = dict(
        Window.objects.filter(pk__in={act.window_id for act, _r, _c in rows if act.window_id}).values_list(
            "pk", "number"
        )
    )
    result, now = [], timezone.now()
    for act, rating, can_change in rows:
        mine = posted.get("act") == act.kind
        chosen = (
            posted
            if mine
            else (
                {"level": rating.level, "reason": rating.reason, "comment": rating.comment} if rating else {}
            )
        )
        result.append(
            {
                "kind": act.kind,
                "label": ActKind(act.kind).label,
                "at": act.at,
                "window_number": windows.get(act.window_id, ""),
                "rating": rating,
                "can_change": can_change,
                # A rated act changeable only because its rectification closed: the one re-rating.
                "rerate": rating is not None and can_change and now > services.change_until(rating),
                "change_until": services.change_until(rating) if rating else None,
                "errors": errors if mine else {},
                "open": mine or rating is None,
                "done": done == act.kind and rating is not None,
                "levels": [
                    {
                        "value": value,
                        "label": label,
                        "mouth": MOUTHS[value],
                        "chosen": chosen.get("level") == value,
                        "bad": value in BAD_LEVELS,
                    }
                    for value, label in Level.choices
                ],
                "reason": chosen.get("reason", ""),
                "comment": chosen.get("comment", ""),
            }
        )
    return result


def rating_page(
    request, filing: Filing, *, channel: str, template: str, context=None, query: dict | None = None
):
    """GET: the filing's acts to rate. POST (one act's form): rate it through ``services.rate`` and
    come back to the page saying thanks (``?done=<act>``), or show the form again with what was
    refused, named on its field. ``query`` is kept on the way back (``via=sms``)."""
    posted, errors, status = {}, {}, 200
    if request.method == "POST":
        if not allow_rating(request):
            return render(request, "feedback/rate_limited.html", status=429)
        posted = {name: request.POST.get(name, "").strip() for name in FIELDS}
        if posted["act"] not in ActKind.values:
            raise Http404
        try:
            services.rate(
                filing_id=filing.pk,
                act=posted["act"],
                level=posted["level"],
                reason=posted["reason"],
                comment=posted["comment"],
                channel=channel,
                rater=request.user,
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            # A template cannot read "__all__": the errors not on a field are "all".
            errors = {("all" if k == "__all__" else k): v for k, v in error.message_dict.items()}
            status = 400
        except Conflict as error:
            errors, status = {"all": [error_text(error)]}, 409
        except PermissionDenied as error:
            errors, status = {"all": [str(error) or _("You may not rate this.")]}, 403
        else:
            return redirect(f"{request.path}?{urlencode({**(query or {}), 'done': posted['act']})}")
    acts = _act_rows(filing, posted=posted, errors=errors, done=request.GET.get("done", ""))
    page = {
        "filing": filing,
        "items": [entry.item.name for entry in sorted(filing.items.all(), key=lambda e: (e.order, e.pk))],
        "acts": acts,
        "reasons": Reason.choices,
        "bad_levels": [level.value for level in BAD_LEVELS],
        "change_days": settings.HALL_RATING_CHANGE_DAYS,
        "error_count": sum(1 for act in acts if act["errors"]),
        **(context or {}),
    }
    return render(request, template, page, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request, token):
    """The page of a rating link: a QR code's (channel qr), or the 办结 SMS's (``?via=sms``)."""
    try:
        filing_id = read_token(token)
    except ExpiredRatingToken:
        return render(
            request,
            "feedback/rate_invalid.html",
            {"expired": True, "link_days": settings.HALL_RATING_LINK_DAYS},
            status=410,
        )
    except BadRatingToken:
        return render(request, "feedback/rate_invalid.html", {"expired": False}, status=404)
    filing = rateable_filings().filter(pk=filing_id).first()
    if filing is None:  # a genuine link to a filing since removed (a discarded draft cannot have one)
        return render(request, "feedback/rate_invalid.html", {"expired": False}, status=404)
    via_sms = request.GET.get("via") == "sms"
    return rating_page(
        request,
        filing,
        channel=Channel.SMS if via_sms else Channel.QR,
        template="feedback/rate.html",
        query={"via": "sms"} if via_sms else {},
    )
