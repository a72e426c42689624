"""`make bench`: run every benchmark on the configured database (PostgreSQL for the figures that
issues set targets for), at BENCH_SCALE=small|full."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")
# Measure as production runs: no debug templates, no per-query debug log (HALL_ENV stays development
# so that no production secrets are needed).
os.environ.setdefault("DEBUG", "0")
django.setup()

from benchmarks import (  # noqa: E402
    backoffice_queue,
    bench_calling,
    bench_display,
    bench_supervision,
    catalogue_import,
    catalogue_search,
    deadline_sweep,
    embedded_memory,
    feedback,
    intake,
    issuing,
    portal,
    staff_pages,
    worktime_clock,
)
from benchmarks.harness import (  # noqa: E402
    benchmark_database,
    describe_database,
    print_table,
    write_results,
)

# Benchmarks that need the database run inside one throw-away test database; the others outside it.
DATABASE_BENCHMARKS: list = [
    catalogue_search,
    catalogue_import,
    worktime_clock,
    intake,
    # The issuing desk's cases are all decided (their clocks stopped): the queue and sweep figures
    # below see none of them open.
    issuing,
    # The demo hall with a day's filings at one window, every page each staff role opens.
    staff_pages,
    # The queues over their 1,000,000 cases first (the figure), then the sweep over another
    # 1,000,000 open ones; the queue benchmark's open cases are never overdue, so the 10,000 the
    # sweep's data makes overdue are the only ones to escalate.
    backoffice_queue,
    deadline_sweep,
    # The citizens' online hall: a citizen's 200 filings among 1,000,000 of its own, then the
    # wizard's concurrent submits through gunicorn.
    portal,
    # The rating figures over 1,000,000 ratings from the daily roll-ups, and a day of 50,000 rolled up.
    feedback,
    # Calling at the window: call-next at 100 windows over a day of 5,000 tickets.
    bench_calling,
    # The hall display's poll: 50 displays of that hall, a call between each round of polls.
    bench_display,
    # Supervision (issue 19): the cases at risk among 50,000 open, a day of 50,000 filings rolled up,
    # the work dashboard over roll-ups of 10,000,000 cases.
    bench_supervision,
]
PROCESS_BENCHMARKS = [embedded_memory]


def _name(module) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "small")
    if scale not in {"small", "full"}:
        print(f"BENCH_SCALE={scale!r}: use small or full", file=sys.stderr)
        return 2
    # BENCH_ONLY=intake,issuing re-measures those benchmarks and keeps the other figures of the last
    # run of the same scale (a change that touched one desk need not wait for a million-case sweep).
    only = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}
    chosen = [m for m in (*DATABASE_BENCHMARKS, *PROCESS_BENCHMARKS) if not only or _name(m) in only]
    unknown = only - {_name(m) for m in (*DATABASE_BENCHMARKS, *PROCESS_BENCHMARKS)}
    if unknown:
        print(f"BENCH_ONLY names no benchmark: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    metrics: dict[str, float] = {}
    with benchmark_database() as connection:
        database = describe_database(connection)
        for module in DATABASE_BENCHMARKS:
            if module in chosen:
                metrics.update(module.run(scale))
    for module in PROCESS_BENCHMARKS:
        if module in chosen:
            metrics.update(module.run(scale))
    write_results(metrics, scale=scale, database=database, only=sorted(only))
    print_table(metrics, scale=scale, database=database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
