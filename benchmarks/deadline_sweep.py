"""The warning sweep over a hall's open cases, and escalating the newly overdue ones (issue 7).

Targets on PostgreSQL, this 2-core machine: the sweep over 1,000,000 open cases ≤ 10 s with the
worker's peak resident memory ≤ 250 MB (rows never pass through Python; sampled from the sweeping
process itself); escalations for 10,000 newly overdue cases ≤ 1 s.

The open cases are written with set-based SQL: due dates from yesterday (1 %, the 10,000 overdue) to
98 days ahead, yellow three days and red one day before. The sweep runs as a hall's worker runs it —
``manage.py sweep warnings`` in a process of its own — and its duration is what that run recorded in
the jobs table; its peak memory is the child process's maximum resident set. A second, no-op sweep
is timed in-process. Then the escalations are opened (one INSERT … SELECT), and the supervisors told
(outbox rows), each timed.

PostgreSQL only: on SQLite the module reports nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psutil
from django.db import connection, transaction

from benchmarks.backoffice_queue import _setup

SIZES = {"small": 50_000, "full": 1_000_000}
ROOT = Path(__file__).resolve().parents[1]


def _fill(centre, departments, items, total: int) -> None:
    items_sql = ", ".join(str(i.pk) for i in items)
    categories_sql = ", ".join(str(i.approval_category_id) for i in items)
    departments_sql = ", ".join(str(d.pk) for d in departments)
    n_departments = len(departments)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_filing")
        base = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM worktime_clock")
        clock_base = cursor.fetchone()[0] + 1
        due = "current_date + ((g %% 100) - 1)"  # g % 100 = 0: due yesterday (overdue)
        cursor.execute(
            """
            INSERT INTO cases_filing (id, number, tracking_token, centre_id, channel, state,
                applicant_kind, applicant_name, applicant_id_number, applicant_phone, legal_representative,
                contact_name, contact_phone, agent_name, agent_id_number, agent_phone, created_at,
                accepted_on, decision_reasons, completion_list, decision_legal_basis, green_channel,
                green_channel_reason)
            SELECT %(base)s + g, 'SWEEP' || g, md5('s' || g), %(centre)s, 'window', 'accepted',
                'person', '申请人' || g, '11010519491231002X', '', '', '', '', '', '', '',
                now(), current_date, '', '[]', '', false, ''
            FROM generate_series(0, %(n)s - 1) AS g
            """,
            {"base": base, "centre": centre.pk, "n": total},
        )
        cursor.execute(
            f"""
            INSERT INTO worktime_clock (id, centre_id, started_on, limit_days, extension_days, suspended_days,
                due_on, yellow_on, red_on, provisional)
            SELECT %(clock_base)s + g, %(centre)s, {due} - 20, 14, 0, 0, {due}, {due} - 3, {due} - 1, false
            FROM generate_series(0, %(n)s - 1) AS g
            """,
            {"clock_base": clock_base, "centre": centre.pk, "n": total},
        )
        cursor.execute(
            f"""
            INSERT INTO cases_case (filing_id, item_id, department_id, approval_category_id, clock_id,
                due_on, warning, state, created_at, proposed_outcome, decision_holder, decision_scope,
                denial_reasons, denial_legal_basis, green_channel)
            SELECT %(base)s + g, (ARRAY[{items_sql}])[d + 1], (ARRAY[{departments_sql}])[d + 1],
                (ARRAY[{categories_sql}])[d + 1], %(clock_base)s + g, {due}, 'normal',
                CASE WHEN g %% 3 = 0 THEN 'in_review' ELSE 'queued' END, now(), '', '', '', '', '', false
            FROM generate_series(0, %(n)s - 1) AS g, LATERAL (SELECT (g / 7) %% {n_departments} AS d) AS dep
            """,
            {"base": base, "clock_base": clock_base, "n": total},
        )
        for table in ("cases_filing", "worktime_clock", "cases_case"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_filing, worktime_clock, cases_case")
    finally:
        connection.set_autocommit(autocommit)


def _database_url() -> str:
    s = connection.settings_dict
    host, port = s["HOST"] or "localhost", s["PORT"] or 5432
    return f"postgres://{quote(s['USER'])}:{quote(s['PASSWORD'])}@{host}:{port}/{s['NAME']}"


def run(scale: str) -> dict[str, float]:
    if connection.vendor != "postgresql":
        return {}
    from apps.accounts.roles import Role
    from apps.cases.messages import tell_supervisors
    from apps.cases.models import Case, Escalation
    from apps.cases.sweeps import _escalations, open_escalations, sweep_warnings
    from apps.ops.models import JobRun
    from tests.factories import make_staff

    centre, departments, items, _approver = _setup("基准督办中心", region="350197")
    for department in departments:
        make_staff(Role.SUPERVISOR, centre=centre, department=department)
    total = SIZES[scale]
    start = time.perf_counter()
    _fill(centre, departments, items, total)
    metrics: dict[str, float] = {"sweep_open_cases": total, "sweep_fill_seconds": time.perf_counter() - start}

    # The sweep as a worker runs it: a process of its own, on this (committed) benchmark database.
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "0"}
    child = psutil.Popen(
        [sys.executable, "manage.py", "sweep", "warnings"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    while child.poll() is None:  # the child's own resident set, sampled every 10 ms
        try:
            peak = max(peak, child.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    if child.returncode:
        raise RuntimeError("manage.py sweep warnings failed")
    sweep = JobRun.objects.filter(name="deadline_sweep:warnings").latest("started_at")
    metrics["sweep_warnings_seconds"] = sweep.duration_ms / 1000
    metrics["sweep_warnings_changed"] = sweep.changes["warning_levels_changed"]
    metrics["sweep_worker_peak_rss_mb"] = peak / 2**20

    start = time.perf_counter()
    with transaction.atomic():
        again = sweep_warnings()
    metrics["sweep_warnings_noop_seconds"] = time.perf_counter() - start
    metrics["sweep_warnings_noop_changed"] = again

    start = time.perf_counter()
    with transaction.atomic():
        opened = open_escalations()
    metrics["escalations_insert_seconds"] = time.perf_counter() - start
    metrics["escalations_opened"] = len(opened)
    start = time.perf_counter()
    with transaction.atomic():
        tell_supervisors("escalated", _escalations(opened))
    metrics["escalations_notify_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    with transaction.atomic():
        metrics["escalations_second_sweep_opened"] = len(open_escalations())
    metrics["escalations_second_sweep_seconds"] = time.perf_counter() - start
    metrics["escalations_open"] = Escalation.objects.filter(resolved_at__isnull=True).count()
    # This centre's overdue cases, each escalated once: the demo hall seeded before has overdue cases
    # of its own, escalated already (its supervision desk's), which the sweep rightly leaves alone.
    overdue_here = Case.objects.filter(warning="overdue", department__centre=centre).count()
    assert overdue_here == metrics["escalations_opened"], (overdue_here, metrics["escalations_opened"])
    return metrics
