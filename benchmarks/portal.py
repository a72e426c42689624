"""The citizens' online hall (issue 16): "my hall" and a filing's page over a hall's history, and the
filing wizard's submits under load through gunicorn.

Targets on PostgreSQL: "my hall" and a filing's page p95 ≤ 100 ms for a citizen holding 200 filings
among 1,000,000, with a constant number of queries; 50 concurrent wizard submits through gunicorn
with 0 errors.

The citizen's 200 filings are made through the services, as the citizen, a clerk and an approver
would (each a 我要开饭店-like bundle of two items): drafts, submitted, accepted, returned with a
一次性告知 list, waiting for the citizen's 补正, approved; a quarter of them are filed at the window
for the organisation the citizen represents (my hall lists them too). The other filings (999,800 at
full scale) are written with set-based SQL (generate_series), other people's and other companies'
filings over two years at the same centre. Measured with the citizen logged in: ``/portal/``, a deep
page of it, the richest filing's page, and the API's list — median and p95 milliseconds, and the
queries each reads.

The wizard: 50 citizens (20 at small scale), each logged in through the API on a gunicorn serving
the benchmark's database (3 workers × 4 threads, as the image runs), create a bundle filing, upload
a PDF for each required material, declare, and — all at once, behind a barrier — submit. Every
response must be a success; the filings submitted are counted in the database.

PostgreSQL only: on SQLite the module reports nothing. The SQL is assembled from integers and fixed
fragments of this module (ruff S608 is silenced for that reason), never from input.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from benchmarks.harness import CpuMeter, percentile, time_calls

SIZES = {
    "small": {"filings": 20_000, "own": 40},
    "full": {"filings": 1_000_000, "own": 200},
}
CLIENTS = {"small": 20, "full": 50}
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "Bench#portal2026"
REGION = "350196"  # credit codes of this benchmark's own: other benchmarks share the database


def resident_id(n: int) -> str:
    """A valid GB 11643 resident ID number, a different one for each ``n``."""
    from apps.accounts.identifiers import resident_id_check_char

    first17 = f"350196{19700101 + n % 28:08d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def _setup() -> dict:
    """A centre with a window and its clerk, a department with its approver, two items of two required
    materials each and a bundle of them; the citizen and the organisation they represent."""
    import datetime as dt

    from apps.accounts.models import AuthorisationKind, OrganisationAuthorisation, User, Window, WindowKind
    from apps.accounts.roles import Role
    from apps.accounts.services import assign_role
    from apps.catalogue import services as catalogue
    from tests.factories import DepartmentFactory, ServiceCentreFactory
    from tests.factories.accounts import valid_uscc
    from tests.factories.catalogue import BundleFactory, MaterialFactory, default_children, make_item

    centre = ServiceCentreFactory(name="基准网上大厅中心")
    window = Window.objects.create(centre=centre, number="A01", kind=WindowKind.COMPREHENSIVE)
    department = DepartmentFactory(centre=centre, credit_code=valid_uscc(970001, region=REGION))
    items = [
        make_item(
            department=department,
            children=default_children([MaterialFactory(), MaterialFactory()]),
        )
        for _ in range(2)
    ]
    bundle = BundleFactory(centre=centre, name="我要开饭店（基准）", promised_limit_days=10)
    catalogue.save_bundle(values={}, lineage_ids=[i.lineage_id for i in items], bundle_id=bundle.pk)
    catalogue.publish_bundle(bundle_id=bundle.pk)
    bundle.refresh_from_db()

    def person(username: str, role, n: int, **where) -> User:
        user = User.objects.create_user(
            username=username, password=PASSWORD, full_name=f"基准{n}", id_number=resident_id(n)
        )
        if role == Role.CITIZEN:
            user.phone = f"139{n:08d}"
            user.save(update_fields=["phone"])
        assign_role(user=user, role=role, **where)
        return user

    clerk = person("bench-portal-clerk", Role.CLERK, 1, centre=centre, window=window)
    approver = person("bench-portal-approver", Role.APPROVER, 2, centre=centre, department=department)
    citizen = person("bench-portal-citizen", Role.CITIZEN, 3)
    organisation = valid_uscc(970100, region=REGION)
    OrganisationAuthorisation.objects.create(
        user=citizen,
        organisation_name="基准餐饮有限公司",
        credit_code=organisation,
        kind=AuthorisationKind.LEGAL_REPRESENTATIVE,
        valid_from=dt.date(2024, 1, 1),
    )
    return {
        "centre": centre,
        "window": window,
        "bundle": bundle,
        "clerk": clerk,
        "approver": approver,
        "citizen": citizen,
        "organisation": organisation,
        "person": person,
    }


# --- the citizen's own filings, through the services -----------------------------------------------

RECIPES = ("draft", "submitted", "accepted", "returned", "correction", "approved")


def _online(world: dict, recipe: str):
    """One of the citizen's online filings of the bundle, taken as far as ``recipe`` says."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.cases import online, services
    from apps.cases.review import services as review

    citizen, clerk, window = world["citizen"], world["clerk"], world["window"]
    filing = online.start_online_filing(citizen=citizen, centre=world["centre"], bundle=world["bundle"])
    for entry in online.missing_for_submit(filing):
        scan = SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf")
        services.attach_upload(filing_id=filing.pk, material_id=entry.material_id, file=scan, actor=citizen)
        if recipe == "draft":
            return filing  # a draft to finish: one file of four
    online.declare(filing_id=filing.pk, actor=citizen)
    services.submit_online(filing_id=filing.pk, actor=citizen)
    if recipe == "submitted":
        return filing
    services.start_pre_review(filing_id=filing.pk, actor=clerk, window=window)
    if recipe == "returned":
        # Every material listed (a 一次性告知 names all that is outstanding, at once).
        listed = filing.checklist.values_list("material_id", flat=True)
        return services.return_for_completion(
            filing_id=filing.pk,
            corrections=[{"material": m, "reason": "复印件不清晰，请重新上传。"} for m in listed],
            actor=clerk,
            window=window,
        )
    _accept(filing, clerk, window)
    if recipe == "accepted":
        return filing
    for case in filing.cases.order_by("pk"):
        review.claim(case_id=case.pk, actor=world["approver"])
        if recipe == "correction":
            review.request_correction(
                case_id=case.pk, actor=world["approver"], items=[{"material": None, "what": "补充平面图。"}]
            )
        else:
            review.decide(
                case_id=case.pk,
                actor=world["approver"],
                outcome="approve",
                holder="基准",
                scope="热食类食品制售",
            )
    return filing


