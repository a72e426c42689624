"""A filing returned twice for the same material (重复补正)."""

from __future__ import annotations

from django.utils import timezone

from apps.cases.models import Filing, FilingItem
from apps.catalogue.models import Material
from apps.supervision.anomalies.findings import Finding, Window, iso, logged
from apps.supervision.models import AnomalyRule

RULE = AnomalyRule.RETURNED_TWICE

# A resubmission chain longer than this is read no further (one query per link).
MAX_CHAIN = 20


def _materials(completion_list) -> set[int]:
    return {line["material"] for line in completion_list or [] if isinstance(line.get("material"), int)}


def find(window: Window) -> list[Finding]:
    """一次性告知 means everything missing is said at once. A filing returned for completion in the
    window (``return_for_completion``) is flagged for each material on its completion list that was
    on the list of a filing it resubmits (``resubmission_of``, followed up the chain: the portal's
    resubmission and the window's). The first return of a material is never a finding, and lines that
    name no material (a reason about the filing) are not compared. One finding per (filing, material).

    Queries: the returned filings, one per link of their chains (rarely more than two), the
    materials' names and the filings' departments."""
    returned = list(
        Filing.objects.filter(pk__in=logged(window, Filing, ["return_for_completion"])).values(
            "pk", "number", "centre_id", "resubmission_of_id", "completion_list", "decided_at"
        )
    )
    earlier: dict[int, dict] = {}
    wanted = {row["resubmission_of_id"] for row in returned} - {None}
    for _ in range(MAX_CHAIN):
        wanted -= earlier.keys()
        if not wanted:
            break
        for row in Filing.objects.filter(pk__in=wanted).values(
            "pk", "number", "resubmission_of_id", "completion_list"
        ):
            earlier[row["pk"]] = row
        wanted = {row["resubmission_of_id"] for row in earlier.values()} - {None}

    repeated = []  # (filing row, material id, numbers of the earlier filings that listed it)
    for row in returned:
        listed: dict[int, list[str]] = {}
        link = row["resubmission_of_id"]
        seen = set()
        while link in earlier and link not in seen:
            seen.add(link)
            before = earlier[link]
            for material in _materials(before["completion_list"]):
                listed.setdefault(material, []).append(before["number"])
            link = before["resubmission_of_id"]
        repeated += [
            (row, material, listed[material])
            for material in sorted(_materials(row["completion_list"]))
            if material in listed
        ]
    if not repeated:
        return []
    names = dict(Material.objects.filter(pk__in={m for _, m, _ in repeated}).values_list("pk", "name"))
    departments: dict[int, set] = {}
    for filing_id, department_id in FilingItem.objects.filter(
        filing_id__in={row["pk"] for row, _, _ in repeated}
    ).values_list("filing_id", "item__department_id"):
        departments.setdefault(filing_id, set()).add(department_id)
    findings = []
    for row, material, numbers in repeated:
        own = departments.get(row["pk"], set())
        findings.append(
            Finding(
                rule=RULE,
                subject=Filing,
                subject_id=row["pk"],
                centre_id=row["centre_id"],
                # A filing of one department's items is that department's; a bundle's is the centre's.
                department_id=next(iter(own)) if len(own) == 1 else None,
                filing_id=row["pk"],
                day=timezone.localdate(row["decided_at"]) if row["decided_at"] else window.today,
                detail={
                    "material": material,
                    "material_name": names.get(material, ""),
                    "earlier": numbers,
                    "returned_at": iso(row["decided_at"]),
                },
                fingerprint=f"material:{material}",
            )
        )
    return findings
