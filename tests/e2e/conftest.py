"""Browser journeys: each step's screenshot is kept for a person to look at.

``shot(page, "accepted")`` writes ``test-artefacts/screenshots/<test>/<nn>-accepted.png`` (the folder
is ignored by git; CI keeps it as the run's artefacts). The assertions are on the page itself; the
screenshots are for reviewing how each step looks, on a desk or a phone.
"""

from __future__ import annotations

import re
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
