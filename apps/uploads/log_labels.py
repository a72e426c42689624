"""How the audit log reads what the uploads app writes to it (apps.audit.export.DISCLOSURE_LABELS)."""

from django.utils.translation import gettext_lazy as _

DISCLOSURES = {
    # The purpose of a download that names none (``serving.Disclosure.purpose``).
    "download": _("Download"),
}
