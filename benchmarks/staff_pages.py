"""Every page a staff member uses in a day, and logging in (issue 15).

Target on PostgreSQL: each page answers in ≤ 300 ms p95, and a login (the form posted, the password
checked with the real hasher, the session made) in < 500 ms. The demo hall is seeded (its users, its
catalogue, its certificate desk), then the city centre's window A01 takes in filings for the market
regulator's items through the intake services (3,000 at full scale, 200 small), so that the desk lists,
searches and queues have rows to read. Requests go through the whole Django stack (middleware, view,
selectors, template) with the test client, logged in as each demo role.
"""

from __future__ import annotations

import contextlib
import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from benchmarks.harness import time_calls

SIZES = {"small": 200, "full": 3_000}
CALLS = {"small": 20, "full": 60}
LOGINS = {"small": 10, "full": 20}


def _fill(count: int):
    """``count`` filings accepted at window A01 today, for the market regulator's items; returns the last."""
    from apps.accounts.identifiers import resident_id_check_char
    from apps.accounts.models import ServiceCentre, Window
    from apps.accounts.roles import Role
    from apps.cases import services
    from apps.cases.applicants import ApplicantData
    from apps.cases.codes import ApplicantKind, MaterialStatus
    from apps.catalogue import selectors as catalogue
    from apps.catalogue.codes import Necessity
    from apps.demo.seeding.organisation import CITY, demo_account

    centre = ServiceCentre.objects.get(name=CITY["name"])
    window = Window.objects.get(centre=centre, number="A01")
    clerk = demo_account(Role.CLERK)
    item_ids = list(
        catalogue.offered_items()
        .filter(lineage__centre=centre, department__name="示范市市场监督管理局")
        .values_list("pk", flat=True)
    )
    rng = random.Random(15)
    filing = None
    for n in range(count):
        item_id = rng.choice(item_ids)
        applicant = ApplicantData(
            kind=ApplicantKind.PERSON,
            name=f"申请人{n:05d}",
            id_number=_resident_id(n, resident_id_check_char),
            phone=f"138{n:08d}",
        )
        filing = services.open_filing(
            centre=centre, applicant=applicant, item_ids=[item_id], actor=clerk, window=window
        )
        received = [
            services.MaterialRecord(entry.material_id, MaterialStatus.ORIGINAL)
            for entry in filing.checklist.all()
            if entry.necessity == Necessity.REQUIRED
        ]
        # An item whose checklist asks for more than originals stays a draft, as it would at a window.
        with contextlib.suppress(ValidationError):
            services.accept(filing_id=filing.pk, actor=clerk, window=window, materials=received)
    return filing


def _resident_id(n: int, check_char) -> str:
    first17 = f"350102199001{n % 28 + 1:02d}{n % 1000:03d}"
    return first17 + check_char(first17)


def _pages():
    """(role, page name, path) for what each role opens in a day."""
    from apps.cases.models import Case, Filing
    from apps.demo.seeding.filings import DEMO_COMPANY

    filing = Filing.objects.filter(window__number="A01", state="accepted").order_by("-pk").first()
    case = Case.objects.filter(filing=filing).first()
    ready = Filing.objects.filter(applicant_name=DEMO_COMPANY.name).order_by("-pk").first()
    return [
        ("clerk", "desk", "/intake/"),
        ("clerk", "desk_search_name", f"/intake/?q={filing.applicant_name}"),
        ("clerk", "desk_search_number", f"/intake/?q={filing.number}"),
        ("clerk", "filing", f"/intake/filings/{filing.pk}/"),
        ("approver", "desk", "/backoffice/"),
        ("approver", "desk_search", f"/backoffice/?q={filing.applicant_id_number}"),
        ("approver", "case", f"/backoffice/cases/{case.pk}/"),
        ("issuer", "desk", "/issuing/"),
        ("issuer", "filing", f"/issuing/filings/{ready.pk}/"),
        ("keeper", "desk_requests", "/issuing/?tab=requests"),
        ("keeper", "seals", "/issuing/seals/"),
        ("supervisor", "desk", "/supervision/"),
        ("supervisor", "jobs", "/ops/jobs/"),
        ("catalogue", "desk", "/catalogue/"),
        ("catalogue", "admin", "/admin/"),
        ("catalogue", "items", "/admin/catalogue/serviceitem/"),
        ("catalogue", "import", "/admin/catalogue/serviceitem/import/"),
    ]


def run(scale: str) -> dict[str, float]:
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    _fill(SIZES[scale])
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    password = settings.HALL_DEMO_PASSWORD
    metrics: dict[str, float] = {}

    def login(username: str, client: Client | None = None) -> Client:
        client = client or Client()
        response = client.post("/accounts/login/", {"username": username, "password": password})
        if response.status_code != 302:
            raise RuntimeError(f"{username} could not log in ({response.status_code})")
        return client

    # One client, logged out between logins: a server builds its request handler once, and a new
    # test client builds one each time (WhiteNoise then scans every static file again).
    browser = Client()

    def login_again():
        browser.cookies.clear()
        login("clerk", browser)

    logins = time_calls(login_again, LOGINS[scale])
    metrics["staff_login_median_ms"] = logins["median_ms"]
    metrics["staff_login_p95_ms"] = logins["p95_ms"]

    clients: dict[str, Client] = {}
    worst = 0.0
    for role, name, path in _pages():
        client = clients.get(role) or clients.setdefault(role, login(role))

        def get(client=client, path=path, role=role):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{role} {path}: {response.status_code}")

        timing = time_calls(get, CALLS[scale])
        metrics[f"staff_{role}_{name}_p95_ms"] = timing["p95_ms"]
        worst = max(worst, timing["p95_ms"])
    metrics["staff_pages_worst_p95_ms"] = worst
    metrics["staff_filings"] = SIZES[scale]
    return metrics
