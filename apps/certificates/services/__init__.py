"""The certificate desk's use cases, one module each: ``issuing`` (asking for and confirming an issue,
双人用印), ``delivery``, ``revocation`` and ``seals`` (the registry's suspensions).
Each runs in one transaction with its rows locked, every state change written to the audit log.
Callers import this package; the names below are its interface.

Issuing is dual control: an issuer asks (``request_issue``: nothing is numbered yet); a seal keeper —
the seal's custodian, or another seal keeper of the centre, never the person who asked — confirms
(``confirm_issue``), and in that one transaction every document of the filing is numbered, sealed,
captured and entered in the e-certificate library, or none is. PDFs are rendered after the commit
(``documents.render_pending_documents``, or on first download).

Roles are held at a centre: every action here checks the role at the filing's (or seal's) centre —
the desk's staff (issuer or seal keeper) there to ask, hand over and post; a seal keeper there to
confirm, cancel another's request, suspend or reinstate a seal. A role at another centre counts for
nothing, custody of a seal included.
"""

from apps.certificates.models import keeps_seals_at
from apps.certificates.services.delivery import (
    choose_delivery,
    hand_over,
    post,
)
from apps.certificates.services.issuing import (
    DECIDED,
    KEEP_SEALS,
    PREVIEW_NUMBER,
    REVOKE,
    Planned,
    cancel_request,
    confirm_issue,
    plan,
    preview_document,
    request_issue,
    validity,
    verify_url,
    works_desk_at,
)
from apps.certificates.services.revocation import (
    may_revoke,
    revoke,
)
from apps.certificates.services.seals import (
    set_seal_status,
)

__all__ = [
    "DECIDED",
    "KEEP_SEALS",
    "PREVIEW_NUMBER",
    "Planned",
    "REVOKE",
    "cancel_request",
    "choose_delivery",
    "confirm_issue",
    "hand_over",
    "keeps_seals_at",
    "may_revoke",
    "plan",
    "post",
    "preview_document",
    "request_issue",
    "revoke",
    "set_seal_status",
    "validity",
    "verify_url",
    "works_desk_at",
]
