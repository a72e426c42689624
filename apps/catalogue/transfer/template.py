"""The template workbook a catalogue admin starts from: every sheet the importer reads, with the key
row and the label row (Chinese in the Chinese UI, each label's comment listing the allowed codes), and
one example row per sheet of a base item and what it needs.

It is written by ``writers.write_workbook`` from ``tables.SHEETS``, the column definitions the importer
reads, so the template cannot drift from the importer; ``EXAMPLE`` names its cells by column key, and
a key that is not a column of its sheet fails at import time (below), not silently in the file.

The example imports as it is (a draft base item, its material, fee, step and FAQ entry), given an
approval category with the code ``market``. Bundles hold implementations of a centre, which differ
from hall to hall: their sheets have the header rows only.
"""

from __future__ import annotations

from apps.catalogue.transfer.tables import SHEETS_BY_KEY
from apps.catalogue.transfer.writers import write_workbook

FILENAME = "catalogue-template.xlsx"
EXAMPLE_CODE = "000999001000"
EXAMPLE_MATERIAL = "SAMPLE-M1"

EXAMPLE: dict[str, list[dict]] = {
    "materials": [
        {
            "code": EXAMPLE_MATERIAL,
            "name": "食品经营许可申请书（示例）",
            "material_type": "form",
            "source": "applicant",
            "issuing_body": "",
            "description": "申请人填写并签字",
            "licence_type": "",
        }
    ],
    "items": [
        {
            "kind": "base",
            "basic_code": EXAMPLE_CODE,
            "implementation_code": "",
            "base_code": "",
            "name": "食品经营许可（示例）",
            "item_type": "01",
            "level": "3",
            "department": "",
            "approval_category": "market",
            "legal_basis": "《中华人民共和国行政许可法》第十二条",
            "conditions": "申请人取得营业执照，具有与经营的食品品种、数量相适应的经营场所。",
            "legal_limit_days": 20,
            "promised_limit_days": 10,
            "limit_note": "",
            "handling_type": "2",
            "special_procedures": "site_survey",
            "max_extension_days": 10,
            "requires_second_signoff": False,
            "is_charged": True,
            "serves": "1,2",
            "channels": "1,2,3",
            "visits_required": 1,
            "online_supported": True,
            "appointment_supported": True,
            "postal_delivery_supported": True,
            "result_name": "食品经营许可证",
            "result_licence_type": "",
            "location": "",
            "hours": "",
            "consultation_phone": "0591-12345678",
            "supervision_phone": "0591-12345679",
            "change_note": "示例数据",
        }
    ],
    "item_materials": [
        {
            "item_code": EXAMPLE_CODE,
            "material_code": EXAMPLE_MATERIAL,
            "order": 0,
            "original_count": 1,
            "copy_count": 0,
            "necessity": "required",
            "form": "paper",
            "acceptance_standard": "内容完整、签字清晰",
            "e_certificate_accepted": False,
            "note": "",
        }
    ],
    "fees": [
        {"item_code": EXAMPLE_CODE, "order": 0, "name": "工本费", "standard": "10元/件", "basis": "示例"}
    ],
    "steps": [{"item_code": EXAMPLE_CODE, "order": 0, "name": "受理", "description": "窗口核对材料"}],
    "faqs": [{"item_code": EXAMPLE_CODE, "order": 0, "question": "可以网上办理吗？", "answer": "可以。"}],
}


def _check_example() -> None:
    for key, rows in EXAMPLE.items():
        columns = set(SHEETS_BY_KEY[key].keys)
        for row in rows:
            unknown = set(row) - columns
            if unknown:
                raise LookupError(f"the template's example names no column of {key}: {sorted(unknown)}")


_check_example()


def template_workbook() -> bytes:
    """The template as .xlsx bytes, labels in the active language."""
    return write_workbook(EXAMPLE, "xlsx")
