"""The jobs page names jobs and their counts in the active language, not by their keys (issue 15,
item 20)."""

import ast
from dataclasses import asdict
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.roles import Role
from apps.cases import sweeps
from apps.notifications.services import DeliveryRun
from apps.ops.labels import CHANGE_LABELS, JOB_LABELS, JOB_PART_LABELS
from apps.ops.models import JobRun
from apps.supervision.models import AnomalyRule
from tests.factories import make_staff

ROOT = Path(__file__).resolve().parents[2]


def _recorded_in_source() -> tuple[set[str], set[str]]:
    """Job names given to ``record_run("...")`` and keys written as ``changes["..."]`` or
    ``changes.update(key=...)`` anywhere in apps/."""
    names, keys = set(), set()
    for path in (ROOT / "apps").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record_run":
                names |= {n.value for n in ast.walk(node.args[0]) if isinstance(n, ast.Constant)}
            if (
                isinstance(node, ast.Subscript)
                and getattr(node.value, "id", None) == "changes"
                and isinstance(node.slice, ast.Constant)
            ):
                keys.add(node.slice.value)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and getattr(node.func.value, "id", None) == "changes"
                and node.func.attr == "update"
            ):
                keys |= {keyword.arg for keyword in node.keywords if keyword.arg}
    return names, keys


def test_every_job_and_every_count_it_records_has_a_label():
    names, keys = _recorded_in_source()
    # "all" is compared with in sweep's `record_run("deadline_sweep" if which == "all" else ...)`.
    names = {name.rstrip(":") for name in names if isinstance(name, str)} - {"all"}
    assert names - set(JOB_LABELS) == set(), "a job without a label on the jobs page"
    keys |= set(asdict(DeliveryRun()))
    keys |= {"warning_levels_changed", "deficiencies_lapsed", "corrections_lapsed"}
    keys |= set(sweeps.escalate.__code__.co_consts) & {"escalations_opened", "escalations_raised"}
    keys |= set(AnomalyRule.values)  # the anomaly scan counts its findings per rule
    assert keys - set(CHANGE_LABELS) == set(), "a count without a label on the jobs page"
    assert set(JOB_PART_LABELS) == {"warnings", "escalations", "lapses"}


@pytest.mark.django_db
def test_the_jobs_page_shows_jobs_and_counts_in_chinese(client):
    now = timezone.now()
    for name, changes in (
        ("heartbeat", {"pruned_runs": 2}),
        ("deadline_sweep:warnings", {"warning_levels_changed": 1}),
    ):
        JobRun.objects.create(
            name=name, started_at=now, finished_at=now, duration_ms=1, outcome="succeeded", changes=changes
        )
    client.force_login(make_staff(Role.SUPERVISOR))
    with translation.override("zh-hans"):
        page = client.get(reverse("ops:job_runs"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "心跳" in page and "时限巡检（预警等级）" in page
    assert "清理的旧运行记录: 2" in page
    shown = page.replace('data-job="heartbeat"', "").replace('data-job="deadline_sweep:warnings"', "")
    for key in ("heartbeat", "pruned_runs", "warning_levels_changed", "deadline_sweep"):
        assert key not in shown, key
