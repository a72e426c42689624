"""Importing a large catalogue workbook with publishing (issue 4: 2,500 items in at most 30 s on
PostgreSQL).

The workbook is generated: a fifth of the items are base items, each implemented by four departments
of one centre; every item asks for eight materials of a shared dictionary of 200, has three process
steps and an FAQ entry, and every third is charged with one fee. The timed call is
``import_catalogue(..., publish=True)`` on an empty catalogue, reading the .xlsx included. Everything
runs in a transaction that is rolled back, so the benchmark database is left as it was.
"""

from __future__ import annotations

import random
import time

SIZES = {"small": 300, "full": 2500}
DICTIONARY_SIZE = 200
MATERIALS_PER_ITEM = 8
IMPLEMENTATIONS_PER_BASE = 4
CENTRE = "基准测试政务服务中心"
CATEGORY = "bench"


def run(scale: str) -> dict[str, float]:
    from django.db import transaction

    from apps.catalogue.transfer.importer import import_catalogue
    from apps.catalogue.transfer.writers import write_xlsx

    items = SIZES[scale]
    with transaction.atomic():
        departments = _organisation()
        data = write_xlsx(workbook_rows(items, departments))
        start = time.perf_counter()
        report = import_catalogue(data, publish=True)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    imported = report.counts["items"].created
    return {
        "catalogue_import_items": imported,
        "catalogue_import_seconds": seconds,
        "catalogue_import_items_per_second": imported / seconds,
    }


def _organisation() -> list[str]:
    """A centre with four departments and the approval category the items use; their credit codes."""
    from apps.accounts.identifiers import uscc_check_char
    from apps.accounts.models import CentreLevel, Department, ServiceCentre
    from apps.catalogue.models import ApprovalCategory

    centre = ServiceCentre.objects.create(name=CENTRE, level=CentreLevel.CITY, region_code="350100")
    ApprovalCategory.objects.create(code=CATEGORY, name="基准测试分类")
    codes = []
    for n in range(IMPLEMENTATIONS_PER_BASE):
        first17 = f"11350100{n + 900:09d}"
        code = first17 + uscc_check_char(first17)
        Department.objects.create(name=f"基准测试局{n}", credit_code=code, centre=centre)
        codes.append(code)
    return codes


def workbook_rows(items: int, departments: list[str]) -> dict[str, list[dict]]:
    chooser = random.Random(4)  # the same workbook every run
    dictionary = [f"BM{n:04d}" for n in range(DICTIONARY_SIZE)]
    rows: dict[str, list[dict]] = {
        "materials": [_material(code, n) for n, code in enumerate(dictionary)],
        "items": [],
        "item_materials": [],
        "fees": [],
        "steps": [],
        "faqs": [],
    }
    for n in range(items):
        base_number, offset = divmod(n, IMPLEMENTATIONS_PER_BASE + 1)
        basic_code = f"{700000000000 + base_number:012d}"
        department = departments[offset - 1] if offset else ""
        code = f"{department}3{basic_code}" if offset else basic_code
        charged = n % 3 == 0
        rows["items"].append(_item(n, basic_code, code if offset else "", department, charged))
        materials = chooser.sample(dictionary, MATERIALS_PER_ITEM)
        rows["item_materials"] += [
            _requirement(code, material, order) for order, material in enumerate(materials)
        ]
        rows["steps"] += [
            {"item_code": code, "order": order, "name": name, "description": ""}
            for order, name in enumerate(("受理", "审查", "决定"))
        ]
        rows["faqs"].append({"item_code": code, "order": 0, "question": "需要预约吗？", "answer": "不需要。"})
        if charged:
            rows["fees"].append(
                {"item_code": code, "order": 0, "name": "工本费", "standard": "10元/件", "basis": "价格文件"}
            )
    return rows


def _material(code: str, n: int) -> dict:
    return {
        "code": code,
        "name": f"基准测试材料{n}",
        "material_type": "certificate" if n % 2 else "form",
        "source": "applicant",
        "issuing_body": "",
        "description": "",
        "licence_type": "",
    }


def _item(n: int, basic_code: str, implementation_code: str, department: str, charged: bool) -> dict:
    return {
        "kind": "implementation" if implementation_code else "base",
        "basic_code": basic_code,
        "implementation_code": implementation_code,
        "base_code": basic_code if implementation_code else "",
        "name": f"基准测试事项{n // (IMPLEMENTATIONS_PER_BASE + 1)}",
        "item_type": "01",
        "level": "3",
        "department": department,
        "approval_category": CATEGORY,
        "legal_basis": "《中华人民共和国行政许可法》第十二条",
        "conditions": "申请人具备相应条件。",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "limit_note": "",
        "handling_type": "2",
        "special_procedures": "expert_review",
        "max_extension_days": 10,
        "requires_second_signoff": False,
        "is_charged": charged,
        "serves": "1,2",
        "channels": "1,2",
        "visits_required": 1,
        "online_supported": True,
        "appointment_supported": False,
        "postal_delivery_supported": True,
        "result_name": "许可证",
        "result_licence_type": "",
        "location": "二楼" if implementation_code else "",
        "hours": "",
        "consultation_phone": "0591-12345678",
        "supervision_phone": "0591-12345679",
        "change_note": "",
    }


def _requirement(item_code: str, material: str, order: int) -> dict:
    return {
        "item_code": item_code,
        "material_code": material,
        "order": order,
        "original_count": 1,
        "copy_count": order % 2,
        "necessity": "required",
        "form": "paper",
        "acceptance_standard": "",
        "e_certificate_accepted": True,
        "note": "",
    }
