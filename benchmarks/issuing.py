"""Issuing throughput with the PDFs, and the public verification's latency (issue 8).

Targets on PostgreSQL, this 2-core machine: ≥ 20 certificates issued per second *with their PDFs*
by 2 worker processes; verification p95 ≤ 30 ms.

The hardest case for issuing: every filing gets one certificate of the same type, so every number
comes from one gap-free counter (one row, locked by each confirming transaction until it commits).
Setup (not timed) makes the filings ready for issue through the real services — opened, accepted,
decided — and has an issuer ask for each (``request_issue``). Timed: two processes, each confirming
half the requests as a seal keeper of the centre (``confirm_issue``: numbered, sealed, captured,
entered in the library, the applicant told, in one transaction) and rendering and storing the issued
certificate's PDF (``document_pdf``, as the first download or the render job does), one after the
other; throughput is certificates over the wall-clock time from the start to the last finish.

Verification: the public API (GET /api/v1/verify/<token>/) and the public page (/verify/<token>/)
over the tokens just issued, through Django's test client. The rate limit stays on and is paid for
(a cache read and write per lookup, Redis with REDIS_URL) as in production: each lookup comes from
an address of its own, so none is refused.
"""

from __future__ import annotations

import itertools
import multiprocessing
import statistics
import tempfile
import time

from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from benchmarks.harness import percentile, time_calls

SIZES = {"small": 30, "full": 200}  # certificates issued per worker process
LOOKUPS = {"small": 200, "full": 1000}
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # setup's staff: not what is measured


def _setup(filings: int):
    from apps.accounts.roles import Role
    from apps.cases.models import Filing
    from apps.certificates import services
    from tests.factories import DepartmentFactory, ServiceCentreFactory
    from tests.factories.accounts import make_staff, valid_uscc
    from tests.factories.cases import accept_filing, comprehensive_window, make_filing
    from tests.factories.certificates import certificate_item, decide_all, make_seal

    centre = ServiceCentreFactory(name="基准出证中心")
    # A credit code of its own region: other benchmarks in the same database number theirs from 1.
    department = DepartmentFactory(centre=centre, credit_code=valid_uscc(990101, region="350198"))
    make_seal(department)  # its custodian is a seal keeper too; the confirmations are another's
    item = certificate_item(department, postal_delivery_supported=True)
    window = comprehensive_window(centre)
    clerk = make_staff(Role.CLERK, centre=centre, window=window)
    issuer = make_staff(Role.ISSUER, centre=centre)
    keeper = make_staff(Role.SEAL_KEEPER, centre=centre)
    request_ids = []
    for _ in range(filings):
        filing = accept_filing(make_filing(items=[item], centre=centre, window=window, clerk=clerk))
        decide_all(filing)  # an approver of the department each: users are cheap with FAST_HASHER
        request_ids.append(services.request_issue(filing_id=filing.pk, actor=issuer).pk)
    if Filing.objects.filter(centre=centre, state="ready_for_issue").count() != filings:
        raise RuntimeError("the issuing benchmark's filings are not all ready for issue")
    return item, keeper.pk, request_ids


def _issue_one(request_id: int, keeper_id: int) -> tuple[float, float]:
    """Confirm one request as the seal keeper, then render and store its PDF: both durations in ms."""
    from apps.accounts.models import User
    from apps.certificates import services
    from apps.certificates.documents import document_pdf

    start = time.perf_counter()
    keeper = User.objects.get(pk=keeper_id)  # as a request loads its user: no permission cached
    (document,) = services.confirm_issue(request_id=request_id, actor=keeper)
    confirmed = time.perf_counter()
    document_pdf(document)
    return (confirmed - start) * 1000, (time.perf_counter() - confirmed) * 1000


def _worker(request_ids, keeper_id, queue):
    connections.close_all()  # a connection of its own, not the parent's
    timings = [_issue_one(request_id, keeper_id) for request_id in request_ids]
    queue.put(timings)
    connections.close_all()