def _accept(filing, clerk, window) -> None:
    from apps.cases import services
    from apps.cases.codes import MaterialStatus

    received = [
        services.MaterialRecord(material_id, MaterialStatus.ORIGINAL)
        for material_id in filing.checklist.values_list("material_id", flat=True)
    ]
    services.accept(filing_id=filing.pk, actor=clerk, window=window, materials=received)


def _for_the_organisation(world: dict):
    """A filing of the organisation the citizen represents, made at the window by the clerk."""
    from apps.cases import services
    from apps.cases.applicants import ApplicantData
    from apps.cases.codes import ApplicantKind

    applicant = ApplicantData(
        kind=ApplicantKind.ORGANISATION,
        name="基准餐饮有限公司",
        id_number=world["organisation"],
        legal_representative=world["citizen"].full_name,
        contact_name=world["citizen"].full_name,
        contact_phone=world["citizen"].phone,
    )
    filing = services.open_filing(
        centre=world["centre"],
        applicant=applicant,
        bundle=world["bundle"],
        actor=world["clerk"],
        window=world["window"],
    )
    _accept(filing, world["clerk"], world["window"])
    return filing


def _own_filings(world: dict, count: int) -> dict:
    made = {recipe: [] for recipe in RECIPES}
    made["organisation"] = []
    for n in range(count):
        if n % 4 == 3:
            made["organisation"].append(_for_the_organisation(world))
        else:
            recipe = RECIPES[n % len(RECIPES)]
            made[recipe].append(_online(world, recipe))
    return made


# --- everyone else's filings, set-based ------------------------------------------------------------


