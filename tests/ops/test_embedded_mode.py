"""`make run`'s embedded mode for real: web, worker and beat without Redis, the periodic job seen."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200 and response.read().decode()
    except OSError:
        return False


def _heartbeat_pids(db):
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return [r[0] for r in conn.execute("SELECT pid FROM ops_jobrun WHERE name = 'heartbeat'")]
    except sqlite3.OperationalError:  # table not there yet
        return []


def test_runhall_serves_pages_and_beat_drives_the_worker_without_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "HALL_ENV", "DEBUG"}}
    env.update(HALL_VAR_DIR=str(tmp_path), HALL_HEARTBEAT_SECONDS="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
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
        page = _wait_for(lambda: _http_ok(f"http://127.0.0.1:{port}/accounts/login/"), 90, "the login page")
        assert "登录" in page
        pids = _wait_for(
            lambda: _heartbeat_pids(tmp_path / "hall.sqlite3"), 90, "a heartbeat run by the worker"
        )
        children = {p.pid for p in psutil.Process(hall.pid).children()}
        assert set(pids) <= children, "the heartbeat ran in a worker started by runhall"
    finally:
        hall.send_signal(signal.SIGINT)
        hall.wait(timeout=30)
    assert hall.returncode == 0
    for pid in children:
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
