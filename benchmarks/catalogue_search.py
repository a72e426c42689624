"""Catalogue search rendered server-side over generated items (issue 3).

Target on PostgreSQL: p95 ≤ 30 ms for a search request over 10,000 items. The items are written
with bulk_create (generation is not what is measured); the requests go through the whole Django
stack with the test client: middleware, view, selector, template. The CPU a request costs, in this
process and in its PostgreSQL server process, is reported beside the latencies, which a busy machine
stretches.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.db import connection
from django.test import Client

from benchmarks.harness import CpuMeter, time_calls

SIZES = {"small": 2_000, "full": 10_000}
WORDS = [
    "食品",
    "经营",
    "许可",
    "卫生",
    "医疗",
    "机构",
    "执业",
    "登记",
    "备案",
    "学校",
    "建筑",
    "施工",
    "消防",
    "排水",
    "广告",
    "户外",
    "药品",
    "零售",
    "出版",
    "印刷",
    "道路",
    "运输",
    "人力",
    "资源",
    "社保",
    "养老",
]


def generate(n: int) -> None:
    from apps.accounts.identifiers import uscc_check_char
    from apps.accounts.models import CentreLevel, Department, ServiceCentre
    from apps.catalogue.codes import ItemKind, ItemState
    from apps.catalogue.models import ApprovalCategory, ItemLineage, ItemMaterial, Material, ServiceItem
    from apps.catalogue.naming import pinyin_initials

    rng = random.Random(42)
    centre = ServiceCentre.objects.create(
        name="基准市政务服务中心", level=CentreLevel.CITY, region_code="350100"
    )
    departments = []
    for d in range(40):
        first17 = f"11350100{d:09d}"
        departments.append(
            Department(name=f"基准局{d}", credit_code=first17 + uscc_check_char(first17), centre=centre)
        )
    departments = Department.objects.bulk_create(departments)
    categories = ApprovalCategory.objects.bulk_create(
        ApprovalCategory(code=f"bench{c}", name=f"基准分类{c}", order=c) for c in range(5)
    )
    materials = Material.objects.bulk_create(
        Material(code=f"BM{m:04d}", name=f"基准材料{m}", material_type="certificate", source="applicant")
        for m in range(200)
    )
    lineages, items = [], []
    for i in range(n):
        department = departments[i % len(departments)]
        name = "".join(rng.sample(WORDS, 3)) + f"事项{i}"
        basic = f"{i:012d}"
        code = f"{department.credit_code}3{basic}"
        lineages.append(ItemLineage(kind=ItemKind.IMPLEMENTATION, code=code, centre=centre))
        items.append(dict(name=name, basic=basic, code=code, department=department))
    lineages = ItemLineage.objects.bulk_create(lineages, batch_size=2000)
    rows = [
        ServiceItem(
            lineage=lineage,
            version=1,
            state=ItemState.PUBLISHED,
            name=spec["name"],
            name_initials=pinyin_initials(spec["name"]),
            basic_code=spec["basic"],
            implementation_code=spec["code"],
            item_type="01",
            level="3",
            department=spec["department"],
            approval_category=categories[k % 5],
            legal_basis="依据",
            conditions="条件",
            legal_limit_days=20,
            promised_limit_days=10,
            handling_type="2",
            serves=["1", "2"],
            channels=["1", "2"] if k % 3 else ["2"],
            visits_required=k % 2,
            result_name="结果",
            consultation_phone="0591-1",
            supervision_phone="0591-2",
        )
        for k, (lineage, spec) in enumerate(zip(lineages, items, strict=True))
    ]
    rows = ServiceItem.objects.bulk_create(rows, batch_size=2000)
    ItemMaterial.objects.bulk_create(
        (
            ItemMaterial(
                item=item,
                material=materials[(k * 7 + j) % 200],
                order=j,
                original_count=1,
                necessity="required",
                form="paper",
            )
            for k, item in enumerate(rows)
            for j in range(5)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def run(scale: str) -> dict[str, float]:
    generate(SIZES[scale])
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    queries = [
        {"q": "食品经营"},
        {"q": "spjy"},
        {"q": "000000001"},
        {"q": "许可", "channel": "1", "visits": "1"},
        {"category": "bench2"},
        {"q": "基准局7"},
        {},
    ]
    rng = random.Random(7)

    def one():
        response = client.get("/guide/", rng.choice(queries))
        assert response.status_code == 200

    n = 200 if scale == "small" else 400
    meter = CpuMeter(connection).start()
    figures = time_calls(one, n)
    python_cpu, database_cpu = meter.stop()
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper counts whatever DEBUG is (the debug query log is off when measuring).
    with connection.execute_wrapper(count):
        client.get("/guide/", {"q": "许可", "channel": "1"})
    item_ids = list(
        __import__("apps.catalogue.models", fromlist=["ServiceItem"]).ServiceItem.objects.values_list(
            "lineage__code", flat=True
        )[:50]
    )
    guide = time_calls(lambda: client.get(f"/guide/items/{rng.choice(item_ids)}/"), 100)
    cpu = {"catalogue_search_python_cpu_ms": python_cpu * 1000 / (n + 1)}  # and time_calls' warm-up
    if database_cpu is not None:
        cpu["catalogue_search_database_cpu_ms"] = database_cpu * 1000 / (n + 1)
    return {
        "catalogue_items": SIZES[scale],
        "catalogue_search_median_ms": figures["median_ms"],
        "catalogue_search_p95_ms": figures["p95_ms"],
        "catalogue_search_queries": len(statements),
        **cpu,
        "catalogue_guide_page_median_ms": guide["median_ms"],
        "catalogue_guide_page_p95_ms": guide["p95_ms"],
    }
