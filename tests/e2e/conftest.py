"""Browser journeys: each step's screenshot is kept for a person to look at.

``shot(page, "accepted")`` writes ``test-artefacts/screenshots/<test>/<nn>-accepted.png`` (the folder
is ignored by git; CI keeps it as the run's artefacts). The assertions are on the page itself; the
screenshots are for reviewing how each step looks, on a desk or a phone.

``axe(page, "my hall")`` runs axe-core (from the npm registry, pinned in package.json, installed by
`make axe`) on the page and fails on a serious or critical accessibility violation, naming each.
"""

from __future__ import annotations

import gc
import re
import signal
import sys
import traceback
from pathlib import Path

import pytest

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "screenshots"


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


@pytest.fixture
def shot(request):
    folder = ARTEFACTS / _safe(request.node.name)
    taken = []

    def take(page, name: str) -> Path:
        taken.append(name)
        path = folder / f"{len(taken):02d}-{_safe(name)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# axe-core, installed from the npm registry at the version pinned in package.json by `make axe`
# (which `make test` runs first).
AXE_JS = Path(__file__).resolve().parents[2] / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# What fails a page: the issue asks for no serious or critical violation; moderate and minor ones
# are printed for a person to read.
FAILING_IMPACTS = ("serious", "critical")


def _describe(violation: dict) -> list[str]:
    lines = [f"{violation['impact']}: {violation['id']} — {violation['help']} ({violation['helpUrl']})"]
    for node in violation["nodes"]:
        target = " ".join(str(part) for part in node["target"])
        html = re.sub(r"\s+", " ", node["html"])[:160]
        lines.append(f"    {target}: {html}")
        summary = re.sub(r"\s+", " ", node.get("failureSummary") or "")[:300]
        if summary:
            lines.append(f"      {summary}")
    return lines


AXE_LIMIT_MS = 60_000


def _dump_greenlets(signum, frame):
    """``kill -USR1 <worker>``: every greenlet's stack on stderr. A browser test waits in a greenlet
    of its own while Playwright's event loop runs, so a hung one is seen nowhere else (py-spy and
    faulthandler show the threads only)."""
    import greenlet

    for runner in [o for o in gc.get_objects() if isinstance(o, greenlet.greenlet)]:
        if runner.gr_frame is not None:
            print(f"--- greenlet {runner!r}", file=sys.stderr)
            traceback.print_stack(runner.gr_frame, file=sys.stderr)
    sys.stderr.flush()


signal.signal(signal.SIGUSR1, _dump_greenlets)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is not installed ({AXE_JS}): run `make axe`")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """``axe(page, "my hall")`` runs axe-core on the page as it is now and fails listing each serious
    or critical violation (rule, elements, why); lesser ones are printed. Returns the violations.

    The script is evaluated through the browser's debugging protocol, not added as a <script> tag:
    the pages' Content-Security-Policy (script-src 'self') would refuse an inline one, and a test
    must check the page as it is served."""

    def check(page, name: str = "") -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        # Bounded: Playwright's evaluate waits without end, and a run that never settles would hang
        # the whole suite (CI's worker sat for half an hour on one) instead of failing this test.
        violations = page.evaluate(
            """async (limit) => {
                const run = window.axe.run(document, {resultTypes: ["violations"]}).then((r) => r.violations);
                const late = new Promise((resolve) => setTimeout(() => resolve(null), limit));
                return Promise.race([run, late]);
            }""",
            AXE_LIMIT_MS,
        )
        where = f"{name or 'page'} ({page.url})"
        if violations is None:
            pytest.fail(f"axe-core did not finish within {AXE_LIMIT_MS / 1000:g} s on {where}")
        lesser = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
        if lesser:
            print(f"axe on {where}: {len(lesser)} moderate or minor violation(s)")
            for violation in lesser:
                print("\n".join(_describe(violation)))
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if failing:
            report = "\n".join(line for violation in failing for line in _describe(violation))
            pytest.fail(f"axe-core: {len(failing)} serious or critical violation(s) on {where}:\n{report}")
        return violations

    return check
