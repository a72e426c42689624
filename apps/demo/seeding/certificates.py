"""Demo certificate desk: an issuing rule for every certificate type, and a seal for every
department, kept by the demo seal keeper. Idempotent: rules and seals are found by their natural
keys; a seal's image is drawn only when the seal is created (a hall replaces it with its scan)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from apps.accounts.models import Department, User
from apps.catalogue.naming import pinyin_initials
from apps.certificates.models import IssuingRule, Layout, Seal, SealKind
from apps.certificates.seal_images import draw_seal
from apps.licences.models import LicenceType

KEEPER_USERNAME = "keeper"

# Types printed differently from the default (名称 / 许可范围, portrait, 5 years).
RULES = {
    "营业执照": {
        "holder_label": "名称",
        "scope_label": "经营范围",
        "layout": Layout.LANDSCAPE,
        "validity_years": None,
    },
    "食品经营许可证": {
        "holder_label": "经营者名称",
        "scope_label": "经营项目",
        "number_format": "JY{region}{year}{serial:06d}",
    },
    "食品生产许可证": {
        "holder_label": "生产者名称",
        "scope_label": "食品类别",
        "number_format": "SC{region}{year}{serial:06d}",
    },
    "公共场所卫生许可证": {"holder_label": "单位名称", "scope_label": "许可项目", "validity_years": 4},
}


def _rule_values(licence_type: LicenceType) -> dict:
    prefix = pinyin_initials(licence_type.name)[:4].upper()
    return {
        "number_format": f"{prefix}{{region}}{{year}}{{serial:06d}}",
        "validity_years": 5,
        "holder_label": "名称",
        "scope_label": "许可范围",
        "layout": Layout.PORTRAIT,
        **RULES.get(licence_type.name, {}),
    }


def seed_certificate_desk() -> dict:
    rules = 0
    for licence_type in LicenceType.objects.all():
        IssuingRule.objects.get_or_create(licence_type=licence_type, defaults=_rule_values(licence_type))
        rules += 1
    keeper = User.objects.get(username=KEEPER_USERNAME)
    seals = 0
    for department in Department.objects.select_related("centre"):
        seal, created = Seal.objects.get_or_create(
            department=department,
            name=f"{department.name}行政审批专用章",
            defaults={"kind": SealKind.APPROVAL, "custodian": keeper},
        )
        if created:
            seal.image.save(f"seal-{department.pk}.png", ContentFile(draw_seal(department.name)), save=True)
        seals += 1
    return {"rules": rules, "seals": seals}
