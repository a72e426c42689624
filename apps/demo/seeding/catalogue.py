"""Demo catalogue: base items, the city's and the county's implementations, and bundles (一件事).

Everything goes through ``apps.catalogue.services``, as catalogue admins would: one creates and
submits for review, the other publishes (four eyes). Idempotent: reference rows (categories,
certificate types, materials) are found by their codes and brought back to the values in
``catalogue_data``; an item lineage or a bundle that already exists is left alone, so a second run
creates no new version (and keeps whatever a catalogue admin changed since). Run after
``seed_organisation``, whose departments and users it uses.
"""

from apps.accounts.models import Department, User
from apps.catalogue import services
from apps.catalogue.codes import ItemKind, ItemState
from apps.catalogue.models import ApprovalCategory, Bundle, ItemLineage, Material
from apps.demo.seeding import catalogue_data as data
from apps.licences.models import LicenceType

ACTOR_USERNAME = "catalogue"  # the demo catalogue admin (seed_organisation)
REVIEWER_USERNAME = "reviewer"  # the second one, who publishes what the first submits (four eyes)


def _reference_rows() -> tuple[dict, dict, dict]:
    categories = {}
    for order, (code, name) in enumerate(data.CATEGORIES):
        categories[code], _ = ApprovalCategory.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    licence_types = {}
    for code, name, authority in data.LICENCE_TYPES:
        licence_types[name], _ = LicenceType.objects.update_or_create(
            code=code, defaults={"name": name, "issuing_authority": authority}
        )
    materials = {}
    for code, name, material_type, source, issuing_body, licence, form in data.MATERIALS:
        material, _ = Material.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "material_type": material_type,
                "source": source,
                "issuing_body": issuing_body,
                "licence_type": licence_types[licence] if licence else None,
            },
        )
        materials[code] = (material, form)
    return categories, licence_types, materials


def _base_values(spec: dict, categories: dict, licence_types: dict) -> dict:
    spec = {**data.ITEM_DEFAULTS, **spec}
    return {
        "name": spec["name"],
        "basic_code": spec["code"],
        "item_type": spec["type"],
        "level": spec["level"],
        "approval_category": categories[spec["category"]],
        "legal_basis": spec["basis"],
        "conditions": spec["conditions"],
        "legal_limit_days": spec["legal"],
        "promised_limit_days": spec["promised"],
        "limit_note": spec["note"],
        "handling_type": spec["handling"],
        "special_procedures": spec["special"],
        "max_extension_days": spec["extension"],
        "requires_second_signoff": spec["signoff"],
        "is_charged": bool(spec["fees"]),
        "serves": spec["serves"],
        "channels": spec["channels"],
        "visits_required": spec["visits"],
        "online_supported": spec["online"],
        "appointment_supported": spec["appointment"],
        "postal_delivery_supported": spec["post"],
        "result_name": spec["result"],
        "result_licence_type": licence_types[spec["result_licence"]] if spec["result_licence"] else None,
        "consultation_phone": data.BASE_PHONE,
        "supervision_phone": data.BASE_PHONE,
    }


def _children(spec: dict, materials: dict) -> services.ItemChildren:
    requirements = []
    for code, necessity, originals, copies, *standard in spec["materials"]:
        material, form = materials[code]
        requirements.append(
            {
                "material": material,
                "necessity": necessity,
                "original_count": originals,
                "copy_count": copies,
                "form": form,
                "acceptance_standard": standard[0] if standard else "",
            }
        )
    steps = data.STEPS[spec["steps"]] if isinstance(spec["steps"], str) else spec["steps"]
    return services.ItemChildren(
        materials=requirements,
        steps=[{"name": name, "description": description} for name, description in steps],
        fees=[{"name": n, "standard": s, "basis": b} for n, s, b in spec.get("fees", [])],
        faqs=[{"question": q, "answer": a} for q, a in spec.get("faqs", [])],
    )


