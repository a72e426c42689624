"""Count the test cases a schemathesis run generated, from its NDJSON report (one line per event).

Usage: schemathesis_count.py REPORT.ndjson — prints the number; a missing report counts 0.
"""

import json
import sys
from pathlib import Path


def generated_cases(report: Path) -> int:
    if not report.exists():
        return 0
    cases = set()
    with report.open() as events:
        for line in events:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if finished:
                cases.update(finished.get("recorder", {}).get("cases", {}))
    return len(cases)


if __name__ == "__main__":
    print(generated_cases(Path(sys.argv[1])))
