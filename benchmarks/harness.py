"""Running benchmarks on a throw-away test database and writing their figures.

Each benchmark module has ``run(scale: str) -> dict[str, float]``. Figures are written, with the
machine, database and scale they were taken on, to benchmarks/results/latest.json and printed.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_calls(fn: Callable[[], object], n: int) -> dict[str, float]:
    """Median and p95 in milliseconds of ``n`` calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(samples), "p95_ms": percentile(samples, 95)}


# Where a database server's process is this machine's, and its CPU time can be read from /proc.
LOCAL_HOSTS = {"", None, "127.0.0.1", "localhost", "::1"}


class CpuMeter:
    """CPU seconds spent by this process and by its database connection's server process, between
    ``start()`` and ``stop()``: what a benchmark costs the machine, which a busy machine stretches far
    less than the wall-clock time (on 2 shared cores, a neighbour's test run doubles the latter).

    The server's share is read from /proc, so only for a PostgreSQL on this machine, and only if the
    connection was not replaced in between (``CONN_MAX_AGE``); otherwise it is ``None``. SQLite runs
    inside this process: its time is the process's."""

    def __init__(self, connection):
        self.connection = connection
        self.local = connection.vendor == "postgresql" and connection.settings_dict.get("HOST") in LOCAL_HOSTS

    def _server(self) -> tuple[int | None, float | None]:
        if not self.local:
            return None, None
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        return pid, _server_cpu(pid)

    def start(self) -> CpuMeter:
        self._pid, self._server_start = self._server()
        self._process = time.process_time()
        return self

    def stop(self) -> tuple[float, float | None]:
        """(this process's CPU seconds, the database server process's or None)."""
        process = time.process_time() - self._process
        pid, server = self._server()
        if pid != self._pid or server is None or self._server_start is None:
            return process, None
        return process, server - self._server_start


def _server_cpu(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@contextmanager
def benchmark_database():
    """A fresh database, migrated, dropped afterwards: never the real one. On a server, bench_<name>
    rather than the suite's test_<name>, which a test run on the same server may be using (creating
    it would drop it under the run's feet)."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":  # SQLite's test database is in memory: nobody else's
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{old_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def describe_machine() -> dict:
    import psutil

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        # When the figures were written (1, 5 and 15 minutes): on a shared machine, what else ran.
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def describe_database(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"postgresql {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"sqlite {cursor.fetchone()[0]}"
    return connection.vendor


def write_results(metrics: dict[str, float], *, scale: str, database: str, only: list[str] = ()) -> dict:
    """The figures, flat. A partial run (``only``) replaces its own figures in the last run of the same
    scale and database and says which benchmarks it re-measured, and when."""
    kept = {}
    if only and RESULTS.exists():
        previous = json.loads(RESULTS.read_text())
        if (previous.get("scale"), previous.get("database")) == (scale, database):
            kept = {k: v for k, v in previous.items() if k not in {"machine", "database", "scale"}}
            kept["remeasured"] = {
                **kept.get("remeasured", {}),
                **{name: time.strftime("%Y-%m-%dT%H:%M:%S%z") for name in only},
            }
    figures = {**kept, **{k: round(v, 3) if isinstance(v, float) else v for k, v in metrics.items()}}
    if not kept:  # a whole run, or a partial one with nothing of its scale to complete
        figures["recorded_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    document = {
        **dict(sorted(figures.items())),
        "machine": describe_machine(),
        "database": database,
        "scale": scale,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return document


def print_table(metrics: dict[str, float], *, scale: str, database: str) -> None:
    width = max(len(k) for k in metrics) if metrics else 10
    print(f"\nbenchmarks · scale={scale} · database={database}")
    print(f"{'metric':<{width}}  value")
    print(f"{'-' * width}  {'-' * 12}")
    for key, value in sorted(metrics.items()):
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}"
        print(f"{key:<{width}}  {shown}")
    print(f"\nwritten to {RESULTS}")
