"""How the audit log's rows of accounts read (the supervision desk's viewer and its export:
``apps.audit.export``): a user's steps — staff roles and passwords (apps.accounts), a citizen's
registration, log-ins and real-name check (apps.citizens) — and an organisation authorisation's."""

from django.utils.translation import gettext_lazy as _

USER_STEPS = {
    "registered": _("Registered"),
    "logged_in_by_code": _("Logged in with a text-message code"),
    "password_changed": _("Password changed"),
    "password_reset": _("Password reset"),
    "password_set_by_admin": _("Password set by an administrator"),
    "real_name_verified": _("Real name verified at a window"),
    "role_assigned": _("Role assigned"),
    "role_revoked": _("Role revoked"),
}

AUTHORISATION_STEPS = {
    "organisation_added": _("Organisation added"),
    "authorisation_verified": _("Verified against the letter"),
    "authorisation_revoked": _("Authorisation removed by the account"),
}

# What a disclosure of an authorisation showed (the disclosure log's ``what``: apps.citizens.letters).
DISCLOSURES = {
    "authorisation_letter": _("Authorisation letter"),
}
