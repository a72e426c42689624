"""What a notice says, captured in the transaction of the decision it documents.

A notice's content is a snapshot of the filing at the moment of the decision, stored on the notice
row as JSON. The PDF is rendered from that snapshot and the row's own fields (number, issue time,
tracking address) and nothing else, so it can be rendered later — by a worker, or on first print —
and still say exactly what the filing was when it was decided: a deficiency cleared or a clock
suspended afterwards does not change an issued notice.

The snapshot holds data, not wording: labels and phrasing live in ``rendering.LABELS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.accounts.identifiers import mask_identifier
from apps.cases.codes import SATISFIED, MaterialStatus


@dataclass
class FilingFacts:
    """The parts of a filing a notice prints, as the deciding service already holds them.

    ``checklist`` entries need their material loaded; ``clocks`` are the filing's case clocks (none
    before acceptance). Services pass what they loaded for the decision, so issuing a notice costs no
    further reads; ``load`` reads them for callers that hold nothing.
    """

    items: list  # ServiceItem versions, in the filing's order
    checklist: list  # ChecklistEntry, in the filing's order
    clocks: list  # worktime Clock of each case

    @classmethod
    def load(cls, filing) -> FilingFacts:
        return cls(
            items=[filed.item for filed in filing.items.select_related("item")],
            checklist=list(filing.checklist.select_related("material").order_by("order", "pk")),
            clocks=[case.clock for case in filing.cases.select_related("clock")],
        )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def promised_completion(clocks) -> tuple[dt.date | None, bool]:
    """The promised completion date of a filing (its cases' latest due date) and whether it is
    provisional (a clock crosses a year whose calendar is not entered)."""
    if not clocks:
        return None, False
    return max(c.due_on for c in clocks), any(c.provisional for c in clocks)


def snapshot(filing, facts: FilingFacts, *, clerk) -> dict:
    """The notice's content: everything it prints about the filing, as plain JSON."""
    names = {entry.material_id: entry.material.name for entry in facts.checklist}
    promised, provisional = promised_completion(facts.clocks)
    return {
        "centre": filing.centre.name,
        "filing_number": filing.number,
        "applicant_kind": filing.applicant_kind,
        "applicant_name": filing.applicant_name,
        "applicant_id_masked": filing.masked_id_number,
        # The agent who filed on the applicant's behalf (代理人), if any: printed beside the applicant.
        "agent_name": filing.agent_name,
        "agent_id_masked": mask_identifier(filing.agent_id_number) if filing.agent_id_number else "",
        "items": [{"name": item.name, "code": item.code} for item in facts.items],
        "accepted_on": _iso(filing.accepted_on),
        "promised_on": _iso(promised),
        "provisional": provisional,
        "clerk": (clerk.full_name or clerk.username) if clerk else "",
        "received": [
            {
                "material": entry.material.name,
                "status": entry.status,
                "certificate": entry.certificate_reference,
            }
            for entry in facts.checklist
            if entry.status in SATISFIED
        ],
        "missing": [
            entry.material.name for entry in facts.checklist if entry.status == MaterialStatus.DEFICIENT
        ],
        "commitment_date": _iso(filing.commitment_date),
        "completion": [
            {"material": names.get(c.get("material")), "reason": c["reason"]} for c in filing.completion_list
        ],
        "reasons": filing.decision_reasons,
        "legal_basis": filing.decision_legal_basis,
    }
