"""Headers every response gets: a content security policy, a permissions policy, and no storing of pages
that may show personal data.

Hall terminals are shared by clerks and citizens: a page left in a browser's cache (back button, history)
or a proxy's shows the next person someone else's filing. So every response is ``private, no-store``
unless its view chose its own caching, or it is a public guide seen by an anonymous visitor. Static
files never reach this middleware (WhiteNoise answers them first, with its own long-lived caching).

The content security policy allows scripts, styles and images from the portal itself only: templates
carry no inline script, style or event handler (behaviour lives in static/js/hall.js, looks in
static/css/). It is sent on HTML responses (DRF's browsable API pages get inline style, see
BROWSABLE_API_POLICY); with DEBUG on it only reports, so that Django's own error
pages, which use inline script and style, still work for the developer.
"""

from django.conf import settings
from rest_framework.renderers import BrowsableAPIRenderer

_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in _DIRECTIVES.items())
# DRF's browsable API pages (an API URL opened in a browser) colour code with an inline <style> and
# place buttons with style attributes. Only their styles are relaxed: scripts stay the portal's files.
BROWSABLE_API_POLICY = "; ".join(
    f"{name} {value}" for name, value in {**_DIRECTIVES, "style-src": "'self' 'unsafe-inline'"}.items()
)

# Nothing in the portal uses these; a page that did would have to be listed here on purpose.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# Pages anyone may read that show nothing about the visitor (while nobody is logged in).
PUBLIC_PREFIXES = ("/guide/",)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            header = "Content-Security-Policy-Report-Only" if settings.DEBUG else "Content-Security-Policy"
            browsable = isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer)
            response.headers.setdefault(
                header, BROWSABLE_API_POLICY if browsable else CONTENT_SECURITY_POLICY
            )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response and not _public(request):
            response["Cache-Control"] = "private, no-store"
        if "no-store" in response.get("Cache-Control", ""):
            # HTTP/1.0 caches (old intranet proxies) know only this.
            response.headers.setdefault("Pragma", "no-cache")
        return response


def _public(request) -> bool:
    user = getattr(request, "user", None)
    anonymous = user is None or not user.is_authenticated
    return anonymous and request.path.startswith(PUBLIC_PREFIXES)
