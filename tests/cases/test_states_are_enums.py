"""One state convention: code compares or filters a state, status, level, reason or mode by its enum
(``FilingState.ISSUED``, ``EscalationLevel.DEPARTMENT`` …), never by a bare string that a renamed
value would leave behind silently. The test reads the source (migrations, frozen, excepted)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIELDS = r"(?:state|status|level|reason|mode)"
PATTERNS = [
    # obj.state == "issued", e.level != 'department'
    re.compile(rf"\.{FIELDS}\s*(?:==|!=)\s*[\"']"),
    # filter(state="pending"), Q(status__in=["valid"]), condition=Q(state="open")
    re.compile(rf"(?<![\w-]){FIELDS}(?:__in|__exact)?=\s*[\(\[]?[\"']"),
    # a state from a query string, defaulted by a bare string: get("state", "ready_for_issue")
    re.compile(r"get\([\"'](?:state|status)[\"'],\s*[\"']"),
]
# The outbox's delivery state is a queue's, not a graph's, and its index is not this work's.
ALLOWED = {("apps/notifications/models.py", 'condition=models.Q(state="pending")')}


def offending_lines():
    files = [*ROOT.glob("apps/**/*.py"), *ROOT.glob("templates/**/*.html")]
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            allowed = any(relative == f and snippet in line for f, snippet in ALLOWED)
            if not allowed and any(pattern.search(line) for pattern in PATTERNS):
                yield f"{relative}:{number}: {line.strip()}"


def test_the_patterns_catch_a_bare_string():
    assert any(p.search('if e.level == "department":') for p in PATTERNS)
    assert any(p.search('Q(state__in=["valid"])') for p in PATTERNS)
    assert any(p.search('query_params.get("state", "ready_for_issue")') for p in PATTERNS)
    assert not any(p.search("if e.level == EscalationLevel.DEPARTMENT:") for p in PATTERNS)


def test_no_state_is_compared_or_filtered_by_a_bare_string():
    assert list(offending_lines()) == []