def _issue_all(request_ids: list[int], keeper_id: int) -> tuple[str, float, list]:
    """Issue with PDFs, timed over the wall clock: the metric's name, its value and per-issue timings."""
    if connection.vendor != "postgresql":  # SQLite serialises writers: one process
        start = time.perf_counter()
        timings = [_issue_one(request_id, keeper_id) for request_id in request_ids]
        return (
            "issuing_certificates_per_second_1_process",
            len(request_ids) / (time.perf_counter() - start),
            timings,
        )
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    halves = [request_ids[0::2], request_ids[1::2]]
    workers = [context.Process(target=_worker, args=(half, keeper_id, queue)) for half in halves]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    if any(worker.exitcode for worker in workers):
        raise RuntimeError("an issuing worker failed")
    timings = [timing for _ in workers for timing in queue.get()]
    return "issuing_certificates_per_second_2_workers", len(request_ids) / elapsed, timings


def _check_numbers(item, issued: int) -> None:
    """Every certificate issued and rendered, its serials 1, 2, … from the type's one counter: no gap,
    none twice (the number format is the factory's, JY{region}{year}{serial:06d})."""
    from apps.certificates.models import IssuedDocument

    documents = IssuedDocument.objects.filter(licence_type=item.result_licence_type)
    serials = sorted(int(number[-6:]) for number in documents.values_list("number", flat=True))
    if serials != list(range(1, issued + 1)) or documents.filter(sha256="").exists():
        raise RuntimeError("the issuing benchmark's certificates are not all issued, numbered and rendered")


def _lookups(tokens: list[str], n: int, path: str) -> tuple[dict[str, float], int]:
    """Median / p95 of ``n`` lookups of ``path`` over the tokens, each from an address of its own,
    and the SQL statements of one lookup."""
    client = Client()
    addresses = (f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1))
    cycle = itertools.cycle(tokens)

    def lookup():
        response = client.get(path.format(token=next(cycle)), REMOTE_ADDR=next(addresses))
        # The API's "outcome": "valid", the page's data-outcome="valid": neither refused nor unknown.
        if response.status_code != 200 or b'"valid"' not in response.content:
            raise RuntimeError(f"{path} answered {response.status_code}, not valid")

    lookup()  # warm: URL resolver, templates, translations
    with CaptureQueriesContext(connection) as queries:
        lookup()
    statements = len(queries)  # now: the next request clears the connection's query log
    return time_calls(lookup, n), statements


def _run(scale: str) -> dict[str, float]:
    from apps.accounts.models import User
    from apps.certificates import services
    from apps.certificates.documents import document_pdf
    from apps.certificates.models import IssuedDocument

    per_worker = SIZES[scale]
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        item, keeper_id, request_ids = _setup(2 * per_worker + 2)

    # Warm (content types, the calendar, the PDF font registered before the fork), then count one
    # confirmation, its seal keeper loaded afresh as a request loads its user (no permission cached).
    _issue_one(request_ids.pop(), keeper_id)
    keeper = User.objects.get(pk=keeper_id)
    with CaptureQueriesContext(connection) as queries:
        (document,) = services.confirm_issue(request_id=request_ids.pop(), actor=keeper)
    statements = len(queries)
    document_pdf(document)

    name, per_second, timings = _issue_all(request_ids, keeper_id)
    _check_numbers(item, len(request_ids) + 2)
    confirms, pdfs = [c for c, _ in timings], [p for _, p in timings]

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    tokens = list(
        IssuedDocument.objects.filter(licence_type=item.result_licence_type).values_list(
            "verification_token", flat=True
        )
    )
    api, api_statements = _lookups(tokens, LOOKUPS[scale], "/api/v1/verify/{token}/")
    page, page_statements = _lookups(tokens, LOOKUPS[scale], "/verify/{token}/")
    return {
        name: per_second,
        "issuing_certificates_issued": len(tokens),
        "issuing_statements_per_issue": statements,
        "issuing_confirm_median_ms": statistics.median(confirms),
        "issuing_confirm_p95_ms": percentile(confirms, 95),
        "issuing_pdf_median_ms": statistics.median(pdfs),
        "issuing_pdf_p95_ms": percentile(pdfs, 95),
        "verification_median_ms": api["median_ms"],
        "verification_p95_ms": api["p95_ms"],
        "verification_queries": api_statements,
        "verification_page_median_ms": page["median_ms"],
        "verification_page_p95_ms": page["p95_ms"],
        "verification_page_queries": page_statements,
    }


def run(scale: str) -> dict[str, float]:
    # The PDFs and the seal's image go to a media directory of their own, removed afterwards.
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        return _run(scale)
