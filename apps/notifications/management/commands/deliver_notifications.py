"""Deliver the outbox's due messages now (what beat runs every few seconds)."""

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand

from apps.notifications.services import deliver_due
from apps.ops.jobs import record_run


class Command(BaseCommand):
    help = "Deliver the pending notifications that are due."

    def handle(self, *args, **options):
        with record_run("notifications") as changes:
            changes.update(asdict(deliver_due()))
        self.stdout.write(json.dumps(changes))
