"""A start-up check: the logs are kept at least six months (``apps.audit.retention``)."""

from django.core import checks

from apps.audit.retention import MINIMUM_DAYS, retention_days


@checks.register()
def retention_at_least_six_months(app_configs=None, **kwargs):
    days = retention_days()
    if days >= MINIMUM_DAYS:
        return []
    return [
        checks.Error(
            f"HALL_AUDIT_RETENTION_DAYS={days}: the audit logs are kept at least {MINIMUM_DAYS} days.",
            hint=f"Set it to {MINIMUM_DAYS} or more.",
            id="audit.E001",
        )
    ]