def _fill(world: dict, total: int) -> None:
    """``total`` filings of other people and companies at the centre, over two years, in one INSERT …
    SELECT (the columns no other benchmark sets given their blank values)."""
    from apps.cases.models import Filing

    given = {
        "id": "%(base)s + g",
        "number": "'PORTAL' || g",
        "tracking_token": "md5('portal' || g)",
        "centre_id": "%(centre)s",
        "channel": "CASE WHEN g %% 3 = 0 THEN 'online' ELSE 'window' END",
        "state": "CASE WHEN g %% 20 = 0 THEN 'accepted' ELSE 'closed' END",
        "applicant_kind": "CASE WHEN g %% 4 = 0 THEN 'organisation' ELSE 'person' END",
        "applicant_name": "'申请人' || g",
        # 1,000 companies and many people: none of them the citizen or the citizen's organisation.
        "applicant_id_number": "CASE WHEN g %% 4 = 0 THEN 'ORG' || (g %% 1000) ELSE 'P' || g END",
        "created_at": "now() - (g %% 730) * interval '1 day'",
        "submitted_at": "CASE WHEN g %% 3 = 0 THEN now() - (g %% 730) * interval '1 day' END",
        "decided_at": "now() - (g %% 730) * interval '1 day'",
        "accepted_on": "current_date - (g %% 730)",
    }
    columns, values = [], []
    for field in Filing._meta.concrete_fields:
        if field.column in given:
            columns.append(field.column)
            values.append(given[field.column])
        elif not field.null:
            columns.append(field.column)
            values.append(_blank(field))
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_filing")
        base = cursor.fetchone()[0] + 1
        cursor.execute(
            f"INSERT INTO cases_filing ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608
            "FROM generate_series(0, %(n)s - 1) AS g",
            {"base": base, "centre": world["centre"].pk, "n": total},
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('cases_filing', 'id'), (SELECT max(id) FROM cases_filing))"
        )
        autocommit = connection.get_autocommit()
        connection.set_autocommit(True)
        try:
            cursor.execute("VACUUM ANALYZE cases_filing")
        finally:
            connection.set_autocommit(autocommit)


def _blank(field) -> str:
    """The SQL of a blank value for a NOT NULL column this benchmark does not care about."""
    kind = field.get_internal_type()
    if kind in {"CharField", "TextField", "SlugField", "EmailField"}:
        return "''"
    if kind == "JSONField":
        default = field.default() if callable(field.default) else field.default
        return "'" + json.dumps(default if default is not None else []) + "'"
    if kind == "BooleanField":
        return "false"
    if kind.endswith("IntegerField"):
        return "0"
    if kind == "DateTimeField":
        return "now()"
    if kind == "DateField":
        return "current_date"
    raise RuntimeError(f"benchmarks/portal.py: no blank value for {field.column} ({kind}): give one")


def _statements_of(client, url: str) -> int:
    statements: list[str] = []

    def count(execute, sql, *args):
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(statements)


def _pages(world: dict, made: dict, scale: str) -> dict[str, float]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(world["citizen"])
    # The richest filing: a bundle's two cases, each waiting for the citizen's correction.
    richest = (made["correction"] or made["accepted"] or made["submitted"])[0]
    pages = {
        "my_hall": "/portal/",
        "my_hall_page_3": "/portal/?page=3",
        "filing": f"/portal/filings/{richest.pk}/",
        "api_my_filings": "/api/v1/filings/?mine",
    }
    metrics: dict[str, float] = {}
    for name, url in pages.items():
        start = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        metrics[f"portal_{name}_queries"] = _statements_of(client, url)
        # 100 samples (30 small); 20 of a page that takes seconds, so that a slow page's figure is
        # still taken in minutes (its p95 is then its second slowest).
        n = (100 if scale == "full" else 30) if first < 0.5 else 20
        meter = CpuMeter(connection).start()
        timing = time_calls(lambda url=url: client.get(url), n)
        python_cpu, database_cpu = meter.stop()
        metrics[f"portal_{name}_median_ms"] = timing["median_ms"]
        metrics[f"portal_{name}_p95_ms"] = timing["p95_ms"]
        # What a request costs, which the machine's load stretches far less than the wall clock.
        metrics[f"portal_{name}_python_cpu_ms"] = python_cpu * 1000 / (n + 1)
        if database_cpu is not None:
            metrics[f"portal_{name}_database_cpu_ms"] = database_cpu * 1000 / (n + 1)
    return metrics


# --- the wizard through gunicorn ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


class Server:
    """gunicorn serving the benchmark's database, in development mode with files of its own."""

    def __init__(self, var: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(var) / "gunicorn.log"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "HALL_VAR_DIR": var,
            "HALL_ENV": "development",
            "DEBUG": "0",
        }
        env.pop("REDIS_URL", None)  # its outbox to the filesystem queue under ``var``, read by no one
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(  # noqa: S603 - our own executable and arguments
            [
                str(gunicorn),
                "hall.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "3",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--error-logfile",
                str(self.log),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=5).read()  # noqa: S310
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Wizard:
    """One citizen's browser-less session: the API with its session and CSRF cookies."""

    def __init__(self, url: str):
        self.url = url
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.statuses: list[tuple[str, int]] = []
        self.submit_ms = None

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def call(self, step: str, path: str, *, data: dict | None = None, file: tuple | None = None):
        headers = {"X-CSRFToken": self._csrf(), "Accept": "application/json"}
        if file is not None:
            boundary = uuid.uuid4().hex
            name, content = file
            body = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                    "Content-Type: application/pdf\r\n\r\n"
                ).encode()
                + content
                + f"\r\n--{boundary}--\r\n".encode()
            )
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = json.dumps(data or {}).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with self.opener.open(request, timeout=120) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        self.statuses.append((step, status))
        if status >= 400:
            raise RuntimeError(f"{step}: {status} {payload[:300]!r}")
        return json.loads(payload) if payload else {}


