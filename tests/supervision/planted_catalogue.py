"""A planted catalogue for the catalogue figures' tests, made through the real catalogue services.
Its right answers are worked out by hand from this plan, in the tests (never by the code under test).

Centre 示范中心 (the one supervised), two departments:

  item  dept  legal promised handling visits online appointment postal  materials      result
  a     市场   20     5        promised 0      yes    no          yes     M1 M2 M3
  b     市场   20    10        promised 1      yes    yes         no      M1 M4
  c     市场   10     0        即办     0      no     no          no      M6
  d     卫健   30    15        promised 2      no     yes         yes     M5             licence L
  e     卫健   21     7        promised 1      yes    no          no      M6 M7

M3 is a licence of type L, which item d produces. Bundles of the centre, published: B1 = a, b, d;
B2 = c, e; B3 = d, e. Beside them, counted nowhere: a draft item of 市场 and a draft bundle, a base
item, and another centre's item and bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.models import Department, ServiceCentre
from apps.catalogue import services
from apps.catalogue.codes import HandlingType, ItemKind, Visits
from apps.catalogue.models import Bundle, ServiceItem
from tests.factories import DepartmentFactory, ServiceCentreFactory
from tests.factories.catalogue import (
    BundleFactory,
    LicenceTypeFactory,
    MaterialFactory,
    checklist,
    make_item,
    requirement,
)


@dataclass
class PlantedCatalogue:
    centre: ServiceCentre
    market: Department
    health: Department
    other_centre: ServiceCentre
    items: dict[str, ServiceItem]
    bundles: dict[str, Bundle]


def item(department, materials, *, legal, promised, visits, online, appointment, postal, **extra):
    return make_item(
        department=department,
        children=checklist(*(requirement(m) for m in materials)),
        legal_limit_days=legal,
        promised_limit_days=promised,
        visits_required=visits,
        online_supported=online,
        appointment_supported=appointment,
        postal_delivery_supported=postal,
        **extra,
    )


def bundle(centre, name, items, promised, *, publish=True) -> Bundle:
    made = BundleFactory(centre=centre, name=name, promised_limit_days=promised)
    services.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=made.pk)
    if publish:
        services.publish_bundle(bundle_id=made.pk)
    made.refresh_from_db()
    return made


def planted_catalogue() -> PlantedCatalogue:
    centre = ServiceCentreFactory(name="示范中心")
    market = DepartmentFactory(centre=centre, name="市场监管局")
    health = DepartmentFactory(centre=centre, name="卫健委")
    licence = LicenceTypeFactory(name="许可证L")
    m1, m2, m4, m5, m6, m7 = (MaterialFactory(name=f"计数材料{n}") for n in (1, 2, 4, 5, 6, 7))
    m3 = MaterialFactory(name="计数材料3", licence_type=licence)
    items = {
        "a": item(
            market,
            [m1, m2, m3],
            legal=20,
            promised=5,
            visits=Visits.NONE,
            online=True,
            appointment=False,
            postal=True,
        ),
        "b": item(
            market,
            [m1, m4],
            legal=20,
            promised=10,
            visits=Visits.ONE,
            online=True,
            appointment=True,
            postal=False,
        ),
        "c": item(
            market,
            [m6],
            legal=10,
            promised=0,
            visits=Visits.NONE,
            online=False,
            appointment=False,
            postal=False,
            handling_type=HandlingType.IMMEDIATE,
        ),
        "d": item(
            health,
            [m5],
            legal=30,
            promised=15,
            visits=Visits.MORE,
            online=False,
            appointment=True,
            postal=True,
            result_licence_type=licence,
        ),
        "e": item(
            health,
            [m6, m7],
            legal=21,
            promised=7,
            visits=Visits.ONE,
            online=True,
            appointment=False,
            postal=False,
        ),
    }
    # Counted nowhere.
    draft = make_item(department=market, publish_it=False, legal_limit_days=99, promised_limit_days=1)
    make_item(kind=ItemKind.BASE, visits_required=Visits.NONE)
    other_centre = ServiceCentreFactory(name="别的中心")
    other_department = DepartmentFactory(centre=other_centre, name="别的部门")
    elsewhere = [make_item(department=other_department), make_item(department=other_department)]
    bundles = {
        "B1": bundle(centre, "一件事一", [items["a"], items["b"], items["d"]], 20),
        "B2": bundle(centre, "一件事二", [items["c"], items["e"]], 10),
        "B3": bundle(centre, "一件事三", [items["d"], items["e"]], 20),
    }
    bundle(centre, "草稿一件事", [items["a"], draft], 10, publish=False)
    bundle(other_centre, "别的一件事", elsewhere, 10)
    return PlantedCatalogue(centre, market, health, other_centre, items, bundles)
