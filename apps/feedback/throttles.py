"""The rate limit of ratings: per client address, over the cache (Redis in production), the API's
and the pages' submissions counted together (``rating`` in DRF's DEFAULT_THROTTLE_RATES,
``HALL_RATING_RATE``: well above a busy window's pad, far below a script's)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class RatingThrottle(SimpleRateThrottle):
    scope = "rating"

    def get_cache_key(self, request, view):
        # The address the audit log records (trusting only HALL_TRUSTED_PROXIES), not DRF's
        # get_ident, which believes any X-Forwarded-For a client makes up.
        from apps.audit.requests import client_ip

        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class RatingSubmissionThrottle(RatingThrottle):
    """For the API's views that read and rate: only a submission counts (reading the acts does not)."""

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)


def allow_rating(request) -> bool:
    """For the HTML pages: whether this submission is within the rate (it is counted); a page answers
    429 when it is not."""
    return RatingThrottle().allow_request(request, None)
