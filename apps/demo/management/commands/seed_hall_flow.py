from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.models import ServiceCentre
from apps.catalogue.models import ApprovalCategory
from apps.demo.seeding.hall_flow import AREAS, seed_hall_flow
from apps.demo.seeding.organisation import CITY


class Command(BaseCommand):
    help = (
        "Load the demo hall's flow (service areas, opening hours, slots, the filing assistant, a few "
        "waiting tickets) on top of seed_demo, which runs it too. Idempotent; refused in production."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_hall_flow refuses to run with HALL_ENV=production: demo data is for development."
            )
        codes = {code for code, _prefix, _windows in AREAS}
        if not ServiceCentre.objects.filter(name=CITY["name"]).exists() or ApprovalCategory.objects.filter(
            code__in=codes
        ).count() < len(codes):
            raise CommandError("The demo hall is not there yet: run seed_demo (it runs this too).")
        with transaction.atomic():
            lines = seed_hall_flow(CITY["name"])
        for line in lines:
            self.stdout.write(line)
