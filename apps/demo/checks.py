"""A deployment check: no account that can log in still has the demo accounts' password.

seed_demo refuses production, but a database seeded in development can be carried over, and an
administrator can type the demo password for a new account. ``manage.py check --deploy`` tries the demo
password on every active account that works at a desk or in the admin, and on the demo accounts by
name. Citizens' accounts are not tried: each try is a full password hash (about a quarter of a second),
there may be many citizens, and their passwords were set through the password policy, which refuses
the demo password (apps/accounts/password_validation.py).

This check reads the database, unlike most deployment checks: a database without tables has no
accounts to try; one that cannot be read is reported as a warning.
"""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core import checks
from django.db import DatabaseError, connection
from django.db.models import Q


@checks.register(checks.Tags.security, deploy=True)
def demo_password_unused(app_configs=None, **kwargs):
    from apps.accounts.models import User
    from apps.accounts.roles import Role
    from apps.demo.seeding.organisation import DEMO_USERS

    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []
        staff_roles = [role for role in Role if role != Role.CITIZEN]
        accounts = (
            User.objects.filter(is_active=True)
            .filter(
                Q(username__in=[demo.username for demo in DEMO_USERS] + ["admin"])
                | Q(is_staff=True)
                | Q(is_superuser=True)
                | Q(memberships__role__in=staff_roles)
            )
            .distinct()
            .order_by("username")
        )
        # The hashers' function, not user.check_password: that one would re-save an outdated hash.
        found = [
            user.username for user in accounts if check_password(settings.HALL_DEMO_PASSWORD, user.password)
        ]
    except DatabaseError as exc:
        return [
            checks.Warning(
                f"Could not check accounts for the demo password: {exc}",
                hint="Run `manage.py check --deploy` where the database can be reached.",
                id="demo.W001",
            )
        ]
    if not found:
        return []
    return [
        checks.Error(
            f"These active accounts log in with the demo password: {', '.join(found)}.",
            hint="Set each a new password (`manage.py changepassword <name>`) or deactivate it.",
            id="demo.E001",
        )
    ]
