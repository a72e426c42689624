"""Write docs/catalogue-sample.xlsx, a small valid catalogue workbook for `manage.py import_catalogue`.

    .venv/bin/python docs/make_catalogue_sample.py

It holds five materials, three items (a base item, its implementation by the market regulator, and an
implementation of the health commission without a base item) and a draft bundle of the two
implementations. It imports cleanly, with or without --publish, into a database that has what it
names, as the demo hall (`manage.py seed_demo`) does:

- service centre 示范市政务服务中心;
- departments 11350100003001017A 示范市市场监督管理局 and 113501000030010255 示范市卫生健康委员会;
- approval categories `market` and `culture_health`.

The layout (sheets, columns, the two header rows) is described in apps/catalogue/transfer/tables.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "catalogue-sample.xlsx"

MARKET = "11350100003001017A"  # 示范市市场监督管理局
HEALTH = "113501000030010255"  # 示范市卫生健康委员会
CENTRE = "示范市政务服务中心"
# Codes and names of their own (basic codes 000999…, "（示例）" in names), so that the sample adds to the
# demo catalogue instead of changing its entries: material names are unique.
FOOD_BASIC = "000999001000"
HYGIENE_BASIC = "000999002000"
FOOD = f"{MARKET}3{FOOD_BASIC}"
HYGIENE = f"{HEALTH}3{HYGIENE_BASIC}"

MATERIALS = [
    ("SAMPLE-M1", "申请人身份证件（示例）", "certificate", "government", "公安机关"),
    ("SAMPLE-M2", "营业执照（示例）", "certificate", "government", "市场监督管理部门"),
    ("SAMPLE-M3", "食品经营许可申请书（示例）", "form", "applicant", ""),
    ("SAMPLE-M4", "公共场所卫生许可申请书（示例）", "form", "applicant", ""),
    ("SAMPLE-M5", "经营场所平面布局图（示例）", "other", "applicant", ""),
]
CERTIFICATES = ("SAMPLE-M1", "SAMPLE-M2")
STEPS = [
    ("受理", "窗口核对材料，当场受理或一次性告知"),
    ("审查", ""),
    ("决定", ""),
    ("送达", "统一出证窗口发证"),
]


def _item(kind: str, basic_code: str, code: str, base_code: str, department: str, **values) -> dict:
    row = {
        "kind": kind,
        "basic_code": basic_code,
        "implementation_code": code,
        "base_code": base_code,
        "department": department,
        "item_type": "01",
        "level": "3",
        "legal_basis": "《中华人民共和国行政许可法》第十二条",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "limit_note": "",
        "handling_type": "2",
        "special_procedures": "",
        "max_extension_days": 10,
        "requires_second_signoff": False,
        "is_charged": False,
        "serves": "1,2",
        "channels": "1,2,3",
        "visits_required": 1,
        "online_supported": True,
        "appointment_supported": True,
        "postal_delivery_supported": True,
        "result_licence_type": "",
        "location": "",
        "hours": "",
        "consultation_phone": "0591-12345678",
        "supervision_phone": "0591-12345679",
        "change_note": "示例数据",
    }
    row.update(values)
    return row


def _items() -> list[dict]:
    food = {
        "name": "食品经营许可（示例）",
        "approval_category": "market",
        "conditions": "申请人取得营业执照，具有与经营的食品品种、数量相适应的经营场所。",
        "special_procedures": "site_survey",
        "result_name": "食品经营许可证",
    }
    return [
        _item("base", FOOD_BASIC, "", "", "", **food),
        _item(
            "implementation", FOOD_BASIC, FOOD, FOOD_BASIC, MARKET,
            location="示范市政务服务中心二楼 A 区", hours="周一至周五 9:00-17:00", **food,
        ),
        _item(
            "implementation", HYGIENE_BASIC, HYGIENE, "", HEALTH,
            name="公共场所卫生许可（示例）", approval_category="culture_health",
            conditions="公共场所的卫生设施和条件符合卫生规范。", result_name="公共场所卫生许可证",
            legal_limit_days=20, promised_limit_days=7,
            location="示范市政务服务中心二楼 B 区", hours="周一至周五 9:00-17:00",
        ),
    ]  # fmt: skip


def _requirements(code: str, materials: list[str]) -> list[dict]:
    return [
        {
            "item_code": code,
            "material_code": material,
            "order": order,
            "original_count": 1,
            "copy_count": 1 if material in CERTIFICATES else 0,
            "necessity": "deferrable" if material == "SAMPLE-M5" else "required",
            "form": "both" if material in CERTIFICATES else "paper",
            "acceptance_standard": "真实、有效、清晰" if material in CERTIFICATES else "",
            "e_certificate_accepted": material in CERTIFICATES,
            "note": "",
        }
        for order, material in enumerate(materials)
    ]


def sample_rows() -> dict[str, list[dict]]:
    """The sample workbook's rows, sheet by sheet (cell values as the exporter writes them)."""
    food = ["SAMPLE-M1", "SAMPLE-M2", "SAMPLE-M3", "SAMPLE-M5"]
    codes = {FOOD_BASIC: food, FOOD: food, HYGIENE: ["SAMPLE-M1", "SAMPLE-M2", "SAMPLE-M4", "SAMPLE-M5"]}
    return {
        "materials": [
            {"code": c, "name": n, "material_type": t, "source": s, "issuing_body": b, "description": "",
             "licence_type": ""}
            for c, n, t, s, b in MATERIALS
        ],
        "items": _items(),
        "item_materials": [row for code, names in codes.items() for row in _requirements(code, names)],
        "fees": [],
        "steps": [
            {"item_code": code, "order": order, "name": name, "description": description}
            for code in codes
            for order, (name, description) in enumerate(STEPS)
        ],
        "faqs": [
            {"item_code": code, "order": 0, "question": "可以网上办理吗？",
             "answer": "可以，在网上办事大厅提交申请。"}
            for code in codes
        ],
        "bundles": [
            {"code": "SAMPLE-B1", "name": "我要开餐馆（示例）", "centre": CENTRE, "promised_limit_days": 7,
             "description": "食品经营许可与公共场所卫生许可一次办。", "state": "draft"}
        ],
        "bundle_items": [
            {"bundle_code": "SAMPLE-B1", "item_code": FOOD, "order": 0},
            {"bundle_code": "SAMPLE-B1", "item_code": HYGIENE, "order": 1},
        ],
    }  # fmt: skip


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")
    import django

    django.setup()
    from django.utils import translation

    from apps.catalogue.transfer.writers import write_xlsx

    with translation.override("zh-hans"):  # the label row in Chinese
        OUTPUT.write_bytes(write_xlsx(sample_rows()))
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
