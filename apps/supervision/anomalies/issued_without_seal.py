"""A certificate issued without a seal use (无用印登记出证)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.cases.models import Filing
from apps.certificates.models import IssuedDocument, SealUse
from apps.supervision.anomalies.findings import Finding, Window, iso, logged
from apps.supervision.models import AnomalyRule

RULE = AnomalyRule.ISSUED_WITHOUT_SEAL


def find(window: Window) -> list[Finding]:
    """Every document issued (a certificate, or a decision of denial: both carry the seal) is sealed
    in the issuing transaction, which writes a ``SealUse`` (用印登记: the seal, the document, the
    issuer and the keeper who confirmed) for it. Flagged: a document of a filing whose ``issue`` was
    logged in the window, or issued in it, with no seal use of its own seal (the one printed on it).
    One finding per document."""
    issued = Q(filing_id__in=logged(window, Filing, ["issue"]))
    in_window = Q(issued_at__lte=window.until)
    if window.since is not None:
        in_window &= Q(issued_at__gte=window.since)
    rows = (
        IssuedDocument.objects.filter(issued | in_window)
        .filter(~Exists(SealUse.objects.filter(document_id=OuterRef("pk"), seal_id=OuterRef("seal_id"))))
        .values(
            "pk",
            "case_id",
            "number",
            "kind",
            "filing_id",
            "filing__centre_id",
            "department_id",
            "issued_at",
            "seal__name",
        )
    )
    return [
        Finding(
            rule=RULE,
            subject=IssuedDocument,
            subject_id=row["pk"],
            centre_id=row["filing__centre_id"],
            department_id=row["department_id"],
            filing_id=row["filing_id"],
            day=timezone.localdate(row["issued_at"]),
            detail={
                "number": row["number"],
                "case": row["case_id"],
                "kind": row["kind"],
                "seal": row["seal__name"],
                "issued_at": iso(row["issued_at"]),
            },
        )
        for row in rows
    ]
