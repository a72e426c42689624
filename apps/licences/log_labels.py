"""How the audit log's rows of an e-certificate in the library read (``apps.audit.export``): its
transitions (``RevocationMode``: apps.certificates.services.revocation)."""

from django.utils.translation import gettext_lazy as _

E_CERTIFICATE_STEPS = {
    "revoke": _("Certificate revoked (撤销)"),
    "cancel": _("Certificate cancelled (注销)"),
}