def _publish(item, actor) -> None:
    """Submitted by ``actor`` and published by the other catalogue admin (四眼原则); the seed's own
    items (no actor) by the hall."""
    reviewer = User.objects.filter(username=REVIEWER_USERNAME).first() if actor is not None else None
    services.submit_for_review(item_id=item.pk, actor=actor, comment="示范数据")
    services.publish(item_id=item.pk, actor=reviewer, comment="示范数据")


def _implement(
    base: ItemLineage, department: Department, local: dict, actor, deviation: dict | None = None
) -> tuple[ItemLineage, bool]:
    """The department's implementation of ``base`` (at its centre's level), published; found by its
    code if it exists. ``deviation`` edits standard elements in the draft, as a careless local editor
    would: the consistency report (多级十同) then has something real to show."""
    code = f"{department.credit_code}{department.centre.level}{base.code}"
    existing = ItemLineage.objects.filter(kind=ItemKind.IMPLEMENTATION, code=code).first()
    if existing is not None:
        return existing, False
    item = services.implement_base_item(base=base, department=department, local=local, actor=actor)
    if deviation:
        item = services.update_draft(item_id=item.pk, values=deviation, actor=actor)
    _publish(item, actor)
    return item.lineage, True


def seed_catalogue() -> dict:
    """Load the demo catalogue; returns how many of each thing the seed defines and how many it created."""
    actor = User.objects.filter(username=ACTOR_USERNAME).first()
    categories, licence_types, materials = _reference_rows()
    city_departments = {
        key: (Department.objects.get(name=name), phone)
        for key, (name, phone) in data.CITY_DEPARTMENTS.items()
    }
    county_department = Department.objects.get(name=data.COUNTY_DEPARTMENT)
    created = {"base_items": 0, "implementations": 0, "bundles": 0}

    city_lineages = {}
    for spec in data.ITEMS:
        base = ItemLineage.objects.filter(kind=ItemKind.BASE, code=spec["code"]).first()
        if base is None:
            item = services.create_item(
                kind=ItemKind.BASE,
                values=_base_values(spec, categories, licence_types),
                children=_children(spec, materials),
                actor=actor,
            )
            _publish(item, actor)
            base = item.lineage
            created["base_items"] += 1
        if not base.versions.filter(state=ItemState.PUBLISHED).exists():
            continue  # retired by an admin since: nothing to implement
        department, phone = city_departments[spec["dept"]]
        local = {**data.CITY_LOCAL, "consultation_phone": phone}
        city_lineages[spec["code"]], new = _implement(base, department, local, actor)
        created["implementations"] += new
        if spec["code"] in data.COUNTY_IMPLEMENTATIONS:
            deviation = data.COUNTY_IMPLEMENTATIONS[spec["code"]]
            # The demo's catalogue admin works at the city: the county's items are the seed's own
            # (no actor), as the catalogue services let only a centre's catalogue admins change its items.
            created["implementations"] += _implement(
                base, county_department, data.COUNTY_LOCAL, None, deviation=deviation
            )[1]

    city = next(iter(city_departments.values()))[0].centre
    for code, name, promised, description, item_codes in data.BUNDLES:
        if Bundle.objects.filter(code=code).exists() or not all(c in city_lineages for c in item_codes):
            continue
        bundle = services.save_bundle(
            values={
                "code": code,
                "name": name,
                "centre": city,
                "promised_limit_days": promised,
                "description": description,
            },
            lineage_ids=[city_lineages[item_code].pk for item_code in item_codes],
        )
        services.publish_bundle(bundle_id=bundle.pk, actor=actor, comment="示范数据")
        created["bundles"] += 1

    return {
        "categories": len(data.CATEGORIES),
        "licence_types": len(data.LICENCE_TYPES),
        "materials": len(data.MATERIALS),
        "base_items": len(data.ITEMS),
        "implementations": len(data.ITEMS) + len(data.COUNTY_IMPLEMENTATIONS),
        "bundles": len(data.BUNDLES),
        "created": created,
    }
