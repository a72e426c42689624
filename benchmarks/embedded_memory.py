"""Resident memory of the embedded `make run` mode: web, worker and beat together, after start.

Target (issue 2): under 600 MB for the three together. Measured once the login page answers and
the worker has run a periodic job, i.e. when everything has imported what it needs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise RuntimeError(f"embedded mode: timed out waiting for {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except OSError:
        return False


def _heartbeat_seen(db: Path) -> bool:
    import sqlite3

    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM ops_jobrun WHERE name = 'heartbeat'").fetchone()[0] > 0
    except sqlite3.OperationalError:
        return False


def run(scale: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as var:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "HALL_ENV"}}
        env.update(HALL_VAR_DIR=var, HALL_HEARTBEAT_SECONDS="1")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        port = _free_port()
        hall = subprocess.Popen(
            [sys.executable, "manage.py", "runhall", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(lambda: _answers(f"http://127.0.0.1:{port}/accounts/login/"), 120, "the web server")
            _wait(lambda: _heartbeat_seen(Path(var) / "hall.sqlite3"), 120, "a periodic job in the worker")
            supervisor = psutil.Process(hall.pid)
            processes = [supervisor, *supervisor.children(recursive=True)]
            rss = {p.pid: p.memory_info().rss for p in processes}
            by_role = {"supervisor": rss[supervisor.pid]}
            for child in supervisor.children():
                cmd = " ".join(child.cmdline())
                role = "web" if "runserver" in cmd else "worker" if " worker" in cmd else "beat"
                by_role[role] = sum(rss.get(p.pid, 0) for p in [child, *child.children(recursive=True)])
        finally:
            hall.send_signal(signal.SIGINT)
            hall.wait(timeout=30)
    mb = 2**20
    return {
        "embedded_rss_total_mb": sum(rss.values()) / mb,
        "embedded_rss_web_mb": by_role.get("web", 0) / mb,
        "embedded_rss_worker_mb": by_role.get("worker", 0) / mb,
        "embedded_rss_beat_mb": by_role.get("beat", 0) / mb,
        "embedded_rss_supervisor_mb": by_role["supervisor"] / mb,
    }
