"""Demo organisation: a city centre and one county centre, departments, windows and one user per role
(two catalogue admins: the city publishes with four eyes).

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
    # A county office with a single catalogue admin: publishing without a second person is allowed.
    "four_eyes_publishing": False,
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
    """The demo hall's one user of a role, at the city centre. The login is the role's code
    (``clerk``, ``approver`` …) unless ``login`` gives a shorter one."""

    role: Role
    full_name: str
    department: str | None = None
    window: str | None = None
    is_staff: bool = False
    id_number: str = ""  # a citizen's own identity (实名), what their online filings must carry
    login: str = ""

    @property
    def username(self) -> str:
        return self.login or self.role.value


DEMO_USERS = [
    DemoUser(Role.CLERK, "王小明", window="A01"),
    DemoUser(Role.APPROVER, "李审批", department="示范市市场监督管理局"),
    DemoUser(Role.DECISION_MAKER, "刘决定", department="示范市市场监督管理局", login="signer"),
    DemoUser(Role.ISSUER, "赵出证", window="C01"),
    DemoUser(Role.SEAL_KEEPER, "钱保管", window="C01", login="keeper"),
    DemoUser(Role.SUPERVISOR, "孙督办"),
    DemoUser(Role.CATALOGUE_ADMIN, "周事项", is_staff=True, login="catalogue"),
    # The city publishes with four eyes: the second catalogue admin publishes what 周事项 submits.
    DemoUser(Role.CATALOGUE_ADMIN, "吴审核", is_staff=True, login="reviewer"),
    DemoUser(Role.CITIZEN, "张三", id_number="11010519491231002X"),
]


def demo_account(role: Role) -> User:
    """The demo user of ``role`` (seeded by ``seed_organisation``): the first, for the catalogue admins."""
    demo = next(demo for demo in DEMO_USERS if demo.role == role)
    return User.objects.get(username=demo.username)


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
