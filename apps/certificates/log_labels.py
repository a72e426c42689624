"""How the audit log's rows of the issuing desk read (``apps.audit.export``): a seal's suspension and
reinstatement, an issue request confirmed or cancelled by the seal keeper, and what a disclosure of
issued documents showed. The filing's own steps (request_issue, choose_delivery …) are the filing's:
``apps.cases.codes.FILING_STEPS``."""

from django.utils.translation import gettext_lazy as _

SEAL_STEPS = {
    "suspend": _("Seal suspended"),
    "reinstate": _("Seal put back in use"),
}

ISSUE_REQUEST_STEPS = {
    "confirm": _("Seals' use confirmed and documents issued"),
    "cancel": _("Issue request cancelled"),
}

# The disclosure log's ``what``: an issued document's PDF (``<DocumentKind>_pdf``), the issuing desk's
# preview of a filing's documents, a clerk's lookup in the e-certificate library (apps.certificates.library).
DISCLOSURES = {
    "certificate_pdf": _("A certificate (PDF)"),
    "denial_pdf": _("A decision of denial (PDF)"),
    "document_preview": _("The documents to issue, previewed"),
    "holder_certificates": _("A holder's e-certificates"),
    # Purposes (stored as these words since the log began).
    "intake: e-certificates in place of paper": _("Intake: e-certificates in place of paper"),
}
