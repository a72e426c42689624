"""Run the embedded hall: web server, Celery worker and Celery beat, stopped together by Ctrl-C."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the portal with a Celery worker and beat alongside (embedded mode: no Redis needed)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        # Celery without its banners (the line below says what runs where) and without --loglevel:
        # worker and beat log through settings.LOGGING at HALL_LOG_LEVEL, as the web server does.
        celery = [sys.executable, "-m", "celery", "-A", "hall", "--quiet"]
        commands = {
            "web": [sys.executable, "manage.py", "runserver", addrport, "--noreload"],
            "worker": [
                *celery,
                "worker",
                "--pool=solo",
                "--hostname=embedded@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            "beat": [*celery, "beat", f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}"],
        }
        # Fixed argument lists built above, never user input.
        processes = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(
            f"Hall portal at http://{addrport}/ (web pid {processes['web'].pid}, worker pid "
            f"{processes['worker'].pid}, beat pid {processes['beat'].pid}); Ctrl-C stops all three."
        )
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, proc in processes.items():
                if proc.poll() is not None:
                    self.stderr.write(f"{name} exited with code {proc.returncode}; stopping the others.")
                    exit_code, stopping = proc.returncode or 1, True
            time.sleep(0.5)
        for proc in processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
        if exit_code:
            sys.exit(exit_code)