def _wizard(world: dict, user, material_codes: list[str], url: str, barrier: threading.Barrier) -> Wizard:
    wizard = Wizard(url)
    failure = None
    try:
        wizard.call(
            "login", "/api/v1/accounts/login/", data={"username": user.username, "password": PASSWORD}
        )
        filing = wizard.call(
            "create",
            "/api/v1/filings/",
            data={
                "bundle": world["bundle"].code,
                "centre": world["centre"].pk,
                # What an API before the account's prefill needed; the prefill ignores it.
                "applicant_kind": "person",
                "applicant_name": user.full_name,
                "applicant_id_number": user.id_number,
                "applicant_phone": user.phone,
            },
        )
        for code in material_codes:
            wizard.call(
                "upload", f"/api/v1/filings/{filing['id']}/materials/{code}/upload/", file=("scan.pdf", SCAN)
            )
        wizard.call("declare", f"/api/v1/filings/{filing['id']}/declare/")
    except Exception as error:  # noqa: BLE001 - raised after the barrier, counted by the caller
        failure = error
    # Every submit at once; a client that failed still reaches the barrier and lets the others go.
    barrier.wait(timeout=600)
    if failure is not None:
        raise failure
    start = time.perf_counter()
    wizard.call("submit", f"/api/v1/filings/{filing['id']}/submit/")
    wizard.submit_ms = (time.perf_counter() - start) * 1000
    return wizard


def _concurrent_submits(world: dict, clients: int) -> dict[str, float]:
    from apps.accounts.roles import Role
    from apps.cases.codes import FilingState
    from apps.cases.models import Filing
    from apps.catalogue import selectors as catalogue

    users = [world["person"](f"bench-portal-wizard-{n}", Role.CITIZEN, 100 + n) for n in range(clients)]
    items = catalogue.bundle_items(world["bundle"])
    material_codes = sorted({m.material.code for item in items for m in item.materials.all()})
    with tempfile.TemporaryDirectory() as var:
        server = Server(var)
        try:
            barrier = threading.Barrier(clients)
            errors: list[str] = []
            wizards: list[Wizard] = []
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=clients) as pool:
                futures = [
                    pool.submit(_wizard, world, user, material_codes, server.url, barrier) for user in users
                ]
                for future in futures:
                    try:
                        wizards.append(future.result())
                    except Exception as error:  # noqa: BLE001 - each failure is counted and shown
                        errors.append(str(error))
            seconds = time.perf_counter() - start
        finally:
            server.stop()
    for error in errors[:5]:
        print(f"portal wizard error: {error}", file=sys.stderr)
    submitted = Filing.objects.filter(citizen__in=users, state=FilingState.SUBMITTED).count()
    submits = [w.submit_ms for w in wizards if w.submit_ms is not None]
    return {
        "portal_wizard_clients": clients,
        "portal_wizard_errors": len(errors),
        "portal_wizard_submitted": submitted,
        "portal_wizard_seconds": seconds,
        "portal_wizard_submit_median_ms": percentile(submits, 50) if submits else 0.0,
        "portal_wizard_submit_p95_ms": percentile(submits, 95) if submits else 0.0,
    }


def run(scale: str) -> dict[str, float]:
    if connection.vendor != "postgresql":
        return {}
    sizes = SIZES[scale]
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        world = _setup()
        start = time.perf_counter()
        made = _own_filings(world, sizes["own"])
        own_seconds = time.perf_counter() - start
        start = time.perf_counter()
        _fill(world, sizes["filings"] - sizes["own"])
        fill_seconds = time.perf_counter() - start
        metrics = {
            "portal_filings": _count("cases_filing"),
            "portal_own_filings": sizes["own"],
            "portal_own_seconds": own_seconds,
            "portal_fill_seconds": fill_seconds,
        }
        metrics.update(_pages(world, made, scale))
        metrics.update(_concurrent_submits(world, CLIENTS[scale]))
    return metrics


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a fixed table name
        return cursor.fetchone()[0]
