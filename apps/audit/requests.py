"""The client address the audit log records for an action taken through a request."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: behind HALL_PROXY_COUNT trusted reverse proxies, the address the first
    of them saw (from X-Forwarded-For); otherwise the socket's peer."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
