"""Running calls at the same moment, each on its own database connection (on PostgreSQL the
transactions really overlap): the race tests' harness."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def together(*calls: Callable[[], object]) -> list:
    """Run the calls in threads released at once; what each returned (or raised), in their order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test reads what each attempt ended with
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
