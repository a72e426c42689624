"""The login lockout (django-axes' AXES_HANDLER): two limits over the failures of the cool-off period.

- An account name at one address: AXES_FAILURE_LIMIT failures lock that name *from that address*.
  Someone elsewhere who knows the name cannot lock its owner out; the owner's own guesses lock them.
- An address across names: HALL_LOGIN_ADDRESS_LIMIT failures lock every name from that address
  (password spraying: a few guesses on each of many accounts). Higher than the first, because a
  hall's terminals share one address behind NAT.

Axes compares one number with one limit, so ``get_failures`` answers the name's count, or the name
limit itself once the address has used up its own. The address comes from
``apps.audit.requests.client_ip`` (AXES_CLIENT_IP_CALLABLE), the same one the audit log records.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import Q, Sum


class LoginLockout(AxesDatabaseHandler):
    def failure_counts(self, request, credentials=None) -> tuple[int, int]:
        """(failures of this name from this address, failures of any name from this address), in the
        cool-off period: one query. Every user agent's rows count (rotating it changes nothing)."""
        recent = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        totals = recent.aggregate(
            name=Sum("failures_since_start", filter=Q(username=username)),
            address=Sum("failures_since_start"),
        )
        return totals["name"] or 0, totals["address"] or 0

    def get_failures(self, request, credentials=None) -> int:
        name, address = self.failure_counts(request, credentials)
        # The lockout page says which lock it is.
        request.hall_address_locked = address >= settings.HALL_LOGIN_ADDRESS_LIMIT
        if request.hall_address_locked:
            return max(name, get_failure_limit(request, credentials))
        return name

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A success clears that name's failures from that address only. The address's count across
        names stands until it cools off: otherwise a sprayer would clear it by logging in to an
        account of their own between guesses."""
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return count

    def remove_out_of_limit_failure_logs(self, *, username: str, limit=None) -> int:
        """Every failed login stays in the failure log (the audit trail, docs/security.md). Axes would
        delete a name's oldest beyond AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT, so that enough new
        failures erase the record of the earlier ones."""
        return 0
