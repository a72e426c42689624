"""The approvers' queues over a hall's history (issue 6).

Target: the queue stays fast with 1,000,000 historical cases and 50,000 open ones (indexes; a constant
number of SQL queries per page). The cases are written with set-based SQL (generate_series), one
filing and one clock per case, over 20 departments of which the measured approver's handles a fifth
(the 市场监管 of a real hall); 5 % of cases are open (queued, in review, suspended), the others were
decided over the last two years. Measured through the API and the desk as the approver: the
unclaimed queue (first and a deep page), a warning-level filter, "decided recently", and one review
workspace — median and p95 milliseconds, and the queries each page reads.

PostgreSQL only (the figures the issue sets are PostgreSQL's): on SQLite the module reports nothing.
The SQL is assembled from integers and fixed fragments of this module (ruff S608 is silenced for
that reason), never from input.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import Client

from benchmarks.harness import time_calls

SIZES = {"small": 40_000, "full": 1_000_000}  # cases in all; 5 % open
DEPARTMENTS = 20


def _setup(name: str = "基准审批中心", region: str = "350198"):
    """A centre of its own with DEPARTMENTS departments, an item each, and an approver of the first
    (a name and a credit-code region of its own: other benchmarks share the database)."""
    from apps.accounts.roles import Role
    from tests.factories import DepartmentFactory, ServiceCentreFactory, make_staff
    from tests.factories.accounts import valid_uscc
    from tests.factories.catalogue import make_item

    centre = ServiceCentreFactory(name=name)
    departments = [
        DepartmentFactory(centre=centre, credit_code=valid_uscc(980001 + n, region=region))
        for n in range(DEPARTMENTS)
    ]
    items = [make_item(department=d) for d in departments]
    approver = make_staff(Role.APPROVER, department=departments[0])
    return centre, departments, items, approver


def _fill(centre, departments, items, total: int) -> None:
    """``total`` cases, each with its filing and clock, in three INSERT … SELECT statements."""
    # A fifth in department 0; independent of which cases are open (every 20th) and of their state.
    department_of = "CASE WHEN (g / 3) %% 5 = 0 THEN 0 ELSE 1 + (g / 3) %% 19 END"
    items_sql = ", ".join(str(i.pk) for i in items)
    categories_sql = ", ".join(str(i.approval_category_id) for i in items)
    departments_sql = ", ".join(str(d.pk) for d in departments)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_filing")
        base = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM worktime_clock")
        clock_base = cursor.fetchone()[0] + 1
        open_case = "g %% 20 = 0"
        started = (
            f"CASE WHEN {open_case} THEN current_date - ((g / 20) %% 40) ELSE current_date - (g %% 730) END"
        )
        cursor.execute(
            f"""
            INSERT INTO cases_filing (id, number, tracking_token, centre_id, channel, state,
                applicant_kind, applicant_name, applicant_id_number, applicant_phone, legal_representative,
                contact_name, contact_phone, agent_name, agent_id_number, agent_phone, created_at,
                decided_at, accepted_on, decision_reasons, completion_list, decision_legal_basis,
                green_channel, green_channel_reason)
            SELECT %(base)s + g, 'BENCH' || g, md5('t' || g), %(centre)s,
                CASE WHEN g %% 3 = 0 THEN 'online' ELSE 'window' END,
                CASE WHEN {open_case} THEN 'accepted' ELSE 'closed' END,
                'person', '申请人' || g, '11010519491231002X', '', '', '', '', '', '', '',
                now() - (g %% 730) * interval '1 day', now() - (g %% 730) * interval '1 day',
                current_date - (g %% 730), '', '[]', '', false, ''
            FROM generate_series(0, %(n)s - 1) AS g
            """,
            {"base": base, "centre": centre.pk, "n": total},
        )
        cursor.execute(
            f"""
            INSERT INTO worktime_clock (id, centre_id, started_on, limit_days, extension_days, suspended_days,
                suspended_since, due_on, yellow_on, red_on, provisional, stopped_on)
            SELECT %(clock_base)s + g, %(centre)s, s.started, 20, 0, 0,
                CASE WHEN {open_case} AND (g / 20) %% 20 >= 17 THEN current_date - 1 END,
                s.started + 45, s.started + 41, s.started + 44, false,
                CASE WHEN {open_case} THEN NULL ELSE s.started + 20 END
            FROM generate_series(0, %(n)s - 1) AS g,
                LATERAL (SELECT {started} AS started) AS s
            """,
            {"clock_base": clock_base, "centre": centre.pk, "n": total},
        )
        cursor.execute(
            f"""
            INSERT INTO cases_case (filing_id, item_id, department_id, approval_category_id, clock_id,
                due_on, warning, state, created_at, proposed_outcome, decision_holder, decision_scope,
                denial_reasons, denial_legal_basis, decided_at, green_channel)
            SELECT %(base)s + g, (ARRAY[{items_sql}])[d + 1], (ARRAY[{departments_sql}])[d + 1],
                (ARRAY[{categories_sql}])[d + 1], %(clock_base)s + g, s.started + 45, 'normal',
                CASE WHEN NOT ({open_case}) THEN (CASE WHEN g %% 10 = 1 THEN 'denied' ELSE 'approved' END)
                     WHEN (g / 20) %% 20 >= 17 THEN 'suspended'
                     WHEN (g / 20) %% 20 >= 12 THEN 'in_review'
                     ELSE 'queued' END,
                now() - (g %% 730) * interval '1 day', '', '', '', '', '',
                CASE WHEN {open_case} THEN NULL ELSE now() - (g %% 730) * interval '1 day' END, false
            FROM generate_series(0, %(n)s - 1) AS g, LATERAL (SELECT {department_of} AS d) AS dep,
                LATERAL (SELECT {started} AS started) AS s
            """,
            {"base": base, "clock_base": clock_base, "n": total},
        )
        for table in ("cases_filing", "worktime_clock", "cases_case"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    # The warning levels, as the sweep keeps them.
    from apps.cases.sweeps import sweep_warnings

    sweep_warnings()
    # What autovacuum does for a hall's settled history: statistics, and the visibility map that lets
    # counts read the indexes alone. VACUUM cannot run inside a transaction block.
    with connection.cursor() as cursor:
        autocommit = connection.get_autocommit()
        connection.set_autocommit(True)
        try:
            cursor.execute("VACUUM ANALYZE cases_filing, worktime_clock, cases_case")
        finally:
            connection.set_autocommit(autocommit)


def _statements_of(client, url: str) -> int:
    """The SQL statements one request of ``url`` runs."""
    statements: list[str] = []

    def count(execute, sql, *args):
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(statements)


def run(scale: str) -> dict[str, float]:
    if connection.vendor != "postgresql":
        return {}
    import time

    from apps.cases.models import Case

    centre, departments, items, approver = _setup()
    total = SIZES[scale]
    start = time.perf_counter()
    _fill(centre, departments, items, total)
    fill_seconds = time.perf_counter() - start

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(approver)
    n = 100 if scale == "full" else 30
    pages = {
        "api_unclaimed": "/api/v1/cases/?queue=unclaimed",
        # A deep page: the 40th of the department's 300 at full scale, the 3rd at small.
        "api_unclaimed_deep_page": f"/api/v1/cases/?queue=unclaimed&page={40 if scale == 'full' else 3}",
        "api_red": "/api/v1/cases/?queue=unclaimed&warning=red",
        "api_decided": "/api/v1/cases/?queue=decided",
        "desk_unclaimed": "/backoffice/",
        "desk_decided": "/backoffice/?queue=decided",
    }
    metrics: dict[str, float] = {
        "backoffice_cases": Case.objects.count(),
        "backoffice_open_cases": Case.objects.filter(clock__stopped_on__isnull=True).count(),
        "backoffice_fill_seconds": fill_seconds,
    }
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        statements = _statements_of(client, url)
        timing = time_calls(lambda url=url: client.get(url), n)
        metrics[f"backoffice_{name}_median_ms"] = timing["median_ms"]
        metrics[f"backoffice_{name}_p95_ms"] = timing["p95_ms"]
        metrics[f"backoffice_{name}_queries"] = statements
    case = Case.objects.filter(department=departments[0], state="queued").order_by("pk").first()
    workspace = f"/backoffice/cases/{case.pk}/"
    timing = time_calls(lambda: client.get(workspace), n)
    metrics["backoffice_workspace_median_ms"] = timing["median_ms"]
    metrics["backoffice_workspace_p95_ms"] = timing["p95_ms"]
    return metrics
