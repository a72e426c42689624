"""Run the deadline sweeps by hand (what beat runs every few minutes), recorded like a beat run."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.cases import sweeps
from apps.ops.jobs import record_run


class Command(BaseCommand):
    help = "Run a deadline sweep now: warnings, escalations, lapses, or all (the default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "which", nargs="?", default="all", choices=["all", "warnings", "escalations", "lapses"]
        )

    def handle(self, *args, which, **options):
        with record_run("deadline_sweep" if which == "all" else f"deadline_sweep:{which}") as changes:
            if which == "all":
                changes.update(sweeps.run_all())
            elif which == "warnings":
                with transaction.atomic():
                    changes["warning_levels_changed"] = sweeps.sweep_warnings()
            elif which == "escalations":
                changes.update(sweeps.escalate())
            else:
                run = sweeps.lapse()
                changes.update(
                    deficiencies_lapsed=len(run.deficiencies), corrections_lapsed=len(run.corrections)
                )
        self.stdout.write(json.dumps(changes, ensure_ascii=False))
