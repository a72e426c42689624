"""What a document says, captured in the issuing transaction (``IssuedDocument.content``).

The PDF is rendered from this alone, after the commit and maybe later: it must say what was
decided and issued, whatever the case, the item or the seal registry say afterwards. The official
wording is Chinese whatever the issuer's screen language (as on the notices).
"""

from __future__ import annotations

import datetime as dt

from apps.accounts.identifiers import mask_identifier
from apps.cases.codes import ApplicantKind

HOLDER_CODE_LABEL = {ApplicantKind.PERSON: "公民身份号码", ApplicantKind.ORGANISATION: "统一社会信用代码"}
DENIAL_TITLE = "不予许可决定书"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def certificate_content(
    case,
    rule,
    *,
    number: str,
    identifier: str,
    check_code: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    issued_on: dt.date,
    seal,
    verify_url: str,
) -> dict:
    filing = case.filing
    return {
        "title": rule.licence_type.name,
        "layout": rule.layout,
        "number": number,
        "identifier": identifier,
        "check_code": check_code,
        "holder_label": rule.holder_label,
        "holder_name": case.decision_holder or filing.applicant_name,
        "holder_code_label": HOLDER_CODE_LABEL[filing.applicant_kind],
        "holder_code": filing.applicant_id_number,
        "scope_label": rule.scope_label,
        "scope": case.decision_scope,
        "valid_from": _iso(valid_from),
        "valid_until": _iso(valid_until),
        "issuer": case.department.name,
        "issued_on": _iso(issued_on),
        "seal_id": seal.pk,
        "seal_name": seal.name,
        "verify_url": verify_url,
        "filing_number": filing.number,
        "item_name": case.item.name,
    }


def denial_content(case, *, number: str, issued_on: dt.date, seal) -> dict:
    filing = case.filing
    return {
        "title": DENIAL_TITLE,
        "number": number,
        "applicant_name": filing.applicant_name,
        "applicant_code_label": HOLDER_CODE_LABEL[filing.applicant_kind],
        "applicant_code": mask_identifier(filing.applicant_id_number),
        "item_name": case.item.name,
        "item_code": case.item.implementation_code,
        "filing_number": filing.number,
        "accepted_on": _iso(filing.accepted_on),
        "reasons": case.denial_reasons,
        "legal_basis": case.denial_legal_basis,
        "issuer": case.department.name,
        "issued_on": _iso(issued_on),
        "seal_id": seal.pk,
        "seal_name": seal.name,
    }
