"""Demo organisation: a city centre and one county centre, departments, windows and one user per role.

Idempotent: every row is found by its natural key and brought back to the values below.
The credit codes are valid GB 32100 codes (with valid GB 11714 organisation codes inside) that
belong to no real body.
"""

from dataclasses import dataclass

from django.conf import settings

from apps.accounts.models import CentreLevel, Department, ServiceCentre, User, Window, WindowKind
from apps.accounts.roles import Role
from apps.accounts.services import assign_role

CITY = {
    "name": "示范市政务服务中心",
    "level": CentreLevel.CITY,
    "region_code": "350100",
    "address": "示范市行政服务大道 1 号",
}
COUNTY = {
    "name": "示范市东城区政务服务中心",
    "level": CentreLevel.COUNTY,
    "region_code": "350104",
    "address": "东城区民生路 8 号",
}

CITY_DEPARTMENTS = [
    ("11350100003001017A", "示范市市场监督管理局"),
    ("113501000030010255", "示范市卫生健康委员会"),
    ("113501000030010330", "示范市教育局"),
    ("11350100003001041T", "示范市住房和城乡建设局"),
    ("1135010000300105XJ", "示范市人力资源和社会保障局"),
]
COUNTY_DEPARTMENTS = [("11350104004001019G", "示范市东城区市场监督管理局")]

CITY_WINDOWS = [
    ("A01", WindowKind.COMPREHENSIVE),
    ("A02", WindowKind.COMPREHENSIVE),
    ("A03", WindowKind.COMPREHENSIVE),
    ("A04", WindowKind.COMPREHENSIVE),
    ("C01", WindowKind.ISSUING),
    ("C02", WindowKind.ISSUING),
]
COUNTY_WINDOWS = [("A01", WindowKind.COMPREHENSIVE), ("C01", WindowKind.ISSUING)]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    department: str | None = None
    window: str | None = None
    is_staff: bool = False
    id_number: str = ""  # a citizen's own identity (实名), what their online filings must carry


DEMO_USERS = [
    DemoUser("clerk", "王小明", Role.CLERK, window="A01"),
    DemoUser("approver", "李审批", Role.APPROVER, department="示范市市场监督管理局"),
    DemoUser("signer", "刘决定", Role.DECISION_MAKER, department="示范市市场监督管理局"),
    DemoUser("issuer", "赵出证", Role.ISSUER, window="C01"),
    DemoUser("keeper", "钱保管", Role.SEAL_KEEPER, window="C01"),
    DemoUser("supervisor", "孙督办", Role.SUPERVISOR),
    DemoUser("catalogue", "周事项", Role.CATALOGUE_ADMIN, is_staff=True),
    DemoUser("citizen", "张三", Role.CITIZEN, id_number="11010519491231002X"),
]


def _centre(values: dict, parent=None) -> ServiceCentre:
    centre, _ = ServiceCentre.objects.update_or_create(
        name=values["name"], defaults={**values, "parent": parent}
    )
    return centre


def seed_organisation() -> list[DemoUser]:
    city = _centre(CITY)
    county = _centre(COUNTY, parent=city)
    for centre, departments, windows in (
        (city, CITY_DEPARTMENTS, CITY_WINDOWS),
        (county, COUNTY_DEPARTMENTS, COUNTY_WINDOWS),
    ):
        for code, name in departments:
            Department.objects.update_or_create(credit_code=code, defaults={"name": name, "centre": centre})
        for number, kind in windows:
            Window.objects.update_or_create(centre=centre, number=number, defaults={"kind": kind})

    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(username=demo.username)
        user.full_name, user.is_staff, user.id_number = demo.full_name, demo.is_staff, demo.id_number
        if created or not user.has_usable_password():
            user.set_password(settings.HALL_DEMO_PASSWORD)
        user.save()
        assign_role(
            user=user,
            role=demo.role,
            centre=None if demo.role == Role.CITIZEN else city,
            department=Department.objects.get(name=demo.department) if demo.department else None,
            window=Window.objects.get(centre=city, number=demo.window) if demo.window else None,
        )

    admin, created = User.objects.get_or_create(
        username="admin", defaults={"full_name": "系统管理员", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(settings.HALL_DEMO_PASSWORD)
        admin.save()
    return DEMO_USERS
